import type pg from 'pg';
import { z } from 'zod';
import { jobDefiner, jobRegistryOf } from '../../src/jobs/job.js';

export interface RecordingDeps {
  pool: pg.Pool;
  worker: string;
}

/** Writes one row per run, with no unique constraint, so a job run twice leaves two rows. */
export const recordRun = jobDefiner<RecordingDeps>()({
  name: 'test.record-run',
  payload: z.object({ n: z.number().int() }),
  retry: { limit: 2, delaySeconds: 1, backoff: false },
  async handle({ n }, { deps, jobId }) {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 3)); // interleave the workers
    await deps.pool.query('insert into job_runs (job_id, n, worker) values ($1, $2, $3)', [
      jobId,
      n,
      deps.worker,
    ]);
  },
});

export const recordingRegistry = jobRegistryOf(recordRun);

export const jobRunsTable =
  'create table job_runs (job_id text not null, n int not null, worker text not null)';
