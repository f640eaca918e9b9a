// npm run bench:forecast: the 30-day forecast of an organisation of 1,000 debtors, read from
// PostgreSQL and run forward (load + forecast, timed together: what a person waits for on the page).
import { connectDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { forecastDays, forecastOf, loadForecastInputs } from '../src/forecast/forecast.js';
import { createLogger } from '../src/logger.js';
import { createScratchDatabase } from '../test/helpers/databases.js';
import { openTestServer } from '../test/helpers/test-server.js';
import { seedDebtors } from './support/seed-debtors.js';

const debtors = Number(process.env['BENCH_DEBTORS'] ?? 1_000);
const passes = Number(process.env['BENCH_PASSES'] ?? 3);
const asOf = '2026-11-24';
const now = new Date(`${asOf}T10:00:00Z`);

const server = await openTestServer(process.env);
const database = await createScratchDatabase(server.adminUrl, 'bench_forecast');
try {
  await runMigrations(database.url);
  // Three invoices a debtor, due from 30 days ahead to 120 days overdue: most debtors owe something
  // overdue, some only something coming due (heads-ups).
  const { orgId } = await seedDebtors(database.url, {
    debtors,
    invoicesPerDebtor: 3,
    asOf,
    newestDueDaysAgo: -30,
  });
  const handle = connectDatabase(database.url, { poolMax: 10, logger: createLogger('warn') });
  // A journey under way for a third of them: a reminder went 1 to 6 days ago (the contact cap holds).
  await handle.pool.query(
    `insert into collection_steps (org_id, customer_id, invoice_id, step_key, kind, effect_key, taken_at)
       select i.org_id, i.customer_id, i.id, 'reminder', 'email', i.customer_id || ':reminder:bench',
              $2::timestamptz - make_interval(days => 1 + (hashtext(c.external_id) & 7) % 6)
         from invoices i join customers c on c.id = i.customer_id
        where i.org_id = $1 and i.due_date < $3::date and (hashtext(c.external_id) & 3) = 0`,
    [orgId, now.toISOString(), asOf],
  );
  await handle.pool.query('analyze');
  const timings: Array<{ seconds: number; load: number; cpu: number; entries: number; debtors: number }> = [];
  for (let pass = 0; pass < passes; pass++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const inputs = await loadForecastInputs(handle.db, orgId, { now });
    if (!inputs) throw new Error('no organisation');
    const loaded = performance.now();
    const forecast = forecastOf(inputs, { from: now, days: forecastDays });
    const finished = performance.now();
    const used = process.cpuUsage(cpu);
    timings.push({
      seconds: (finished - started) / 1000,
      // This process's CPU time (its own threads, the collector's included): what the machine's
      // other load does not inflate.
      cpu: (used.user + used.system) / 1e6,
      load: (loaded - started) / 1000,
      entries: forecast.entries.length,
      debtors: forecast.debtors,
    });
  }
  // The slowest pass, the first (cold) one included: what a person may wait for.
  const worst = timings.reduce((slowest, timing) => (timing.seconds > slowest.seconds ? timing : slowest));
  console.error(
    JSON.stringify({
      passes: timings.map((timing) => ({
        seconds: Number(timing.seconds.toFixed(3)),
        load_seconds: Number(timing.load.toFixed(3)),
        cpu_seconds: Number(timing.cpu.toFixed(3)),
        entries: timing.entries,
      })),
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'forecast',
      debtors: worst.debtors,
      days: forecastDays,
      seconds: Number(worst.seconds.toFixed(2)),
    }),
  );
  await handle.pool.end();
} finally {
  await database.drop();
  await server.stop();
}
