import { addDays } from '../domain/local-time.js';
import type { DebtorHistory } from './snapshot.js';

/** How long an out-of-office reply that gives no return date pauses chasing. */
export const outOfOfficeDays = 3;

/**
 * A debtor's reply no person has read yet holds automatic chasing: a reply that says something
 * (or that no rule is sure of) until it is read; an out-of-office reply only until its writer is
 * back (its `returnsOn`, else 3 days after it came). `until` is the day chasing may resume by itself
 * (YYYY-MM-DD), or null when it waits for a person.
 */
export function replyWait(
  history: Pick<DebtorHistory, 'unreadReplies'>,
  today: string,
): { until: string | null; note: string } | null {
  const unread = history.unreadReplies ?? [];
  if (unread.some((reply) => !reply.outOfOffice))
    return { until: null, note: 'a reply waits for you to read it' };
  let until: string | null = null;
  for (const reply of unread) {
    const back = reply.returnsOn ?? addDays(reply.receivedOn, outOfOfficeDays);
    if (today < back && (until === null || back > until)) until = back;
  }
  return until ? { until, note: `an out-of-office reply pauses chasing until ${until}` } : null;
}
