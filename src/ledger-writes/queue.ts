import type { Writer } from '../db/client.js';
import { ledgerWrites } from '../db/schema/index.js';

/** An invoice of the mirror, with the connection its ledger is reached through. */
export interface InvoiceRef {
  id: string;
  connectionId: string;
}

export type LedgerWriteRow = typeof ledgerWrites.$inferInsert;

/** One collection note per invoice, each under `${key}:${invoice id}`. */
export function notesFor(orgId: string, invoices: InvoiceRef[], key: string, text: string): LedgerWriteRow[] {
  return invoices.map((invoice) => ({
    orgId,
    connectionId: invoice.connectionId,
    invoiceId: invoice.id,
    kind: 'note' as const,
    idempotencyKey: `${key}:${invoice.id}`,
    payload: { text },
  }));
}

/** Queues write-backs; a key already queued is left as it is, so queuing twice writes once. */
export async function queueLedgerWrites(db: Writer, rows: LedgerWriteRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(ledgerWrites).values(rows).onConflictDoNothing();
}
