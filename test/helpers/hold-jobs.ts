import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import { z } from 'zod';
import { jobDefiner, jobRegistryOf } from '../../src/jobs/job.js';

export interface HoldDeps {
  pool: pg.Pool;
  worker: string;
}

/**
 * A long job: records each attempt, then runs until the test releases its key. Serialised by key,
 * like a sync per connection, and with a long retry delay, so a crash retry that waited it out
 * would show.
 */
export const holdJob = jobDefiner<HoldDeps>()({
  name: 'test.hold',
  payload: z.object({ key: z.string() }),
  retry: { limit: 3, delaySeconds: 600, backoff: true },
  expireInSeconds: 3_600,
  serialiseBy: ({ key }) => key,
  async handle({ key }, { deps, jobId, retryCount, signal }) {
    await deps.pool.query('insert into hold_runs (job_id, attempt, worker) values ($1, $2, $3)', [
      jobId,
      retryCount,
      deps.worker,
    ]);
    while (!signal.aborted) {
      const released = await deps.pool.query('select 1 from hold_release where key = $1', [key]);
      if (released.rowCount) return;
      await delay(100);
    }
    throw new Error('the job was taken away from this worker');
  },
});

export const holdRegistry = jobRegistryOf(holdJob);

export const holdTables = [
  'create table hold_runs (job_id text not null, attempt int not null, worker text not null, at timestamptz not null default clock_timestamp())',
  'create table hold_release (key text primary key)',
];
