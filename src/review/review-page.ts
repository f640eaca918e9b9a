import { localeOf } from '../domain/locale.js';
import { organisationOf } from '../organisations/organisation-of.js';
import { unmatchedCount } from '../replies/unmatched-messages.js';
import type { ServiceContext } from '../services/context.js';
import { type ReviewQueue, reviewQueue } from './review-queue.js';

/**
 * The review page: everything waiting for a person, the language its amounts are written in, and how
 * many messages wait on the Unmatched messages page.
 */
export async function reviewPage(
  ctx: ServiceContext,
): Promise<{ queue: ReviewQueue; locale: string; unmatched: number }> {
  const [queue, profile, unmatched] = await Promise.all([
    reviewQueue(ctx.db, ctx.orgId),
    organisationOf(ctx),
    unmatchedCount(ctx),
  ]);
  return { queue, locale: localeOf(profile.country), unmatched };
}
