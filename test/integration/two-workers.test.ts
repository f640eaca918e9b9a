import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createJobQueue } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/logger.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.js';
import { type RunningProcess, runTypeScript } from '../helpers/processes.js';
import { jobRunsTable, type RecordingDeps, recordingRegistry } from '../helpers/recording-jobs.js';
import { waitFor } from '../helpers/wait.js';

const jobCount = 500;

describe('two worker processes on one database', () => {
  let scratch: ScratchDatabase;
  let pool: pg.Pool;
  const workers: RunningProcess[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase(inject('adminUrl'), 'workers');
    pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
    await pool.query(jobRunsTable);
  });
  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await pool.end();
    await scratch.drop();
  });

  it(`run ${jobCount} jobs exactly once each: no duplicates, no losses`, async () => {
    for (const name of ['worker-a', 'worker-b']) {
      workers.push(
        runTypeScript('test/helpers/worker-process.ts', [], {
          DATABASE_URL: scratch.url,
          WORKER_NAME: name,
          JOBS_SCHEMA: 'pgboss',
        }),
      );
    }
    await Promise.all(workers.map((worker) => worker.waitForOutput('ready')));

    const producer = createJobQueue<RecordingDeps, typeof recordingRegistry>({
      connectionString: scratch.url,
      registry: recordingRegistry,
      logger: createLogger('silent'),
      role: 'producer',
      concurrency: 1,
    });
    await producer.start();
    const payloads = Array.from({ length: jobCount }, (_, n) => ({ n }));
    for (let start = 0; start < jobCount; start += 100) {
      await producer.sendMany('test.record-run', payloads.slice(start, start + 100));
    }
    await producer.stop(1000);

    await waitFor(
      async () => {
        const { rows } = await pool.query<{ runs: number }>('select count(*)::int as runs from job_runs');
        return (rows[0]?.runs ?? 0) >= jobCount;
      },
      { timeoutMs: 60_000, what: 'every job to run' },
    );
    // Stop both workers before counting, so a late duplicate would be counted too.
    for (const worker of workers) worker.child.kill('SIGTERM');
    const exits = await Promise.all(workers.map((worker) => worker.exited));
    expect(exits.map((exit) => exit.code)).toEqual([0, 0]);

    const { rows } = await pool.query<{
      runs: number;
      distinct_jobs: number;
      distinct_n: number;
      min_n: number;
      max_n: number;
    }>(
      `select count(*)::int as runs, count(distinct job_id)::int as distinct_jobs, count(distinct n)::int as distinct_n,
              min(n) as min_n, max(n) as max_n from job_runs`,
    );
    expect(rows[0]).toEqual({
      runs: jobCount,
      distinct_jobs: jobCount,
      distinct_n: jobCount,
      min_n: 0,
      max_n: jobCount - 1,
    });

    const perWorker = await pool.query<{ worker: string; runs: number }>(
      'select worker, count(*)::int as runs from job_runs group by worker order by worker',
    );
    expect(perWorker.rows.map((row) => row.worker)).toEqual(['worker-a', 'worker-b']);
    for (const row of perWorker.rows) expect(row.runs).toBeGreaterThan(0);
  });
});
