import {
  deliverDueJob,
  deliverLedgerWriteJob,
  deliverMessageJob,
  evaluateAllJob,
  evaluateOrganisationJob,
  sweepOutboxJob,
} from './definitions/collections.js';
import { eraseDisconnectedJob } from './definitions/erase-disconnected.js';
import { monthlyStatementsJob } from './definitions/monthly-statements.js';
import { ownerDigestsJob } from './definitions/owner-digests.js';
import { processInboundTextsJob } from './definitions/process-inbound-texts.js';
import { processRepliesJob } from './definitions/process-replies.js';
import { pruneWebhookInboxJob } from './definitions/prune-webhook-inbox.js';
import { reconcileConnectionsJob } from './definitions/reconcile-connections.js';
import { routeWebhooksJob } from './definitions/route-webhooks.js';
import { syncConnectionJob } from './definitions/sync-connection.js';
import { weeklySummariesJob, weeklySummaryJob } from './definitions/weekly-summary.js';
import { jobRegistryOf } from './job.js';

/** Every job the worker runs, by queue name. Add a job by adding its definition here. */
export const jobRegistry = jobRegistryOf(
  pruneWebhookInboxJob,
  syncConnectionJob,
  routeWebhooksJob,
  reconcileConnectionsJob,
  evaluateAllJob,
  evaluateOrganisationJob,
  sweepOutboxJob,
  deliverDueJob,
  deliverMessageJob,
  deliverLedgerWriteJob,
  eraseDisconnectedJob,
  weeklySummariesJob,
  weeklySummaryJob,
  monthlyStatementsJob,
  ownerDigestsJob,
  processRepliesJob,
  processInboundTextsJob,
);

export type AppJobRegistry = typeof jobRegistry;
