import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, updatedAt } from './columns.js';

export const ledgerWriteKind = pgEnum('ledger_write_kind', ['note', 'due_date', 'credit']);
export const ledgerWriteStatus = pgEnum('ledger_write_status', ['pending', 'in_progress', 'done', 'failed']);

/** The write-back outbox: each row is one idempotent change in the ledger (requestid / Idempotency-Key). */
export const ledgerWrites = pgTable(
  'ledger_writes',
  {
    id: id(),
    // The organisation's foreign key only, as on every high-volume row an evaluation writes: a key
    // check costs 6–11 µs a row, and connections and invoices are never deleted but with their
    // organisation (erasure), which cascades.
    orgId: orgId(),
    connectionId: uuid('connection_id').notNull(),
    invoiceId: uuid('invoice_id'),
    kind: ledgerWriteKind('kind').notNull(),
    /** Sent to the vendor as its idempotency key, so a retried write lands once. */
    idempotencyKey: text('idempotency_key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: ledgerWriteStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('ledger_writes_idempotency_key').on(table.orgId, table.idempotencyKey),
    // Deleting an invoice (only ever with its organisation) finds its write-backs by this.
    index('ledger_writes_invoice_idx').on(table.invoiceId).where(sql`${table.invoiceId} is not null`),
    index('ledger_writes_pending_idx')
      .on(table.connectionId, table.createdAt)
      .where(sql`${table.status} in ('pending', 'in_progress')`),
  ],
);
