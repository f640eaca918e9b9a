import type { Storage } from '../services/context.js';
import type { WeeklySummaryLinks } from './summary-links.js';
import {
  resubscribeToSummary,
  unsubscribeFromSummary,
  unsubscribeLinkTarget,
} from './weekly-summary-settings.js';

export type SubscriptionChange =
  | { ok: false; reason: 'invalid' | 'gone' }
  | {
      ok: true;
      organisationName: string;
      /** The address the link names; null when it is not among the recipients (nothing changed). */
      email: string | null;
      state: 'not_on_list' | 'unsubscribed' | 'resubscribed';
    };

/**
 * What a weekly summary's signed unsubscribe link does when posted: stops the summary to its
 * address (one-click, RFC 8058), or starts it again from the confirmation page's button.
 */
export async function changeSummarySubscription(
  storage: Storage,
  links: WeeklySummaryLinks,
  request: { token: string; action: 'unsubscribe' | 'resubscribe'; now: Date },
): Promise<SubscriptionChange> {
  const target = await unsubscribeLinkTarget(storage.db, links, request.token);
  if (!target.ok) return target;
  const { orgId, organisationName, email } = target;
  if (email === null) return { ok: true, organisationName, email, state: 'not_on_list' };
  if (request.action === 'resubscribe') {
    await resubscribeToSummary(storage.db, orgId, email, request.now);
    return { ok: true, organisationName, email, state: 'resubscribed' };
  }
  await unsubscribeFromSummary(storage.db, orgId, email, request.now);
  return { ok: true, organisationName, email, state: 'unsubscribed' };
}
