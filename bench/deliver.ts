// npm run bench:deliver — one organisation with one QuickBooks connection (the emulator), 2,000 due
// reminders over 2,000 debtors with 1–3 open invoices each, delivered by ONE delivery run (one
// worker) through the local email transport. Balances are re-read from the ledger before they go:
// `ledger_reads` counts the emulator's query calls during the run. Prints one JSON line.
// BENCH_DEBTORS, BENCH_BATCH (messages per batch), BENCH_CONCURRENCY and BENCH_POOL tune it.
import { randomBytes } from 'node:crypto';
import { type CompanySeed, createQuickBooksEmulator } from '../emulators/quickbooks/index.js';
import { completeConnect } from '../src/connections/connect.js';
import { connectDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { portalLinks } from '../src/domain/portal-links.js';
import { createLogger } from '../src/logger.js';
import { deliverDue } from '../src/messaging/delivery/delivery-run.js';
import { createLocalTransport } from '../src/messaging/transport/local.js';
import { syncConnection } from '../src/sync/sync-connection.js';
import { createScratchDatabase } from '../test/helpers/databases.js';
import { emulatorLedger } from '../test/helpers/emulator-ledger.js';
import { openTestServer } from '../test/helpers/test-server.js';
import { queueReminders } from './support/queue-reminders.js';

const debtors = Number(process.env['BENCH_DEBTORS'] ?? 2_000);
const batchSize = Number(process.env['BENCH_BATCH'] ?? 200);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 4);

const dueDate = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
const seed: CompanySeed = {
  name: 'Bench Deliver Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: Array.from({ length: debtors }, (_, n) => ({
    id: String(n + 1),
    displayName: `Debtor ${n + 1}`,
    email: `ap${n + 1}@debtor.example`,
  })),
  // 1–3 invoices per debtor (2 on average), the same every run.
  invoices: Array.from({ length: debtors }, (_, n) =>
    Array.from({ length: 1 + (n % 3) }, (_, k) => ({
      id: String(100_000 + n * 3 + k),
      customerId: String(n + 1),
      total: 10_000 + ((n * 37 + k * 11) % 90_000),
      status: 'overdue' as const,
      dueDate,
    })),
  ).flat(),
};

const app = {
  clientId: 'bench-client',
  clientSecret: 'bench-secret',
  webhookVerifierToken: 'bench-verifier',
};
const emulator = createQuickBooksEmulator(app);
await emulator.listen(0);
const realmId = emulator.addCompany(seed);
const server = await openTestServer(process.env);
const database = await createScratchDatabase(server.adminUrl, 'bench_deliver');
const logger = createLogger('warn');
try {
  await runMigrations(database.url);
  const handle = connectDatabase(database.url, { poolMax: Number(process.env['BENCH_POOL'] ?? 10), logger });
  const ledger = emulatorLedger({
    handle,
    tokenKeys: `bench:${randomBytes(32).toString('base64')}`,
    app,
    emulatorUrl: emulator.url,
    logger,
  });
  const connector = ledger.connectors.quickbooks;
  if (!connector) throw new Error('quickbooks not configured');
  const redirectUri = 'http://127.0.0.1/connect/quickbooks/callback';
  const consent = connector.consentUrl({ state: 'bench-state', redirectUri });
  const authorized = await fetch(`${consent}&realm_id=${realmId}`, { redirect: 'manual' });
  const connected = await completeConnect(
    ledger,
    { sync: async () => undefined, routeWebhooks: async () => undefined },
    'quickbooks',
    { callbackUrl: authorized.headers.get('location') ?? '', redirectUri },
    async () => 'bench-user',
  );
  if (connected.kind !== 'connected') throw new Error('expected one company');
  const synced = await syncConnection(ledger, connected.connectionId, 'full');
  if (synced.outcome !== 'synced') throw new Error(`full sync: ${JSON.stringify(synced)}`);
  const orgId = (
    await handle.pool.query<{ org_id: string }>('select org_id from ledger_connections where id = $1', [
      connected.connectionId,
    ])
  ).rows[0]?.org_id;
  if (!orgId) throw new Error('no organisation');
  // A newly connected organisation starts in preview, where nothing is sent: this one sends.
  await handle.pool.query("update organisations set sending = 'live' where id = $1", [orgId]);
  const queued = await queueReminders(handle.pool, orgId);
  await handle.pool.query('analyze');

  const links = portalLinks('bench-secret-bench-secret-bench-secret', 'https://dunwell.example');
  const transport = createLocalTransport({ keep: 10 });
  emulator.resetCounters();
  const started = performance.now();
  const result = await deliverDue(
    {
      db: handle.db,
      ledger,
      transport,
      from: { email: 'reminders@dunwell.example', name: 'Bench Deliver Ltd' },
      links,
      unsubscribeUrl: ({ id }) => `https://dunwell.example/opt-out/${id}`,
      now: () => new Date(),
    },
    orgId,
    { batchSize, concurrency },
  );
  const seconds = (performance.now() - started) / 1000;
  const { byKind } = emulator.counters();
  if (result.sent !== queued) throw new Error(`sent ${result.sent} of ${queued}: ${JSON.stringify(result)}`);
  console.log(
    JSON.stringify({
      bench: 'deliver',
      messages: result.sent,
      messages_per_s: Math.round(result.sent / seconds),
      ledger_reads: byKind.query + byKind.read,
    }),
  );
  await handle.pool.end();
} finally {
  await database.drop();
  await server.stop();
  await emulator.close();
}
