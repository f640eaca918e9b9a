import type { Storage } from '../services/context.js';
import type { WeeklySummaryLinks } from './summary-links.js';
import { type UnsubscribeLinkTarget, unsubscribeLinkTarget } from './weekly-summary-settings.js';

/** Whom a weekly summary's unsubscribe link names, for its confirmation page (no sign-in: the link is signed). */
export function summaryUnsubscribeLink(
  storage: Storage,
  links: WeeklySummaryLinks,
  token: string,
): Promise<UnsubscribeLinkTarget> {
  return unsubscribeLinkTarget(storage.db, links, token);
}
