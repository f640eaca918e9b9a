import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { orgId } from './columns.js';

/**
 * What the local email transport (no SendGrid) took, written before `send` returns: its record of
 * sends, as a provider keeps one, so that after a crash between "sending" and "sent" the outbox's
 * lookup finds the message sent instead of sending it again. Ids only, never the email.
 */
export const localEmailSends = pgTable(
  'local_email_sends',
  {
    /** Dunwell's outbound_messages.id, as the transport was given it. */
    messageId: text('message_id').primaryKey(),
    orgId: orgId(),
    providerMessageId: text('provider_message_id').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('local_email_sends_org_idx').on(table.orgId)],
);
