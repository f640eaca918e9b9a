import { createConnectors } from '../../connectors/factory.js';
import { parseKeyring } from '../../src/crypto/keyring.js';
import { createTokenCipher } from '../../src/crypto/token-cipher.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import type { LedgerContext } from '../../src/ledger/context.js';
import type { Logger } from '../../src/logger.js';

/** What the sync and write-back services need, with a QuickBooks connector pointed at an emulator. */
export function emulatorLedger(options: {
  handle: DatabaseHandle;
  tokenKeys: string;
  app: { clientId: string; clientSecret: string; webhookVerifierToken: string };
  emulatorUrl: string;
  logger: Logger;
}): LedgerContext {
  const keyring = parseKeyring(options.tokenKeys);
  if (!keyring.ok) throw new Error(`TOKEN_KEYS: ${keyring.problems.join('; ')}`);
  return {
    db: options.handle.db,
    pool: options.handle.pool,
    cipher: createTokenCipher(keyring.keyring),
    connectors: createConnectors({
      quickbooks: { ...options.app, environment: 'sandbox', emulatorUrl: options.emulatorUrl },
    }),
    logger: options.logger,
  };
}
