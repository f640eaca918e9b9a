import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/free-port.js';
import { createJobQueue } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/logger.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.js';
import { holdRegistry, holdTables } from '../helpers/hold-jobs.js';
import { type RunningProcess, runTypeScript } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

// Short settings so the test takes seconds; production defaults are 10 s and 40 s.
const heartbeatSeconds = 1;
const timeoutSeconds = 10;

interface Readiness {
  code: number;
  body: { status?: string; checks?: Record<string, string>; stuckJobs?: number | null };
}

async function readiness(base: string): Promise<Readiness | undefined> {
  try {
    const response = await fetch(`${base}/readyz`);
    return { code: response.status, body: (await response.json()) as Readiness['body'] };
  } catch {
    return undefined;
  }
}

/**
 * Worker processes run a long job (serialised per key, with a 10-minute retry delay); the test
 * SIGKILLs them mid-job. A web process (src/main.ts --role web) serves /readyz on the same database.
 */
describe('crash recovery: a dead worker’s jobs are retried within a minute', () => {
  let scratch: ScratchDatabase;
  let pool: pg.Pool;
  let web: RunningProcess;
  let base: string;
  const workers: RunningProcess[] = [];
  let producer: ReturnType<typeof createJobQueue<unknown, typeof holdRegistry>>;

  function startWorker(name: string): RunningProcess {
    const worker = runTypeScript('test/helpers/hold-worker.ts', [], {
      DATABASE_URL: scratch.url,
      WORKER_NAME: name,
      JOB_HEARTBEAT_SECONDS: String(heartbeatSeconds),
      JOB_HEARTBEAT_TIMEOUT_SECONDS: String(timeoutSeconds),
    });
    workers.push(worker);
    return worker;
  }

  async function job(id: string) {
    const { rows } = await pool.query<{
      state: string;
      retry_count: number;
      active_seconds: number | null;
      heartbeat_age: number | null;
    }>(
      `select state, retry_count,
              extract(epoch from now() - started_on)::float8 as active_seconds,
              extract(epoch from now() - heartbeat_on)::float8 as heartbeat_age
         from pgboss.job where id = $1`,
      [id],
    );
    return rows[0];
  }

  async function runs(id: string) {
    const { rows } = await pool.query<{ attempt: number; worker: string }>(
      'select attempt, worker from hold_runs where job_id = $1 order by at',
      [id],
    );
    return rows;
  }

  beforeAll(async () => {
    scratch = await createScratchDatabase(inject('adminUrl'), 'crash');
    pool = new pg.Pool({ connectionString: scratch.url, max: 3 });
    for (const table of holdTables) await pool.query(table);
    const port = await freePort();
    web = runTypeScript('src/main.ts', ['--role', 'web'], {
      DATABASE_URL: scratch.url,
      PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await readiness(base))?.code === 200, {
      timeoutMs: 60_000,
      what: 'the web process',
    });
    producer = createJobQueue<unknown, typeof holdRegistry>({
      connectionString: scratch.url,
      registry: holdRegistry,
      logger: createLogger('silent'),
      role: 'producer',
      concurrency: 1,
    });
    await producer.start();
  });
  afterEach(() => {
    for (const worker of workers.splice(0)) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await producer?.stop(500);
    if (web?.child.exitCode === null) {
      web.child.kill('SIGTERM');
      await web.exited;
    }
    await pool?.end();
    await scratch?.drop();
  });

  it('leaves a live worker’s long job alone, then retries it at once when a new worker starts after a SIGKILL', async () => {
    const first = startWorker('first');
    await first.waitForOutput('ready');
    const jobId = (await producer.send('test.hold', { key: 'connection-1' })) ?? '';
    await waitFor(async () => (await runs(jobId)).length === 1, {
      timeoutMs: 60_000,
      what: 'the first worker to start the job',
    }).catch(async (error: Error) => {
      throw new Error(
        `${error.message}; job ${JSON.stringify(await job(jobId))}; worker:\n${first.output()}`,
      );
    });
    // A second job for the same key waits behind the running one, as a sync queued behind a running
    // sync does. (Queued at the same instant, either may start first and both may be claimed, the
    // advisory lock then serialising them; that race is not what this test is about.)
    const waiting = (await producer.send('test.hold', { key: 'connection-1' })) ?? '';

    // Alive for well past the timeout and several sweeps: still the first attempt, heartbeat fresh.
    const alive = await waitFor(
      async () => {
        const state = await job(jobId);
        expect(state).toMatchObject({ state: 'active', retry_count: 0 });
        expect(state?.heartbeat_age).toBeLessThan(timeoutSeconds);
        return (state?.active_seconds ?? 0) > timeoutSeconds + 3 * heartbeatSeconds ? state : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'the job to outlive its heartbeat timeout' },
    );
    expect(alive.state).toBe('active');
    expect(await runs(jobId)).toEqual([{ attempt: 0, worker: 'first' }]);
    expect((await job(waiting))?.state).toBe('created');
    const healthy = await readiness(base);
    expect(healthy).toEqual({
      code: 200,
      body: { status: 'ready', checks: { database: 'ok', jobs: 'ok' }, stuckJobs: 0 },
    });

    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();
    await pool.query("insert into hold_release (key) values ('connection-1')");

    // Before anything recovers it, /readyz names the stuck job, and stays 200 (degraded, not unready).
    const stuck = await waitFor(
      async () => {
        const ready = await readiness(base);
        return ready?.body.stuckJobs === 1 ? ready : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: '/readyz to report the stuck job' },
    );
    expect(stuck).toEqual({
      code: 200,
      body: { status: 'degraded', checks: { database: 'ok', jobs: 'degraded' }, stuckJobs: 1 },
    });
    expect((await job(jobId))?.state).toBe('active');
    expect((await job(waiting))?.state).toBe('created');

    const restartedAt = Date.now();
    const second = startWorker('second');
    await waitFor(async () => (await job(jobId))?.state === 'completed', {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the crashed job to be retried and completed',
    });
    const recoveredAt = Date.now();
    await waitFor(async () => (await job(waiting))?.state === 'completed', {
      timeoutMs: 30_000,
      what: 'the job queued behind it to run',
    });
    process.stdout.write(
      `crash recovery: job completed ${recoveredAt - restartedAt} ms after the new worker was started ` +
        `(${recoveredAt - killedAt} ms after SIGKILL, the test waiting for /readyz in between)\n`,
    );
    expect(recoveredAt - restartedAt).toBeLessThan(60_000);
    expect(await runs(jobId)).toEqual([
      { attempt: 0, worker: 'first' },
      { attempt: 1, worker: 'second' },
    ]);
    expect((await readiness(base))?.body).toMatchObject({ status: 'ready', stuckJobs: 0 });
    expect(second.output()).toContain('retrying it now');
  }, 180_000);

  it('a worker already running sweeps a dead worker’s job within the timeout plus a sweep', async () => {
    const doomed = startWorker('doomed');
    const survivor = startWorker('survivor');
    await Promise.all([doomed.waitForOutput('ready'), survivor.waitForOutput('ready')]);
    const jobId = (await producer.send('test.hold', { key: 'connection-2' })) ?? '';
    const [started] = await waitFor(async () => {
      const rows = await runs(jobId);
      return rows.length === 1 ? rows : undefined;
    });
    // Kill whichever worker took it; the other one must pick it up.
    const holder = started?.worker === 'doomed' ? doomed : survivor;
    const other = holder === doomed ? 'survivor' : 'doomed';
    await pool.query("insert into hold_release (key) values ('connection-2')");
    holder.child.kill('SIGKILL');
    const killedAt = Date.now();
    await waitFor(async () => (await job(jobId))?.state === 'completed', {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the live worker to retry the dead worker’s job',
    });
    const recovered = Date.now() - killedAt;
    process.stdout.write(`crash recovery with a live worker: job completed ${recovered} ms after SIGKILL\n`);
    // Timeout, plus one sweep, plus one idle poll (2 s), plus slack for a loaded machine.
    expect(recovered).toBeLessThan((timeoutSeconds + heartbeatSeconds + 2 + 5) * 1000);
    expect((await runs(jobId)).map((run) => run.worker)).toEqual([started?.worker, other]);
  });
});
