import type { LedgerContext } from '../ledger/context.js';
import type { SyncRequests } from '../sync/sync-requests.js';
import type { CookiePolicy } from './session.js';

/** What the web routes use; a worker-only process has none of it and serves health checks only. */
export interface WebServices {
  ledger: LedgerContext;
  requests: SyncRequests;
  publicUrl: string;
  sessionSecret: string;
  cookies: CookiePolicy;
  /** SendGrid's Event Webhook verification key; without it, delivery events are not accepted. */
  sendGridWebhookPublicKey: string | undefined;
}
