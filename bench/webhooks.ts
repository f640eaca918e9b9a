// npm run bench:webhooks — the webhook routes under load: one web process (as deployed, with a
// PostgreSQL on the same machine) takes signed, unique QuickBooks CloudEvents and Xero events from
// autocannon on loopback; prints requests a second, latency percentiles and how many events did not
// reach the inbox. BENCH_CONNECTIONS (50), BENCH_SECONDS (10), LOG_LEVEL (info).
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { count, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { formatKeyEntry } from '../src/crypto/keyring.js';
import { webhookInbox } from '../src/db/schema/index.js';
import { createLogger } from '../src/logger.js';
import { startRuntime } from '../src/runtime.js';
import { createScratchDatabase } from '../test/helpers/databases.js';
import { openTestServer } from '../test/helpers/test-server.js';

const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 50);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const logLevel = process.env['LOG_LEVEL'] ?? 'info';
const verifier = 'bench-verifier-token';
const xeroKey = 'bench-xero-webhook-key';
const setupRequestFile = fileURLToPath(new URL('./support/webhook-request.cjs', import.meta.url));

const server = await openTestServer(process.env);
const database = await createScratchDatabase(server.adminUrl, 'bench_webhooks');
const config = loadConfig(
  {
    DATABASE_URL: database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    TOKEN_KEYS: formatKeyEntry('bench', randomBytes(32)),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    QUICKBOOKS_CLIENT_ID: 'bench',
    QUICKBOOKS_CLIENT_SECRET: 'bench',
    QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN: verifier,
    XERO_CLIENT_ID: 'bench',
    XERO_CLIENT_SECRET: 'bench',
    XERO_WEBHOOK_KEY: xeroKey,
    LOG_LEVEL: logLevel,
  },
  ['--role', 'web'],
);
// As in production, every line is written (to /dev/null here rather than a terminal).
const runtime = await startRuntime(config, createLogger(logLevel, pino.destination('/dev/null')));
const commits = async () => {
  const { rows } = await runtime.database.pool.query<{ commits: string }>(
    'select xact_commit as commits from pg_stat_database where datname = current_database()',
  );
  return Number(rows[0]?.commits ?? 0);
};
try {
  const results = [];
  for (const vendor of ['quickbooks', 'xero'] as const) {
    process.env['BENCH_VENDOR'] = vendor;
    process.env['BENCH_WEBHOOK_SECRET'] = vendor === 'quickbooks' ? verifier : xeroKey;
    const commitsBefore = await commits();
    const cpuBefore = process.threadCpuUsage();
    const result = await autocannon({
      url: `${runtime.url}/webhooks/${vendor}`,
      connections,
      duration: seconds,
      // The load generator runs in a thread of its own, as a separate client would.
      workers: 1,
      requests: [{ method: 'POST', setupRequest: setupRequestFile }],
    });
    // The web process's own cost per request, steadier than the rate on a machine shared with the
    // generator and PostgreSQL: CPU time of the main thread over the requests it answered.
    const cpu = process.threadCpuUsage(cpuBefore);
    const [stored] = await runtime.database.db
      .select({ events: count() })
      .from(webhookInbox)
      .where(eq(webhookInbox.vendor, vendor));
    const answered = result['2xx'];
    results.push({
      bench: 'webhook',
      vendor,
      connections,
      seconds,
      log_level: logLevel,
      rps: Math.round(result.requests.average),
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      cpu_us_per_request: Math.round((cpu.user + cpu.system) / Math.max(1, result.requests.total)),
      commits: (await commits()) - commitsBefore,
      non_2xx: result.non2xx,
      errors: result.errors,
      // In-flight requests at the end are stored but not counted as answered: only a shortfall is loss.
      lost: Math.max(0, answered - (stored?.events ?? 0)),
    });
  }
  for (const line of results) process.stdout.write(`${JSON.stringify(line)}\n`);
  // An event answered 200 but not stored, or a refused request, fails the run.
  if (results.some((line) => line.lost > 0 || line.non_2xx > 0 || line.errors > 0)) process.exitCode = 1;
} finally {
  await runtime.stop();
  await database.drop();
  await server.stop();
}
