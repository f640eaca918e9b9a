/** What stops or holds contact with a debtor. */
export type GuardKind =
  | 'excluded'
  | 'do_not_contact'
  | 'paused_by_you'
  | 'reply_unread'
  | 'dispute'
  | 'settlement'
  | 'promise'
  | 'payment_plan'
  | 'below_minimum'
  | 'contact_cap'
  | 'opted_out'
  | 'sending_window'
  | 'handed_over';

export interface Guard {
  kind: GuardKind;
  /** In plain English, e.g. "paused: dispute open", "contact cap: last contact 3 days ago". */
  text: string;
  /** The last day it holds, when it ends by itself. */
  until: string | null;
}
