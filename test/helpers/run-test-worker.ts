import pg from 'pg';
import type { JobRegistry } from '../../src/jobs/job.js';
import { createJobQueue, type JobQueueOptions } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/logger.js';

/** What a test worker's jobs get: a pool of their own and the worker's name. */
export interface WorkerDeps {
  pool: pg.Pool;
  worker: string;
}

/**
 * The body of a test worker process: runs `registry`'s jobs against DATABASE_URL, says "ready" on
 * stdout once it takes work, and stops cleanly on SIGTERM (a SIGKILL from the test is the crash).
 */
export async function runTestWorker<Registry extends JobRegistry<WorkerDeps>>(
  registry: Registry,
  options: Omit<JobQueueOptions<WorkerDeps, Registry>, 'connectionString' | 'registry' | 'logger' | 'role'>,
): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'] ?? '';
  const worker = process.env['WORKER_NAME'] ?? `worker-${process.pid}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const queue = createJobQueue({
    connectionString: databaseUrl,
    registry,
    logger: createLogger(process.env['LOG_LEVEL'] ?? 'warn'),
    role: 'worker',
    ...options,
  });
  await queue.start();
  await queue.work({ pool, worker });
  process.stdout.write('ready\n');
  process.once('SIGTERM', async () => {
    await queue.stop(5_000);
    await pool.end();
    process.exit(0);
  });
}
