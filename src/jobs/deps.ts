import type { Database } from '../db/client.js';
import type { LedgerContext } from '../ledger/context.js';
import type { EmailTransport } from '../messaging/transport/types.js';
import type { PortalLinks } from '../portal/links.js';
import type { WeeklySummaryLinks } from '../reports/summary-links.js';
import type { CollectionRequests, SyncRequests } from '../sync/sync-requests.js';
import { jobDefiner } from './job.js';

/** What the application's jobs may use; each job takes only what it needs from it. */
export interface JobDeps {
  db: Database;
  ledger: LedgerContext;
  requests: SyncRequests & CollectionRequests;
  collections: {
    links: PortalLinks;
    transport: EmailTransport;
    from: { email: string; name: string };
    /** Balances confirmed with the ledger more recently than this are trusted when a reminder goes. */
    freshnessMs: number;
  };
  /** Signs the weekly summary's review and unsubscribe links. */
  weeklySummary: { links: WeeklySummaryLinks };
}

export const defineAppJob = jobDefiner<JobDeps>();
