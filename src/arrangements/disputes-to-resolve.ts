import type { AccountContext } from '../services/context.js';
import { openDisputes } from './review.js';

/** Disputes debtors raised that are still open, in the session's organisations. */
export function disputesToResolve(account: AccountContext) {
  return openDisputes(account.db, [...account.orgIds]);
}
