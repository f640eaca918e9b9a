import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { id } from './columns.js';
import { organisations } from './organisations.js';

/**
 * What happened to a stored inbound email: `received` waits for the job that matches it,
 * `unmatched` named no reply address of ours or a forged one (kept, never routed), `duplicate` is a
 * post of an email already matched (SendGrid posts again when it did not get its 200 in time),
 * `dismissed` an unmatched one a person of its organisation set aside.
 */
export type InboundEmailStatus = 'received' | 'matched' | 'unmatched' | 'duplicate' | 'dismissed';

/**
 * Emails posted by SendGrid's Inbound Parse (debtors' replies), stored before the post is answered
 * and matched to their message by a job. The organisation is unknown on receipt: it comes from the
 * reply address, once its token is checked.
 */
export const inboundEmails = pgTable(
  'inbound_emails',
  {
    id: id(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** The envelope's recipients (or the To header when there is no envelope), comma-separated. */
    toAddress: text('to_address').notNull(),
    fromAddress: text('from_address').notNull(),
    subject: text('subject').notNull().default(''),
    /** The text part, or the HTML part made text when there is none. */
    text: text('text').notNull().default(''),
    /** The Message-ID header, when the email had one. */
    messageId: text('message_id'),
    /** Bytes of the post as received, attachments included. */
    size: integer('size').notNull(),
    /** Attachments counted, never stored. */
    attachments: integer('attachments').notNull().default(0),
    /**
     * The sender passed SPF, or a DKIM signature of the sender's own domain: only then may a reply
     * with no reply token of ours be matched to a customer by its sender's address alone.
     */
    senderVerified: boolean('sender_verified').notNull().default(false),
    /**
     * The organisation of the message it replies to, once matched; for an unmatched one, the one
     * organisation whose customers hold its sender's address, when exactly one does (its Unmatched
     * messages page shows it). Its erasure takes the email.
     */
    orgId: uuid('org_id').references(() => organisations.id, { onDelete: 'cascade' }),
    status: text('status').$type<InboundEmailStatus>().notNull().default('received'),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (table) => [
    index('inbound_emails_pending_idx').on(table.receivedAt).where(sql`${table.status} = 'received'`),
    index('inbound_emails_unmatched_idx')
      .on(table.orgId, table.receivedAt)
      .where(sql`${table.status} = 'unmatched'`),
  ],
);
