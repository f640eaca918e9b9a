import type { Database } from '../db/client.js';
import type { PortalLinks } from '../domain/portal-links.js';
import type { ReplyAddresses } from '../domain/reply-address.js';
import type { LedgerContext } from '../ledger/context.js';
import type { SmsDeps } from '../messaging/sms/send.js';
import type { EmailTransport } from '../messaging/transport/types.js';
import type { WeeklySummaryLinks } from '../reports/summary-links.js';
import type { CollectionRequests, SyncRequests } from '../sync/sync-requests.js';
import { jobDefiner } from './job.js';

/** How jobs ask for a delivery run (src/jobs/definitions/collections.ts: `collections.deliver-due`). */
export interface DeliveryRunRequests {
  /** Queues a delivery run of one organisation's due messages; one already waiting absorbs the request. */
  deliverDue(orgId: string): Promise<void>;
}

/** What the application's jobs may use; each job takes only what it needs from it. */
export interface JobDeps {
  db: Database;
  ledger: LedgerContext;
  requests: SyncRequests & CollectionRequests & DeliveryRunRequests;
  collections: {
    links: PortalLinks;
    transport: EmailTransport;
    from: { email: string; name: string };
    /**
     * Reply addresses per reminder (`INBOUND_REPLY_DOMAIN`): each reminder's Reply-To names it, and
     * replies are matched by them. Absent: replies go to the organisation's contact email.
     */
    replyAddresses?: ReplyAddresses;
    /** Messages per batch of a delivery run (default 200). */
    deliveryBatch?: number;
  };
  /** Signs the weekly summary's review and unsubscribe links. */
  weeklySummary: { links: WeeklySummaryLinks };
  /** The owner digest: at most one per organisation per window (default 15 minutes); Slack's address. */
  ownerDigest?: { windowMinutes: number; slack: { slackBaseUrl?: string } };
  /** Text messages (`sendText`): absent when SMS is off (no Twilio settings, and no local emulator). */
  sms?: SmsDeps;
}

export const defineAppJob = jobDefiner<JobDeps>();
