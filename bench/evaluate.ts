// npm run bench:evaluate: an end-to-end evaluation from PostgreSQL — debtors loaded in batches,
// planned, and their actions written to the outboxes — over a generated organisation; then the cost
// of rendering a reminder when it is sent.
import { evaluateOrganisation } from '../src/collections/evaluate.js';
import { connectDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { outboundMessages } from '../src/db/schema/index.js';
import { portalLinks } from '../src/domain/portal-links.js';
import { createLogger } from '../src/logger.js';
import { renderQueuedMessage } from '../src/messaging/render/queued-message.js';
import { createScratchDatabase } from '../test/helpers/databases.js';
import { openTestServer } from '../test/helpers/test-server.js';
import { seedDebtors } from './support/seed-debtors.js';

const debtors = Number(process.env['BENCH_DEBTORS'] ?? 200_000);
const invoicesPerDebtor = 5;
const now = new Date('2026-11-24T10:00:00Z');

const server = await openTestServer(process.env);
const database = await createScratchDatabase(server.adminUrl, 'bench_evaluate');
try {
  await runMigrations(database.url);
  // Due dates from 10 days ahead to 140 days overdue: every debtor is due something at once.
  const { orgId } = await seedDebtors(database.url, {
    debtors,
    invoicesPerDebtor,
    asOf: '2026-11-24',
    newestDueDaysAgo: -10,
  });
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
