import type { Database } from '../../db/client.js';
import type { MessageAddress, outboundMessages } from '../../db/schema/index.js';
import type { PortalLinks } from '../../domain/portal-links.js';
import type { ReplyAddresses } from '../../domain/reply-address.js';
import type { LedgerContext } from '../../ledger/context.js';
import type { SmsDeps } from '../sms/send.js';
import type { EmailTransport } from '../transport/types.js';

/** A row of the email outbox, as delivery reads it. */
export type Message = typeof outboundMessages.$inferSelect;

export interface DeliveryDeps {
  db: Database;
  ledger: LedgerContext;
  transport: EmailTransport;
  /** Texts: absent when no provider is set up (a reminder meant to go by text then goes by email). */
  sms?: SmsDeps;
  from: { email: string; name: string };
  /** When set, a reminder to a debtor gets its own Reply-To (`reply+<token>@domain`), so its replies are matched. */
  replyAddresses?: ReplyAddresses;
  /** Signs the portal links of reminders rendered at send time. */
  links: PortalLinks;
  /**
   * Builds the one-click opt-out link of a message: a debtor's portal opt-out, or for a message to
   * the organisation's own people (no customer: the weekly summary) that recipient's unsubscribe.
   */
  unsubscribeUrl: (message: {
    id: string;
    orgId: string;
    customerId: string | null;
    purpose: 'reminder' | 'notice';
    template: string;
    to: MessageAddress[];
  }) => string | null;
  now: () => Date;
  /**
   * The lock held by the job this delivery runs in, recorded on each message it claims, and how to
   * tell whether another claimant's lock is still held: a message left "sending" by an attempt whose
   * job is over (its worker died) is then looked up at once, not after `inFlightMs`.
   */
  claimant?: { key: string; isHeld(key: string): Promise<boolean> };
}

export type DeliveryOutcome = 'sent' | 'cancelled' | 'rejected' | 'uncertain' | 'not_due';
