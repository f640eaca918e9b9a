import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, orgId } from './columns.js';

/** "Document everything": every contact, promise, decision and write-back, in order, per debtor. */
export const activityLog = pgTable(
  'activity_log',
  {
    id: id(),
    orgId: orgId(),
    // No foreign keys to customers and invoices: the log is append-only and large, customers and
    // invoices are never deleted on their own, and the log goes with its organisation.
    customerId: uuid('customer_id'),
    invoiceId: uuid('invoice_id'),
    /** Dotted verb, e.g. `reminder.sent`, `promise.made`, `ledger.note_written`. */
    kind: text('kind').notNull(),
    /** Who did it, as `actorKey` (src/domain/actor.ts) stores an `Actor`: `user:<id>`, `debtor`, `system`… */
    actor: text('actor').notNull(),
    summary: text('summary').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (table) => [
    index('activity_log_customer_idx').on(table.orgId, table.customerId, table.occurredAt),
    // Most entries (a reminder or flag covering several invoices) name no single invoice: they stay
    // out of this index, which an evaluation would otherwise fill with nulls.
    index('activity_log_invoice_idx')
      .on(table.orgId, table.invoiceId, table.occurredAt)
      .where(sql`${table.invoiceId} is not null`),
  ],
);
