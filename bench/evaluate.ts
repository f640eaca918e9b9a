// npm run bench:evaluate: an end-to-end evaluation from PostgreSQL — debtors loaded in batches,
// planned, and their actions written to the outboxes — over a generated organisation; then the cost
// of rendering a reminder when it is sent.
import pg from 'pg';
import { evaluateOrganisation } from '../src/collections/evaluate.js';
import { connectDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { outboundMessages } from '../src/db/schema/index.js';
import { createLogger } from '../src/logger.js';
import { renderQueuedMessage } from '../src/messaging/render-queued-message.js';
import { portalLinks } from '../src/portal/links.js';
import { createScratchDatabase } from '../test/helpers/databases.js';
import { openTestServer } from '../test/helpers/test-server.js';

const debtors = Number(process.env['BENCH_DEBTORS'] ?? 200_000);
const invoicesPerDebtor = 5;
const now = new Date('2026-11-24T10:00:00Z');

async function seed(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const org = await client.query<{ id: string }>(
      "insert into organisations (name, currency, time_zone, country) values ('Bench Ltd', 'GBP', 'Europe/London', 'GB') returning id",
    );
    const orgId = org.rows[0]?.id ?? '';
    const connection = await client.query<{ id: string }>(
      "insert into ledger_connections (org_id, vendor, tenant_id) values ($1, 'quickbooks', 'bench') returning id",
      [orgId],
    );
    const connectionId = connection.rows[0]?.id ?? '';
    await client.query(
      `insert into customers (org_id, connection_id, external_id, name, currency)
         select $1, $2, 'c' || n, 'Customer ' || n, 'GBP' from generate_series(1, $3) n`,
      [orgId, connectionId, debtors],
    );
    await client.query(
      `insert into customer_contacts (org_id, customer_id, email, role)
         select org_id, id, external_id || '@example.com', 'billing' from customers where org_id = $1`,
      [orgId],
    );
    await client.query(
      `insert into invoices (org_id, connection_id, customer_id, external_id, number, currency, total_minor, balance_minor, due_date, status)
         select c.org_id, c.connection_id, c.id, c.external_id || '-' || k, 'INV-' || c.external_id || '-' || k, 'GBP',
                50000, 1000 + (hashtext(c.external_id || k) & 65535), date '2026-11-24' - ((hashtext(k || c.external_id) & 255) % 150) + 10, 'open'
           from customers c cross join generate_series(1, $2) k where c.org_id = $1`,
      [orgId, invoicesPerDebtor],
    );
    await client.query('analyze');
    return orgId;
  } finally {
    await client.end();
  }
}

const server = await openTestServer(process.env);
const database = await createScratchDatabase(server.adminUrl, 'bench_evaluate');
try {
  await runMigrations(database.url);
  const orgId = await seed(database.url);
  const handle = connectDatabase(database.url, { poolMax: 10, logger: createLogger('warn') });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  const started = performance.now();
  const result = await evaluateOrganisation(handle.db, orgId, {
    now,
    batchSize: Number(process.env['BENCH_BATCH'] ?? 1000),
    concurrency: Number(process.env['BENCH_CONCURRENCY'] ?? 3),
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(
    JSON.stringify({
      bench: 'evaluate',
      invoices: result.invoices,
      debtors: result.debtors,
      emails: result.emails,
      tasks: result.tasks,
      flags: result.flags,
      seconds: Number(seconds.toFixed(1)),
      peak_rss_mb: Math.round(peakRss / 1_048_576),
    }),
  );
  // Reminders are rendered when they are sent: the cost per message, measured on a sample.
  const sample = await handle.db.select().from(outboundMessages).limit(2_000);
  const links = portalLinks('bench-secret-bench-secret-bench-secret', 'https://dunwell.example');
  const renderStarted = performance.now();
  for (const message of sample) await renderQueuedMessage(handle.db, message, { now, links });
  const renderSeconds = (performance.now() - renderStarted) / 1000;
  console.log(
    JSON.stringify({
      bench: 'render-at-send',
      messages: sample.length,
      per_second: Math.round(sample.length / renderSeconds),
    }),
  );
  await handle.pool.end();
} finally {
  await database.drop();
  await server.stop();
}
