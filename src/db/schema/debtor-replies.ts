import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, orgId } from './columns.js';

/** A class of reply, as src/replies/classify-reply.ts names them. */
export type DebtorReplyClass =
  | 'paid_already'
  | 'promise'
  | 'dispute'
  | 'plan_request'
  | 'out_of_office'
  | 'unsubscribe'
  | 'other';

/**
 * How a reply was tied to its debtor: `token` by the reply address's checked HMAC, `sender` by the
 * From address (held by one customer of one organisation, nothing else), `person` by someone who
 * chose the customer on the Unmatched messages page.
 */
export type DebtorReplyMatch = 'token' | 'sender' | 'person';

/**
 * A debtor's reply (an email, or a text a person assigned), classified. Unread (`read_at` null), it
 * pauses the debtor's automatic chasing until a person has read it.
 */
export const debtorReplies = pgTable(
  'debtor_replies',
  {
    id: id(),
    orgId: orgId(),
    // No foreign keys: the reply goes with its organisation, as the activity log does.
    customerId: uuid('customer_id').notNull(),
    /** The reminder replied to (outbound_messages.id); null when not matched by its reply address. */
    messageId: uuid('message_id'),
    /** The email (inbound_emails.id) or the text (inbound_sms.id) it came as: one of the two. */
    inboundEmailId: uuid('inbound_email_id'),
    inboundSmsId: uuid('inbound_sms_id'),
    matchedBy: text('matched_by').$type<DebtorReplyMatch>().notNull().default('token'),
    class: text('class').$type<DebtorReplyClass>().notNull(),
    confidence: real('confidence').notNull(),
    /** The phrase that decided, in the reply's own words. */
    why: text('why').notNull().default(''),
    promisedDate: date('promised_date', { mode: 'string' }),
    returnsOn: date('returns_on', { mode: 'string' }),
    /** The sender's address, or the phone number of a text. */
    fromAddress: text('from_address').notNull(),
    subject: text('subject').notNull().default(''),
    text: text('text').notNull().default(''),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [
    index('debtor_replies_customer_idx').on(table.orgId, table.customerId, table.receivedAt),
    index('debtor_replies_unread_idx').on(table.orgId, table.customerId).where(sql`${table.readAt} is null`),
    check(
      'debtor_replies_one_source',
      sql`(${table.inboundEmailId} is null) <> (${table.inboundSmsId} is null)`,
    ),
  ],
);
