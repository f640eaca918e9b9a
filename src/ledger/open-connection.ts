import { eq } from 'drizzle-orm';
import type { LedgerConnector } from '../../connectors/ledger.js';
import { openConnection } from '../../connectors/shared/connection.js';
import { withAdvisoryLock } from '../db/advisory-lock.js';
import { ledgerConnections, organisations } from '../db/schema/index.js';
import { databaseTokenStore } from './connection-tokens.js';
import type { LedgerContext } from './context.js';

export type ConnectionRow = typeof ledgerConnections.$inferSelect;

export class ConnectorNotConfiguredError extends Error {
  constructor(vendor: string) {
    super(`${vendor} is not configured on this server`);
    this.name = 'ConnectorNotConfiguredError';
  }
}

/** Loads a connection and opens a handle to its vendor: rate-limited, refreshing tokens under a lock. */
export async function openLedgerConnection(ctx: LedgerContext, connectionId: string) {
  const [found] = await ctx.db
    .select({ connection: ledgerConnections, currency: organisations.currency })
    .from(ledgerConnections)
    .innerJoin(organisations, eq(organisations.id, ledgerConnections.orgId))
    .where(eq(ledgerConnections.id, connectionId));
  if (!found) return null;
  const connector: LedgerConnector | undefined = ctx.connectors[found.connection.vendor];
  if (!connector) throw new ConnectorNotConfiguredError(found.connection.vendor);
  const handle = openConnection({
    connector,
    connectionId,
    tenantId: found.connection.tenantId,
    homeCurrency: found.currency,
    tokens: databaseTokenStore(ctx.db, ctx.cipher, connectionId),
    withRefreshLock: (work) => withAdvisoryLock(ctx.pool, `ledger-refresh:${connectionId}`, work),
  });
  return { row: found.connection, connector, handle };
}
