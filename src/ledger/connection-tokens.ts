import { and, eq, ne } from 'drizzle-orm';
import type { LedgerTokens } from '../../connectors/ledger.js';
import type { TokenStore } from '../../connectors/shared/connection.js';
import type { TokenCipher } from '../crypto/token-cipher.js';
import type { Database } from '../db/client.js';
import { ledgerConnections } from '../db/schema/index.js';

/** Who holds a set of tokens: a connection, or a grant waiting for the person to choose a company. */
export type TokenOwner = `ledger-connection:${string}` | `connection-choice:${string}`;

/** The sealing context binds each token to its owner and kind, so sealed values cannot be swapped. */
const context = (owner: TokenOwner, kind: 'access' | 'refresh') => `${owner}:${kind}`;

export function sealedTokenColumns(cipher: TokenCipher, owner: TokenOwner, tokens: LedgerTokens) {
  return {
    accessTokenSealed: cipher.encrypt(tokens.accessToken, context(owner, 'access')),
    refreshTokenSealed: cipher.encrypt(tokens.refreshToken, context(owner, 'refresh')),
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
  };
}

export function openSealedTokens(
  cipher: TokenCipher,
  owner: TokenOwner,
  sealed: { access: string; refresh: string; accessExpiresAt: Date; refreshExpiresAt: Date | null },
): LedgerTokens {
  return {
    accessToken: cipher.decrypt(sealed.access, context(owner, 'access')),
    refreshToken: cipher.decrypt(sealed.refresh, context(owner, 'refresh')),
    accessTokenExpiresAt: sealed.accessExpiresAt,
    refreshTokenExpiresAt: sealed.refreshExpiresAt,
  };
}

/** Reads and writes one connection's tokens, sealed at rest, straight from the database. */
export function databaseTokenStore(db: Database, cipher: TokenCipher, connectionId: string): TokenStore {
  const owner: TokenOwner = `ledger-connection:${connectionId}`;
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
      return openSealedTokens(cipher, owner, {
        access: row.access,
        refresh: row.refresh,
        accessExpiresAt: row.accessExpiresAt,
        refreshExpiresAt: row.refreshExpiresAt,
      });
    },

    async save(tokens) {
      await db
        .update(ledgerConnections)
        .set(sealedTokenColumns(cipher, owner, tokens))
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
