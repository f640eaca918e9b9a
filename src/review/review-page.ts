import { localeOf } from '../domain/locale.js';
import { organisationOf } from '../organisations/organisation-of.js';
import type { ServiceContext } from '../services/context.js';
import { type ReviewQueue, reviewQueue } from './review-queue.js';

/** The review page: everything waiting for a person, and the language its amounts are written in. */
export async function reviewPage(ctx: ServiceContext): Promise<{ queue: ReviewQueue; locale: string }> {
  const [queue, profile] = await Promise.all([reviewQueue(ctx.db, ctx.orgId), organisationOf(ctx)]);
  return { queue, locale: localeOf(profile.country) };
}
