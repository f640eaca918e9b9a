import type { Writer } from '../db/client.js';
import { ledgerWrites } from '../db/schema/index.js';

/** An invoice of the mirror, with the connection its ledger is reached through. */
export interface InvoiceRef {
  id: string;
  connectionId: string;
}

export type LedgerWriteRow = typeof ledgerWrites.$inferInsert;

/**
 * One collection note for several invoices: one outbox row per connection (a debtor's invoices are
 * normally all in one), naming every invoice it covers. Delivery writes it in one call where the
 * vendor allows (QuickBooks), else once per invoice.
 */
export function notesFor(orgId: string, invoices: InvoiceRef[], key: string, text: string): LedgerWriteRow[] {
  const byConnection = new Map<string, string[]>();
  for (const invoice of invoices)
    byConnection.set(invoice.connectionId, [...(byConnection.get(invoice.connectionId) ?? []), invoice.id]);
  return [...byConnection].map(([connectionId, invoiceIds]) => ({
    orgId,
    connectionId,
    invoiceId: invoiceIds.length === 1 ? (invoiceIds[0] ?? null) : null,
    kind: 'note' as const,
    idempotencyKey: byConnection.size === 1 ? key : `${key}:${connectionId}`,
    payload: { text, invoiceIds },
  }));
}

/** Queues write-backs; a key already queued is left as it is, so queuing twice writes once. */
export async function queueLedgerWrites(db: Writer, rows: LedgerWriteRow[]): Promise<void> {
  if (rows.length > 0) await db.insert(ledgerWrites).values(rows).onConflictDoNothing();
}
