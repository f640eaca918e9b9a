// A separate worker process for multi-worker tests: runs the recording jobs until SIGTERM.
import pg from 'pg';
import { createJobQueue } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/logger.js';
import { type RecordingDeps, recordingRegistry } from './recording-jobs.js';

const databaseUrl = process.env['DATABASE_URL'] ?? '';
const worker = process.env['WORKER_NAME'] ?? `worker-${process.pid}`;
const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
const queue = createJobQueue<RecordingDeps, typeof recordingRegistry>({
  connectionString: databaseUrl,
  registry: recordingRegistry,
  logger: createLogger(process.env['LOG_LEVEL'] ?? 'warn'),
  role: 'worker',
  concurrency: Number(process.env['JOB_CONCURRENCY'] ?? 2),
  batchSize: Number(process.env['JOB_BATCH_SIZE'] ?? 20),
  schema: process.env['JOBS_SCHEMA'] ?? 'pgboss',
});
await queue.start();
await queue.work({ pool, worker });
process.stdout.write('ready\n');

process.once('SIGTERM', async () => {
  await queue.stop(5_000);
  await pool.end();
  process.exit(0);
});
