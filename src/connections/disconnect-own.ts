import { notFound } from '../errors.js';
import type { LedgerContext } from '../ledger/context.js';
import type { AccountContext } from '../services/context.js';
import { disconnectConnection } from './disconnect.js';
import { listConnections } from './list-connections.js';

/** Disconnects a connection of one of the session's organisations; another's is the same 404 as none. */
export async function disconnectOwnConnection(
  account: AccountContext,
  ledger: LedgerContext,
  connectionId: string,
): Promise<void> {
  const owner = (await listConnections(account.db, [...account.orgIds])).find(
    (connection) => connection.id === connectionId,
  );
  if (!owner) throw notFound('connection');
  await disconnectConnection(ledger, owner.orgId, connectionId);
}
