import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/free-port.js';
import type { JobDeps } from '../../src/jobs/deps.js';
import { createJobQueue } from '../../src/jobs/queue.js';
import { type AppJobRegistry, jobRegistry } from '../../src/jobs/registry.js';
import { createLogger } from '../../src/logger.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.js';
import { type RunningProcess, runTypeScript } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

async function status(url: string): Promise<number | 'refused'> {
  try {
    return (await fetch(url)).status;
  } catch {
    return 'refused';
  }
}

async function queryOnce(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A real job made to run long: the test holds a lock on webhook_inbox, so the app's own prune job
 * blocks on its DELETE until the test lets go.
 */
describe('graceful shutdown', () => {
  let scratch: ScratchDatabase;
  let locker: pg.Client;
  let dunwell: RunningProcess | undefined;
  let producer: ReturnType<typeof createJobQueue<JobDeps, AppJobRegistry>>;

  beforeEach(async () => {
    scratch = await createScratchDatabase(inject('adminUrl'), 'shutdown');
    locker = new pg.Client({ connectionString: scratch.url });
    await locker.connect();
    producer = createJobQueue<JobDeps, AppJobRegistry>({
      connectionString: scratch.url,
      registry: jobRegistry,
      logger: createLogger('silent'),
      role: 'producer',
      concurrency: 1,
    });
  });
  afterEach(async () => {
    if (dunwell?.child.exitCode === null) dunwell.child.kill('SIGKILL');
    await locker.end().catch(() => undefined);
    await producer.stop(500);
    await scratch.drop();
  });

  async function startWithBlockedJob(shutdownTimeoutMs: number) {
    const port = await freePort();
    dunwell = runTypeScript('src/main.ts', [], {
      DATABASE_URL: scratch.url,
      PORT: String(port),
      SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
      LOG_LEVEL: 'info',
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await status(`${base}/readyz`)) === 200, {
      timeoutMs: 60_000,
      what: 'readiness',
    });
    await producer.start();

    await locker.query('begin');
    await locker.query('lock table webhook_inbox in access exclusive mode');
    const jobId = (await producer.send('webhook-inbox.prune', { keepDays: 30 })) ?? '';
    // Polled from another connection: inside the locker's transaction pg_stat_activity is a snapshot.
    await waitFor(
      async () => {
        const rows = await queryOnce(
          scratch.url,
          "select 1 from pg_stat_activity where wait_event_type = 'Lock' and query ilike 'delete from %webhook_inbox%'",
        );
        return rows.length === 1;
      },
      { what: 'the job to block on the lock' },
    );
    expect((await producer.find('webhook-inbox.prune', jobId))?.state).toBe('active');
    return { base, jobId, dunwell };
  }

  it('stops taking requests, lets the running job finish, then exits 0', async () => {
    const { base, jobId, dunwell: running } = await startWithBlockedJob(30_000);
    let exitedAt = 0;
    void running.exited.then(() => {
      exitedAt = Date.now();
    });

    running.child.kill('SIGTERM');
    await waitFor(async () => (await status(`${base}/healthz`)) !== 200, { what: 'HTTP to stop' });
    expect(running.child.exitCode).toBeNull(); // still draining: the job holds it open

    const releasedAt = Date.now();
    await locker.query('commit');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(exitedAt).toBeGreaterThanOrEqual(releasedAt);
    expect((await producer.find('webhook-inbox.prune', jobId))?.state).toBe('completed');
    expect(running.output()).toContain('"msg":"stopped"');
  });

  it('gives up on a job that outlasts the grace period, leaving it to be retried', async () => {
    const { jobId, dunwell: running } = await startWithBlockedJob(1_000);
    running.child.kill('SIGTERM');
    const exit = await running.exited; // bounded: without the bound this would wait for the lock
    expect(exit.code).toBe(0);
    const job = await producer.find('webhook-inbox.prune', jobId);
    expect(job?.state).toBe('retry');
    await locker.query('rollback');
  });
});
