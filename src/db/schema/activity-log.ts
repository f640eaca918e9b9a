import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, orgId } from './columns.js';
import { customers } from './customers.js';
import { invoices } from './invoices.js';

/** "Document everything": every contact, promise, decision and write-back, in order, per debtor. */
export const activityLog = pgTable(
  'activity_log',
  {
    id: id(),
    orgId: orgId(),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
    invoiceId: uuid('invoice_id').references(() => invoices.id, { onDelete: 'cascade' }),
    /** Dotted verb, e.g. `reminder.sent`, `promise.made`, `ledger.note_written`. */
    kind: text('kind').notNull(),
    /** `system`, `user:<id>` or `debtor`. */
    actor: text('actor').notNull(),
    summary: text('summary').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (table) => [
    index('activity_log_customer_idx').on(table.orgId, table.customerId, table.occurredAt),
    index('activity_log_invoice_idx').on(table.orgId, table.invoiceId, table.occurredAt),
  ],
);
