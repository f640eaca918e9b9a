import type pg from 'pg';
import type { LedgerConnectors } from '../../connectors/factory.js';
import type { TokenCipher } from '../crypto/token-cipher.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../logger.js';

/** What the sync and write-back services need: the database, the token cipher and the connectors. */
export interface LedgerContext {
  db: Database;
  /** For session advisory locks (token refresh is serialised per connection across processes). */
  pool: pg.Pool;
  cipher: TokenCipher;
  connectors: LedgerConnectors;
  logger: Logger;
  now?: () => Date;
}
