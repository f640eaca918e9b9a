import type { DebtorReplyClass } from '../db/schema/index.js';

/** What a person may do with a reply in one click, beside reading it. */
export type ReplyAct = 'promise' | 'dispute' | 'stop';

/** The one-click action a reply of this class offers, if any. */
export function actOffered(reply: { class: DebtorReplyClass; promisedDate: string | null }): ReplyAct | null {
  if (reply.class === 'promise' && reply.promisedDate) return 'promise';
  if (reply.class === 'dispute') return 'dispute';
  if (reply.class === 'unsubscribe') return 'stop';
  return null;
}
