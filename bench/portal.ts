// npm run bench:portal — the debtor's page under load: requests a second and latency percentiles for
// GET /portal/<token> (a signed link checked, the debtor's invoices, arrangements and policy read,
// the page rendered) over a generated organisation, plus the POST of a promise to pay.
import type { AddressInfo } from 'node:net';
import { connectDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { portalLinks } from '../src/domain/portal-links.js';
import type { LedgerContext } from '../src/ledger/context.js';
import { createLogger } from '../src/logger.js';
import { buildApp } from '../src/web/app.js';
import { createScratchDatabase } from '../test/helpers/databases.js';
import { openTestServer } from '../test/helpers/test-server.js';
import { seedDebtors } from './support/seed-debtors.js';

const debtors = Number(process.env['BENCH_DEBTORS'] ?? 50_000);
const invoicesPerDebtor = 5;
const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const secret = 'bench-secret-bench-secret-bench-secret';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

const server = await openTestServer(process.env);
const database = await createScratchDatabase(server.adminUrl, 'bench_portal');
try {
  await runMigrations(database.url);
  const { orgId, customerIds } = await seedDebtors(database.url, {
    debtors,
    invoicesPerDebtor,
    asOf: new Date().toISOString().slice(0, 10),
    newestDueDaysAgo: 0,
  });
  const logger = createLogger('error');
  const handle = connectDatabase(database.url, { poolMax: 20, logger });
  const links = portalLinks(secret, 'http://127.0.0.1');
  const app = await buildApp({
    logger,
    readinessChecks: [],
    services: {
      ledger: { db: handle.db, pool: handle.pool, logger } as unknown as LedgerContext,
      requests: { sync: async () => {}, routeWebhooks: async () => {} },
      publicUrl: 'http://127.0.0.1',
      sessionSecret: secret,
      cookies: { secure: false },
      sendGridWebhookPublicKey: undefined,
      portal: links,
      portalRequestsPerMinute: 10_000_000,
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const expires = new Date(Date.now() + 86_400_000);
  const tokenOf = (index: number) =>
    links.tokenFor({ orgId, customerId: customerIds[index % customerIds.length] ?? '' }, expires);

  async function run(label: string, request: (index: number) => Promise<Response>, count?: number) {
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    const deadline = Date.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (count === undefined ? Date.now() < deadline : next < count) {
          const index = next++;
          const at = performance.now();
          const response = await request(index);
          await response.arrayBuffer();
          if (response.status >= 400) failures += 1;
          latencies.push(performance.now() - at);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `${label}: ${latencies.length} requests in ${elapsed.toFixed(1)} s = ${(latencies.length / elapsed).toFixed(0)}/s; ` +
        `p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms; ${failures} failed`,
    );
  }

  console.log(
    `${debtors} debtors × ${invoicesPerDebtor} invoices; ${concurrency} concurrent clients; one Node process`,
  );
  await run('GET  the account page   ', (index) => fetch(`${base}/portal/${tokenOf(index * 7919)}`));
  const promisedDate = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  await run(
    'POST a promise to pay     ',
    (index) =>
      fetch(`${base}/portal/${tokenOf(index)}/promise`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `promisedDate=${promisedDate}`,
        redirect: 'manual',
      }),
    Math.min(2_000, customerIds.length),
  );
  await app.close();
  await handle.pool.end();
} finally {
  await database.drop();
  await server.stop();
}
