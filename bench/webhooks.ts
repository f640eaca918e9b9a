// npm run bench:webhooks — the webhook routes under load: one web process (as deployed, with a
// PostgreSQL on the same machine) takes signed, unique QuickBooks CloudEvents and Xero events from
// autocannon on loopback; prints requests a second, latency percentiles and how many events did not
// reach the inbox. BENCH_CONNECTIONS (50), BENCH_SECONDS (10), LOG_LEVEL (info); BENCH_FLOOR=1 also
// runs a bare Fastify route doing only HMAC, JSON and the same inbox INSERT (bench/support/
// bare-webhooks.ts) against the same database, to tell the path's cost from the machine's.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
import { startBareWebhooks } from './support/bare-webhooks.js';

const connections = Number(process.env['BENCH_CONNECTIONS'] ?? 50);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const logLevel = process.env['LOG_LEVEL'] ?? 'info';
const withFloor = process.env['BENCH_FLOOR'] === '1';
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
const storedEvents = async (vendor: 'quickbooks' | 'xero') => {
  const [stored] = await runtime.database.db
    .select({ events: count() })
    .from(webhookInbox)
    .where(eq(webhookInbox.vendor, vendor));
  return stored?.events ?? 0;
};
// PostgreSQL's share: CPU time of this database's server processes (Linux's /proc; none elsewhere).
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
  } catch {
    return 100;
  }
})();
/** CPU time of each of this database's server processes, in microseconds. */
const postgresCpu = async (): Promise<Map<number, number>> => {
  const { rows } = await runtime.database.pool.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database()',
  );
  const times = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      // Fields 14 and 15 (user and system time) come after the command name in parentheses.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      times.set(pid, ((Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / ticksPerSecond) * 1e6);
    } catch {
      // Not Linux, or the process has just ended.
    }
  }
  return times;
};
/** What the processes used between two readings (one started meanwhile counts whole, one ended not at all). */
const postgresCpuBetween = (before: Map<number, number>, after: Map<number, number>): number | null => {
  if (after.size === 0) return null;
  let used = 0;
  for (const [pid, time] of after) used += time - (before.get(pid) ?? 0);
  return used;
};
const floor = withFloor
  ? await startBareWebhooks(runtime.database.pool, { quickbooks: verifier, xero: xeroKey })
  : undefined;
const targets = [
  { target: 'dunwell', url: runtime.url },
  ...(floor ? [{ target: 'floor', url: floor.url }] : []),
];
try {
  const results = [];
  for (const { target, url } of targets) {
    for (const vendor of ['quickbooks', 'xero'] as const) {
      process.env['BENCH_VENDOR'] = vendor;
      process.env['BENCH_WEBHOOK_SECRET'] = vendor === 'quickbooks' ? verifier : xeroKey;
      const commitsBefore = await commits();
      const storedBefore = await storedEvents(vendor);
      const postgresBefore = await postgresCpu();
      const cpuBefore = process.threadCpuUsage();
      const processBefore = process.cpuUsage();
      const result = await autocannon({
        url: `${url}/webhooks/${vendor}`,
        connections,
        duration: seconds,
        // The load generator runs in a thread of its own, as a separate client would.
        workers: 1,
        requests: [{ method: 'POST', setupRequest: setupRequestFile }],
      });
      // The web process's own cost per request, steadier than the rate on a machine shared with the
      // generator and PostgreSQL: CPU time of the main thread over the requests it answered. The
      // process's other threads are the generator's, and V8's and libuv's helpers.
      const cpu = process.threadCpuUsage(cpuBefore);
      const processCpu = process.cpuUsage(processBefore);
      const postgresUsed = postgresCpuBetween(postgresBefore, await postgresCpu());
      const requests = Math.max(1, result.requests.total);
      const perRequest = (microseconds: number) => Math.round(microseconds / requests);
      const answered = result['2xx'];
      results.push({
        bench: 'webhook',
        target,
        vendor,
        connections,
        seconds,
        log_level: logLevel,
        rps: Math.round(result.requests.average),
        p50_ms: result.latency.p50,
        p99_ms: result.latency.p99,
        cpu_us_per_request: perRequest(cpu.user + cpu.system),
        other_threads_cpu_us_per_request: perRequest(
          processCpu.user + processCpu.system - cpu.user - cpu.system,
        ),
        postgres_cpu_us_per_request: postgresUsed === null ? null : perRequest(postgresUsed),
        commits: (await commits()) - commitsBefore,
        non_2xx: result.non2xx,
        errors: result.errors,
        // In-flight requests at the end are stored but not counted as answered: only a shortfall is loss.
        lost: Math.max(0, answered - ((await storedEvents(vendor)) - storedBefore)),
      });
    }
  }
  for (const line of results) process.stdout.write(`${JSON.stringify(line)}\n`);
  // An event answered 200 but not stored, or a refused request, fails the run.
  if (results.some((line) => line.lost > 0 || line.non_2xx > 0 || line.errors > 0)) process.exitCode = 1;
} finally {
  await floor?.close();
  await runtime.stop();
  await database.drop();
  await server.stop();
}
