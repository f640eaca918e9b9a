import { and, eq, ne } from 'drizzle-orm';
import type { LedgerTokens } from '../../connectors/ledger.js';
import type { TokenStore } from '../../connectors/shared/connection.js';
import type { TokenCipher } from '../crypto/token-cipher.js';
import type { Database } from '../db/client.js';
import { ledgerConnections } from '../db/schema/index.js';

/** The sealing context binds each token to its connection and kind, so sealed values cannot be swapped. */
const context = (connectionId: string, kind: 'access' | 'refresh') =>
  `ledger-connection:${connectionId}:${kind}`;

export function sealedTokenColumns(cipher: TokenCipher, connectionId: string, tokens: LedgerTokens) {
  return {
    accessTokenSealed: cipher.encrypt(tokens.accessToken, context(connectionId, 'access')),
    refreshTokenSealed: cipher.encrypt(tokens.refreshToken, context(connectionId, 'refresh')),
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
  };
}

/** Reads and writes one connection's tokens, sealed at rest, straight from the database. */
export function databaseTokenStore(db: Database, cipher: TokenCipher, connectionId: string): TokenStore {
  return {
    async load() {
      const [row] = await db
        .select({
          access: ledgerConnections.accessTokenSealed,
          refresh: ledgerConnections.refreshTokenSealed,
          accessExpiresAt: ledgerConnections.accessTokenExpiresAt,
          refreshExpiresAt: ledgerConnections.refreshTokenExpiresAt,
        })
        .from(ledgerConnections)
        .where(eq(ledgerConnections.id, connectionId));
      if (!row?.access || !row.refresh || !row.accessExpiresAt) {
        throw new Error(`Connection ${connectionId} has no stored tokens`);
      }
      return {
        accessToken: cipher.decrypt(row.access, context(connectionId, 'access')),
        refreshToken: cipher.decrypt(row.refresh, context(connectionId, 'refresh')),
        accessTokenExpiresAt: row.accessExpiresAt,
        refreshTokenExpiresAt: row.refreshExpiresAt,
      };
    },

    async save(tokens) {
      await db
        .update(ledgerConnections)
        .set(sealedTokenColumns(cipher, connectionId, tokens))
        .where(eq(ledgerConnections.id, connectionId));
    },

    async markNeedsReauth(detail) {
      await db
        .update(ledgerConnections)
        .set({ status: 'needs_reauth', lastError: detail.slice(0, 500) })
        .where(and(eq(ledgerConnections.id, connectionId), ne(ledgerConnections.status, 'disconnected')));
    },
  };
}
