import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ContactTaskKind, StepKind } from '../../domain/policy.js';
import { createdAt, id, orgId } from './columns.js';
import { customers } from './customers.js';

/** Every version of an organisation's collection policy; the highest is in force. */
export const collectionPolicies = pgTable(
  'collection_policies',
  {
    orgId: orgId(),
    version: integer('version').notNull(),
    policy: jsonb('policy').$type<Record<string, unknown>>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.version] })],
);

/**
 * Which step each invoice has been taken to, and by what (message, task or flag): the history the
 * planner reads so that no step is taken twice and missed ones are caught up one at a time.
 */
export const collectionSteps = pgTable(
  'collection_steps',
  {
    // No foreign keys (a check per row of the largest insert of an evaluation, 1.4 million rows for a
    // million invoices): steps are written only beside a new message, task or flag, whose own key
    // checks the organisation in the same transaction; erasing the organisation deletes them itself;
    // customers and invoices are never deleted on their own.
    orgId: uuid('org_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    invoiceId: uuid('invoice_id').notNull(),
    stepKey: text('step_key').notNull(),
    kind: text('kind').$type<StepKind>().notNull(),
    /** The idempotency key of the effect that took it. */
    effectKey: text('effect_key').notNull(),
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull(),
  },
  // The key leads with the debtor: an evaluation inserts debtor by debtor in id order, so the index
  // grows at a few places (invoice ids are random; leading with them scattered 1.5M inserts).
  (table) => [
    // One row per invoice an effect took: a new journey may take the same step for an invoice again.
    primaryKey({ columns: [table.customerId, table.effectKey, table.invoiceId] }),
    // Every read is by debtor (a batch's history, a message's invoices by its effect key): the key's
    // debtor prefix serves them all, so the largest insert of an evaluation maintains no second index.
  ],
);

export const taskStatus = pgEnum('collection_task_status', ['open', 'done', 'dismissed']);

/** Work for a person: a call to make, an address to fix, a dispute to answer. */
export const collectionTasks = pgTable(
  'collection_tasks',
  {
    id: id(),
    orgId: orgId(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    idempotencyKey: text('idempotency_key').notNull(),
    /** A task for a person ('task'), or a contact a person makes: a call, a letter to post. */
    kind: text('kind').$type<'task' | ContactTaskKind>().notNull().default('task'),
    description: text('description').notNull(),
    invoiceIds: jsonb('invoice_ids').$type<string[]>().notNull(),
    status: taskStatus('status').notNull().default('open'),
    createdAt: createdAt(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: text('closed_by'),
  },
  (table) => [
    uniqueIndex('collection_tasks_idempotency_key').on(table.orgId, table.idempotencyKey),
    index('collection_tasks_open_idx').on(table.orgId, table.status, table.createdAt),
    index('collection_tasks_customer_idx').on(table.customerId),
  ],
);

/** withdrawn: something the debtor did (a plan, promise, dispute, payment) superseded it before a person decided. */
export const flagStatus = pgEnum('collection_flag_status', ['pending', 'approved', 'rejected', 'withdrawn']);

/** A recommendation (agency, settlement, write-off) with its arithmetic, waiting for a person. */
export const collectionFlags = pgTable(
  'collection_flags',
  {
    id: id(),
    orgId: orgId(),
    // No foreign key to customers: flags go with their organisation (customers are never deleted on
    // their own), and an evaluation raising a quarter of a million of them skips the check.
    customerId: uuid('customer_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    kinds: jsonb('kinds').$type<string[]>().notNull(),
    invoiceIds: jsonb('invoice_ids').$type<string[]>().notNull(),
    daysOverdue: integer('days_overdue').notNull(),
    /** The options with their expected values, and the one recommended. */
    recommendation: jsonb('recommendation').$type<Record<string, unknown>>().notNull(),
    status: flagStatus('status').notNull().default('pending'),
    createdAt: createdAt(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: text('decided_by'),
    decision: text('decision'),
    /** Why it was withdrawn, in words, when it was. */
    withdrawnReason: text('withdrawn_reason'),
  },
  (table) => [
    uniqueIndex('collection_flags_idempotency_key').on(table.orgId, table.idempotencyKey),
    index('collection_flags_pending_idx').on(table.orgId, table.status, table.createdAt),
    // The planner reads a batch of debtors' waiting flags (one waits at a time per debtor).
    index('collection_flags_customer_pending_idx').on(table.customerId).where(sql`status = 'pending'`),
  ],
);
