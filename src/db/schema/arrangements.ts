import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { collectionFlags } from './collections.js';
import { createdAt, currencyCode, id, minorUnits, orgId, updatedAt } from './columns.js';
import { customers } from './customers.js';
import { invoices } from './invoices.js';

/** Who made an arrangement: the debtor in the portal, or a person of the organisation. */
/**
 * Who made an arrangement: the debtor on their page, the debtor by a reply or on a call a person
 * recorded, or a person.
 */
export type ArrangementSource = 'portal' | 'reply' | 'call' | 'user';

const customerId = () =>
  uuid('customer_id')
    .notNull()
    .references(() => customers.id, { onDelete: 'cascade' });
const invoiceIds = () => jsonb('invoice_ids').$type<string[]>().notNull();

export const promiseStatus = pgEnum('promise_status', ['open', 'kept', 'broken']);

/** "I will pay by …": reminders pause until the date (+ grace); not paid in full by then, it is broken. */
export const paymentPromises = pgTable(
  'payment_promises',
  {
    id: id(),
    orgId: orgId(),
    customerId: customerId(),
    invoiceIds: invoiceIds(),
    promisedDate: date('promised_date', { mode: 'string' }).notNull(),
    status: promiseStatus('status').notNull().default('open'),
    source: text('source').$type<ArrangementSource>().notNull(),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (table) => [index('payment_promises_customer_idx').on(table.customerId, table.status)],
);

export const planStatus = pgEnum('payment_plan_status', [
  'awaiting_approval',
  'active',
  'completed',
  'broken',
  'rejected',
]);

export interface Installment {
  /** ISO date the installment is due. */
  dueDate: string;
  amountMinor: number;
}

/**
 * A payment plan over some invoices: installments are met by what is paid on them since the plan
 * began (`startBalanceMinor` less their balance now), so payments from the sync keep it up to date.
 */
export const paymentPlans = pgTable(
  'payment_plans',
  {
    id: id(),
    orgId: orgId(),
    customerId: customerId(),
    invoiceIds: invoiceIds(),
    currency: currencyCode().notNull(),
    startBalanceMinor: minorUnits('start_balance_minor').notNull(),
    installments: jsonb('installments').$type<Installment[]>().notNull(),
    status: planStatus('status').notNull(),
    /** Why it needs a person (outside the organisation's limits), when it does. */
    approvalReason: text('approval_reason'),
    source: text('source').$type<ArrangementSource>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (table) => [index('payment_plans_customer_idx').on(table.customerId, table.status)],
);

export const disputeStatus = pgEnum('dispute_status', ['open', 'resolved']);

/** A debtor's objection to some invoices: chasing them stops until a person resumes it. */
export const disputes = pgTable(
  'disputes',
  {
    id: id(),
    orgId: orgId(),
    customerId: customerId(),
    invoiceIds: invoiceIds(),
    reason: text('reason').notNull(),
    message: text('message').notNull(),
    status: disputeStatus('status').notNull().default('open'),
    source: text('source').$type<ArrangementSource>().notNull(),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
    resolution: text('resolution'),
  },
  (table) => [index('disputes_customer_idx').on(table.customerId, table.status)],
);

/**
 * The invoices of each dispute, one row each, so the database holds one open dispute per invoice: a
 * second dispute of an invoice already under review is refused, whoever sends it and however fast.
 * `open` follows the dispute's status.
 */
export const disputeInvoices = pgTable(
  'dispute_invoices',
  {
    disputeId: uuid('dispute_id')
      .notNull()
      .references(() => disputes.id, { onDelete: 'cascade' }),
    orgId: orgId(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    open: boolean('open').notNull().default(true),
  },
  (table) => [
    primaryKey({ columns: [table.disputeId, table.invoiceId] }),
    index('dispute_invoices_org_idx').on(table.orgId, table.invoiceId),
    uniqueIndex('dispute_invoices_one_open_idx').on(table.invoiceId).where(sql`${table.open}`),
  ],
);

export const settlementStatus = pgEnum('settlement_status', ['offered', 'accepted', 'paid', 'expired']);

/**
 * "Pay this much by then and we forgive the rest": once the reduced amount is paid, the rest of each
 * invoice is credited to the organisation's settlement account or item.
 */
export const settlements = pgTable(
  'settlements',
  {
    id: id(),
    orgId: orgId(),
    customerId: customerId(),
    flagId: uuid('flag_id').references(() => collectionFlags.id, { onDelete: 'set null' }),
    invoiceIds: invoiceIds(),
    currency: currencyCode().notNull(),
    /** What the invoices owed together when the offer was made. */
    startBalanceMinor: minorUnits('start_balance_minor').notNull(),
    /** What the debtor pays to settle them. */
    offerMinor: minorUnits('offer_minor').notNull(),
    payBy: date('pay_by', { mode: 'string' }).notNull(),
    status: settlementStatus('status').notNull().default('offered'),
    createdAt: createdAt(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (table) => [
    index('settlements_customer_idx').on(table.customerId, table.status),
    index('settlements_flag_idx').on(table.flagId),
  ],
);
