import type { AccountContext } from '../services/context.js';
import { type ConnectionSummary, listConnections } from './list-connections.js';

/** The connections of every organisation of the session (none when signed out). */
export function connectionsOf(account: AccountContext): Promise<ConnectionSummary[]> {
  return listConnections(account.db, [...account.orgIds]);
}
