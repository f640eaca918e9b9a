import { and, eq } from 'drizzle-orm';
import { LedgerError } from '../../connectors/errors.js';
import { ledgerConnections } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { databaseTokenStore } from '../ledger/connection-tokens.js';
import type { LedgerContext } from '../ledger/context.js';
import { connectorFor } from './connect.js';

/**
 * Disconnects a company: revokes the grant at the vendor and forgets the tokens. The mirrored data
 * stays, so reconnecting resumes where it stopped.
 */
export async function disconnectConnection(
  ctx: LedgerContext,
  orgId: string,
  connectionId: string,
): Promise<void> {
  const [connection] = await ctx.db
    .select()
    .from(ledgerConnections)
    .where(and(eq(ledgerConnections.id, connectionId), eq(ledgerConnections.orgId, orgId)));
  if (!connection) throw new AppError(404, 'not_found', 'No such connection.');
  if (connection.status === 'disconnected') return;
  const connector = connectorFor(ctx, connection.vendor);
  if (connection.refreshTokenSealed) {
    try {
      await connector.revoke(await databaseTokenStore(ctx.db, ctx.cipher, connectionId).load());
    } catch (error) {
      // Already revoked or expired at the vendor: the grant is gone either way.
      const failure = error instanceof LedgerError ? error.code : connector.classifyFailure(error).code;
      if (failure !== 'reauth_required') throw error;
    }
  }
  await ctx.db
    .update(ledgerConnections)
    .set({
      status: 'disconnected',
      accessTokenSealed: null,
      refreshTokenSealed: null,
      accessTokenExpiresAt: null,
      refreshTokenExpiresAt: null,
      disconnectedAt: new Date(),
    })
    .where(eq(ledgerConnections.id, connectionId));
}
