import { date, index, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, currencyCode, id, minorUnits, orgId, updatedAt } from './columns.js';
import { customers } from './customers.js';
import { ledgerConnections } from './ledger-connections.js';

/**
 * What the ledger holds as credit a debtor may still use: QuickBooks credit memos with a remaining
 * balance and unapplied payments; Xero credit notes, overpayments and prepayments with remaining credit.
 */
export const creditKind = pgEnum('credit_kind', [
  'credit_note',
  'unapplied_payment',
  'overpayment',
  'prepayment',
]);

export const ledgerCredits = pgTable(
  'ledger_credits',
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
    kind: creditKind('kind').notNull(),
    number: text('number'),
    currency: currencyCode().notNull(),
    /** What is left to apply, in minor units; zero once used up (the row stays for the record). */
    remainingMinor: minorUnits('remaining_minor').notNull(),
    issueDate: date('issue_date', { mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('ledger_credits_connection_external_key').on(
      table.connectionId,
      table.kind,
      table.externalId,
    ),
    index('ledger_credits_org_customer_idx').on(table.orgId, table.customerId),
  ],
);
