// npm run bench:sync — a full QuickBooks sync of 1,000 and 10,000 open invoices (2,000 customers)
// against the local emulator, and a reconcile with nothing changed: API calls, seconds, 429s.
import { randomBytes } from 'node:crypto';
import { createConnectors } from '../connectors/factory.js';
import { createQuickBooksEmulator } from '../connectors/quickbooks/emulator/index.js';
import { completeConnect } from '../src/connections/connect.js';
import { parseKeyring } from '../src/crypto/keyring.js';
import { createTokenCipher } from '../src/crypto/token-cipher.js';
import { connectDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import type { LedgerContext } from '../src/ledger/context.js';
import { createLogger } from '../src/logger.js';
import { syncConnection } from '../src/sync/sync-connection.js';
import { createScratchDatabase } from '../test/helpers/databases.js';
import { openTestServer } from '../test/helpers/test-server.js';

const customers = 2_000;
const pageSize = 1_000;
const app = { clientId: 'bench-client', clientSecret: 'bench-secret', verifier: 'bench-verifier' };

async function measure(openInvoices: number, adminUrl: string) {
  const emulator = createQuickBooksEmulator({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    webhookVerifierToken: app.verifier,
  });
  await emulator.listen(0);
  const realmId = emulator.generateCompany({ customers, openInvoices, seed: 7 });
  const database = await createScratchDatabase(adminUrl, `bench_sync_${openInvoices}`);
  await runMigrations(database.url);
  const logger = createLogger('warn');
  const handle = connectDatabase(database.url, { poolMax: 5, logger });
  const keyring = parseKeyring(`bench:${randomBytes(32).toString('base64')}`);
  if (!keyring.ok) throw new Error('keyring');
  const ctx: LedgerContext = {
    db: handle.db,
    pool: handle.pool,
    cipher: createTokenCipher(keyring.keyring),
    connectors: createConnectors({
      quickbooks: {
        ...app,
        webhookVerifierToken: app.verifier,
        environment: 'sandbox',
        emulatorUrl: emulator.url,
      },
    }),
    logger,
  };
  try {
    const redirectUri = 'http://127.0.0.1/connect/quickbooks/callback';
    const consent = ctx.connectors.quickbooks?.consentUrl({ state: 'bench', redirectUri }) ?? '';
    const authorized = await fetch(`${consent}&realm_id=${realmId}`, { redirect: 'manual' });
    const callbackUrl = authorized.headers.get('location') ?? '';
    const noRequests = { sync: async () => undefined, routeWebhooks: async () => undefined };
    const outcome = await completeConnect(ctx, noRequests, 'quickbooks', { callbackUrl, redirectUri });
    if (outcome.kind !== 'connected') throw new Error('expected one company');
    const { connectionId } = outcome;

    const apiCalls = () => {
      const { byKind, throttled } = emulator.counters();
      return { calls: byKind.query + byKind.cdc + byKind.read + byKind.write, throttled };
    };
    const company = emulator.company(realmId);
    const pageMinimum =
      Math.ceil(company.customers.length / pageSize) +
      Math.ceil(openInvoices / pageSize) +
      Math.max(1, Math.ceil(company.payments.length / pageSize));

    emulator.resetCounters();
    let started = performance.now();
    const full = await syncConnection(ctx, connectionId, 'full');
    const fullSeconds = (performance.now() - started) / 1000;
    const fullCalls = apiCalls();
    if (full.outcome !== 'synced') throw new Error(`full sync: ${JSON.stringify(full)}`);

    emulator.resetCounters();
    started = performance.now();
    const reconcile = await syncConnection(ctx, connectionId, 'incremental');
    const reconcileSeconds = (performance.now() - started) / 1000;
    const reconcileCalls = apiCalls();
    if (reconcile.outcome !== 'synced') throw new Error(`reconcile: ${JSON.stringify(reconcile)}`);

    return [
      {
        bench: 'sync',
        vendor: 'quickbooks',
        kind: 'full',
        invoices: full.progress.invoices,
        customers: full.progress.customers,
        payments: full.progress.payments,
        api_calls: fullCalls.calls,
        page_minimum: pageMinimum,
        seconds: Number(fullSeconds.toFixed(3)),
        rate_limit_429s: fullCalls.throttled,
      },
      {
        bench: 'sync',
        vendor: 'quickbooks',
        kind: 'reconcile',
        invoices: full.progress.invoices,
        customers: full.progress.customers,
        api_calls: reconcileCalls.calls,
        seconds: Number(reconcileSeconds.toFixed(3)),
        rate_limit_429s: reconcileCalls.throttled,
      },
    ];
  } finally {
    await handle.pool.end();
    await database.drop();
    await emulator.close();
  }
}

const server = await openTestServer(process.env);
try {
  for (const openInvoices of [1_000, 10_000]) {
    const [full, reconcile] = await measure(openInvoices, server.adminUrl);
    console.log(JSON.stringify(full));
    if (openInvoices === 10_000) console.log(JSON.stringify(reconcile));
  }
} finally {
  await server.stop();
}
