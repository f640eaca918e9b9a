import { date, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, currencyCode, id, minorUnits, orgId, updatedAt } from './columns.js';
import { customers } from './customers.js';
import { ledgerConnections } from './ledger-connections.js';

export const invoiceStatus = pgEnum('invoice_status', ['open', 'paid', 'voided', 'deleted']);

/** Why an open invoice is no longer chased: a person approved an agency referral or a write-off. */
export const collectionHold = pgEnum('collection_hold', ['agency_referral', 'write_off']);

export const invoices = pgTable(
  'invoices',
  {
    id: id(),
    orgId: orgId(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => ledgerConnections.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    number: text('number'),
    currency: currencyCode().notNull(),
    totalMinor: minorUnits('total_minor').notNull(),
    balanceMinor: minorUnits('balance_minor').notNull(),
    issueDate: date('issue_date', { mode: 'string' }),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    status: invoiceStatus('status').notNull().default('open'),
    /** QuickBooks SyncToken or Xero UpdatedDateUTC: the version a write must name. */
    vendorVersion: text('vendor_version'),
    paymentUrl: text('payment_url'),
    /** The invoice's own bill-to address (QuickBooks BillEmail): the first choice of recipient. */
    billEmail: text('bill_email'),
    /**
     * When it stopped being owed (paid, voided, deleted, credited), as the mirror first saw it; null
     * while open. A debtor's journey runs while some invoice is overdue and not closed.
     */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    collectionHold: collectionHold('collection_hold'),
    heldAt: timestamp('held_at', { withTimezone: true }),
    vendorUpdatedAt: timestamp('vendor_updated_at', { withTimezone: true }),
    /** When the balance was last confirmed with the ledger (re-checked before a reminder goes). */
    balanceCheckedAt: timestamp('balance_checked_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('invoices_connection_external_key').on(table.connectionId, table.externalId),
    index('invoices_org_status_due_idx').on(table.orgId, table.status, table.dueDate),
    index('invoices_customer_status_idx').on(table.customerId, table.status),
  ],
);
