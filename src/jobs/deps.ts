import type { Database } from '../db/client.js';
import { jobDefiner } from './job.js';

/** What the application's jobs may use; each job takes only what it needs from it. */
export interface JobDeps {
  db: Database;
}

export const defineAppJob = jobDefiner<JobDeps>();
