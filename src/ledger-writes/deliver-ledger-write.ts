import { eq, sql } from 'drizzle-orm';
import { LedgerError } from '../../connectors/errors.js';
import { invoices, ledgerWrites } from '../db/schema/index.js';
import type { LedgerContext } from '../ledger/context.js';
import { openLedgerConnection } from '../ledger/open-connection.js';

export type LedgerWriteOutcome = 'done' | 'failed' | 'not_due';

/**
 * Applies one queued write-back (a collection note) to the ledger with its idempotency key, so a
 * retried delivery lands once (QuickBooks requestid, Xero Idempotency-Key). A refusal is recorded as
 * failed with the vendor's reason; an outage is rethrown for the job to retry.
 */
export async function deliverLedgerWrite(ctx: LedgerContext, writeId: string): Promise<LedgerWriteOutcome> {
  const [write] = await ctx.db
    .select({ write: ledgerWrites, invoiceExternalId: invoices.externalId })
    .from(ledgerWrites)
    .leftJoin(invoices, eq(invoices.id, ledgerWrites.invoiceId))
    .where(eq(ledgerWrites.id, writeId));
  if (!write || write.write.status === 'done' || write.write.status === 'failed') return 'not_due';
  const row = write.write;
  const fail = async (reason: string) => {
    await ctx.db
      .update(ledgerWrites)
      .set({ status: 'failed', lastError: reason.slice(0, 500) })
      .where(eq(ledgerWrites.id, row.id));
    return 'failed' as const;
  };
  if (row.kind !== 'note') return fail(`${row.kind} write-backs are not delivered yet`);
  if (!write.invoiceExternalId) return fail('the invoice is no longer in the mirror');
  const opened = await openLedgerConnection(ctx, row.connectionId);
  if (opened?.row.status !== 'active') return fail('the connection is not active; reconnect to deliver it');

  await ctx.db
    .update(ledgerWrites)
    .set({ status: 'in_progress', attempts: sql`${ledgerWrites.attempts} + 1` })
    .where(eq(ledgerWrites.id, row.id));
  try {
    const result = await opened.connector.appendNote(opened.handle, {
      invoiceId: write.invoiceExternalId,
      text: String(row.payload['text'] ?? ''),
      idempotencyKey: row.idempotencyKey,
    });
    await ctx.db
      .update(ledgerWrites)
      .set({ status: 'done', doneAt: new Date(), result, lastError: null })
      .where(eq(ledgerWrites.id, row.id));
    return 'done';
  } catch (error) {
    if (error instanceof LedgerError && ['rejected', 'not_found', 'not_allowed'].includes(error.code)) {
      return fail(`${error.message} (${error.detail})`);
    }
    await ctx.db
      .update(ledgerWrites)
      .set({
        status: 'pending',
        lastError: error instanceof Error ? error.message.slice(0, 500) : String(error),
      })
      .where(eq(ledgerWrites.id, row.id));
    throw error;
  }
}
