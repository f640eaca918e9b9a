import type { PortalLinks } from '../domain/portal-links.js';
import type { LedgerContext } from '../ledger/context.js';
import type { CollectionRequests, SyncRequests } from '../sync/sync-requests.js';
import type { CookiePolicy } from './session.js';

/** What the web routes use; a worker-only process has none of it and serves health checks only. */
export interface WebServices {
  ledger: LedgerContext;
  /** Background work; a web process that can queue deliveries says so with `deliverMessage`. */
  requests: SyncRequests & Partial<CollectionRequests>;
  publicUrl: string;
  sessionSecret: string;
  cookies: CookiePolicy;
  /** SendGrid's Event Webhook verification key; without it, delivery events are not accepted. */
  sendGridWebhookPublicKey: string | undefined;
  /** The secret path part of SendGrid's Inbound Parse URL; without it, inbound emails are not accepted. */
  inboundEmailSecret?: string | undefined;
  /** Text messages: the auth token that signs Twilio's webhooks; absent, the SMS webhooks answer 404. */
  sms?: { authToken: string } | undefined;
  /** Signs and checks debtors' portal links. */
  portal: PortalLinks;
  /** Requests one address may make to the portal in a minute (default 60). */
  portalRequestsPerMinute?: number;
  /** The clock (tests move it); defaults to the system's. */
  now?: () => Date;
}
