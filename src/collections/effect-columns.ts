import { v7 as uuidv7 } from 'uuid';
import type { BulkColumn } from '../db/bulk-insert.js';
import type { collectionFlags, collectionTasks, ledgerWrites, outboundMessages } from '../db/schema/index.js';

/**
 * Row ids in time order (UUIDv7): a large evaluation appends to each primary-key index instead of
 * inserting at random places in it, which is what costs most once the indexes outgrow the cache.
 */
const timeOrderedId = { name: 'id', type: 'uuid', value: () => uuidv7() } as const;

/** The columns an evaluation writes in bulk, per table (see bulkInsert). */
export const messageColumns: BulkColumn<typeof outboundMessages.$inferInsert>[] = [
  timeOrderedId,
  { name: 'org_id', type: 'uuid', value: (row) => row.orgId },
  { name: 'customer_id', type: 'uuid', value: (row) => row.customerId },
  { name: 'idempotency_key', type: 'text', value: (row) => row.idempotencyKey },
  { name: 'status', type: 'message_status', value: (row) => row.status ?? 'pending' },
  { name: 'via', type: 'text', value: (row) => row.via ?? 'email' },
  { name: 'to', type: 'jsonb', value: (row) => row.to },
  { name: 'cc', type: 'jsonb', value: (row) => row.cc ?? [] },
  { name: 'subject', type: 'text', value: (row) => row.subject },
  { name: 'template', type: 'text', value: (row) => row.template },
  { name: 'body_html', type: 'text', value: (row) => row.bodyHtml },
  { name: 'body_text', type: 'text', value: (row) => row.bodyText },
  { name: 'render_inputs', type: 'jsonb', value: (row) => row.renderInputs },
  { name: 'send_after', type: 'timestamptz', value: (row) => row.sendAfter ?? new Date() },
];

export const taskColumns: BulkColumn<typeof collectionTasks.$inferInsert>[] = [
  timeOrderedId,
  { name: 'org_id', type: 'uuid', value: (row) => row.orgId },
  { name: 'customer_id', type: 'uuid', value: (row) => row.customerId },
  { name: 'idempotency_key', type: 'text', value: (row) => row.idempotencyKey },
  { name: 'kind', type: 'text', value: (row) => row.kind ?? 'task' },
  { name: 'description', type: 'text', value: (row) => row.description },
  { name: 'invoice_ids', type: 'jsonb', value: (row) => row.invoiceIds },
];

export const flagColumns: BulkColumn<typeof collectionFlags.$inferInsert>[] = [
  timeOrderedId,
  { name: 'org_id', type: 'uuid', value: (row) => row.orgId },
  { name: 'customer_id', type: 'uuid', value: (row) => row.customerId },
  { name: 'idempotency_key', type: 'text', value: (row) => row.idempotencyKey },
  { name: 'kinds', type: 'jsonb', value: (row) => row.kinds },
  { name: 'invoice_ids', type: 'jsonb', value: (row) => row.invoiceIds },
  { name: 'days_overdue', type: 'integer', value: (row) => row.daysOverdue },
  { name: 'recommendation', type: 'jsonb', value: (row) => row.recommendation },
];

export const ledgerWriteColumns: BulkColumn<typeof ledgerWrites.$inferInsert>[] = [
  timeOrderedId,
  { name: 'org_id', type: 'uuid', value: (row) => row.orgId },
  { name: 'connection_id', type: 'uuid', value: (row) => row.connectionId },
  { name: 'invoice_id', type: 'uuid', value: (row) => row.invoiceId },
  { name: 'kind', type: 'ledger_write_kind', value: (row) => row.kind },
  { name: 'idempotency_key', type: 'text', value: (row) => row.idempotencyKey },
  { name: 'payload', type: 'jsonb', value: (row) => row.payload },
];
