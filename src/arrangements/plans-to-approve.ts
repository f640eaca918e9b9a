import type { AccountContext } from '../services/context.js';
import { plansAwaitingApproval } from './review.js';

/** Payment plans debtors asked for that wait for a person, in the session's organisations. */
export function plansToApprove(account: AccountContext) {
  return plansAwaitingApproval(account.db, [...account.orgIds]);
}
