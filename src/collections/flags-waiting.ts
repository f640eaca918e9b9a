import type { AccountContext } from '../services/context.js';
import { pendingFlags } from './decide-flag.js';

/** The flags waiting for a person in the session's organisations, with their arithmetic. */
export function flagsWaiting(account: AccountContext) {
  return pendingFlags(account.db, [...account.orgIds]);
}
