// A worker process running the long `test.hold` job until SIGTERM (or a SIGKILL from the test).
import pg from 'pg';
import { createJobQueue } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/logger.js';
import { type HoldDeps, holdRegistry } from './hold-jobs.js';

const databaseUrl = process.env['DATABASE_URL'] ?? '';
const worker = process.env['WORKER_NAME'] ?? `worker-${process.pid}`;
const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
const queue = createJobQueue<HoldDeps, typeof holdRegistry>({
  connectionString: databaseUrl,
  registry: holdRegistry,
  logger: createLogger(process.env['LOG_LEVEL'] ?? 'warn'),
  role: 'worker',
  concurrency: 2,
  heartbeat: {
    intervalSeconds: Number(process.env['JOB_HEARTBEAT_SECONDS'] ?? 10),
    timeoutSeconds: Number(process.env['JOB_HEARTBEAT_TIMEOUT_SECONDS'] ?? 40),
  },
});
await queue.start();
await queue.work({ pool, worker });
process.stdout.write('ready\n');

process.once('SIGTERM', async () => {
  await queue.stop(5_000);
  await pool.end();
  process.exit(0);
});
