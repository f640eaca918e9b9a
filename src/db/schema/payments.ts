import { date, index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, currencyCode, id, minorUnits, orgId, updatedAt } from './columns.js';
import { customers } from './customers.js';
import { invoices } from './invoices.js';
import { ledgerConnections } from './ledger-connections.js';

export const payments = pgTable(
  'payments',
  {
    id: id(),
    orgId: orgId(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => ledgerConnections.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    externalId: text('external_id').notNull(),
    currency: currencyCode().notNull(),
    amountMinor: minorUnits('amount_minor').notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('payments_connection_external_key').on(table.connectionId, table.externalId),
    index('payments_org_customer_paid_idx').on(table.orgId, table.customerId, table.paidOn),
    // Deleting a customer (only ever with its organisation) finds its payments by this.
    index('payments_customer_idx').on(table.customerId),
  ],
);

/** How much of a payment went to which invoice. */
export const paymentAllocations = pgTable(
  'payment_allocations',
  {
    orgId: orgId(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'cascade' }),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    amountMinor: minorUnits('amount_minor').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.paymentId, table.invoiceId] }),
    index('payment_allocations_invoice_idx').on(table.invoiceId),
  ],
);
