// A separate process with many callers of one connection, all wanting a fresh token at once: each
// caller opens its own handle, so only the cross-process lock stands between them and a double refresh.
import { createConnectors } from '../../connectors/factory.js';
import { loadConfig } from '../../src/config.js';
import { createTokenCipher } from '../../src/crypto/token-cipher.js';
import { connectDatabase } from '../../src/db/client.js';
import { openLedgerConnection } from '../../src/ledger/open-connection.js';
import { createLogger } from '../../src/logger.js';

const config = loadConfig(process.env);
const logger = createLogger('warn');
const connectionId = process.env['CONNECTION_ID'] ?? '';
const callers = Number(process.env['CALLERS'] ?? 25);
const startAt = Number(process.env['START_AT'] ?? Date.now());
const invoiceId = process.env['INVOICE_ID'] ?? '10';
if (!config.databaseUrl || !config.tokenKeys) throw new Error('DATABASE_URL and TOKEN_KEYS are needed');
const database = connectDatabase(config.databaseUrl, { poolMax: callers + 5, logger });
const ledger = {
  db: database.db,
  pool: database.pool,
  cipher: createTokenCipher(config.tokenKeys),
  connectors: createConnectors(config.vendors),
  logger,
};

await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
/** Token refreshes these callers made (each handle counts its own). */
let refreshes = 0;
const outcomes = await Promise.allSettled(
  Array.from({ length: callers }, async () => {
    const opened = await openLedgerConnection(ledger, connectionId);
    if (!opened) throw new Error('no connection');
    try {
      return await opened.connector.fetchInvoices(opened.handle, [invoiceId]);
    } finally {
      refreshes += opened.handle.stats.refreshes;
    }
  }),
);
const failures = outcomes.flatMap((outcome) =>
  outcome.status === 'rejected' ? [String(outcome.reason)] : [],
);
process.stdout.write(`${JSON.stringify({ ok: callers - failures.length, failures, refreshes })}\n`);
await database.pool.end();
