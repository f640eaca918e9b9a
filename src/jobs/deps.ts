import type { Database } from '../db/client.js';
import type { LedgerContext } from '../ledger/context.js';
import type { SyncRequests } from '../sync/sync-requests.js';
import { jobDefiner } from './job.js';

/** What the application's jobs may use; each job takes only what it needs from it. */
export interface JobDeps {
  db: Database;
  ledger: LedgerContext;
  requests: SyncRequests;
}

export const defineAppJob = jobDefiner<JobDeps>();
