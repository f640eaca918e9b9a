import { sql } from 'drizzle-orm';
import { date, index, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
 * A debtor's reply to a reminder, matched through its reply address and classified. Unread
 * (`read_at` null), it pauses the debtor's automatic chasing until a person has read it.
 */
export const debtorReplies = pgTable(
  'debtor_replies',
  {
    id: id(),
    orgId: orgId(),
    // No foreign keys: the reply goes with its organisation, as the activity log does.
    customerId: uuid('customer_id').notNull(),
    /** The reminder replied to (outbound_messages.id). */
    messageId: uuid('message_id').notNull(),
    inboundEmailId: uuid('inbound_email_id').notNull(),
    class: text('class').$type<DebtorReplyClass>().notNull(),
    confidence: real('confidence').notNull(),
    /** The phrase that decided, in the reply's own words. */
    why: text('why').notNull().default(''),
    promisedDate: date('promised_date', { mode: 'string' }),
    returnsOn: date('returns_on', { mode: 'string' }),
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
  ],
);
