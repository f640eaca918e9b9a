import type { ReadinessCheck } from '../health/readiness-check.js';
import type { JobQueueHealth } from './queue.js';

/**
 * The job queue's `/readyz` check: failing when its database does not answer; degraded, with
 * `stuckJobs`, while jobs sit `active` past their heartbeat timeout (a dead worker's, not yet swept).
 */
export function jobsReadinessCheck(jobs: { health(): Promise<JobQueueHealth> }): ReadinessCheck {
  return {
    name: 'jobs',
    async check() {
      const { reachable, stuckJobs } = await jobs.health();
      if (!reachable) return { ok: false };
      return { ok: true, degraded: (stuckJobs ?? 0) > 0, details: { stuckJobs } };
    },
  };
}
