import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { LedgerError } from '../../connectors/errors.js';
import { invoices, ledgerWrites } from '../db/schema/index.js';
import type { LedgerContext } from '../ledger/context.js';
import { openLedgerConnection } from '../ledger/open-connection.js';

export type LedgerWriteOutcome = 'done' | 'failed' | 'not_due';

type Opened = NonNullable<Awaited<ReturnType<typeof openLedgerConnection>>>;
type Row = typeof ledgerWrites.$inferSelect;

const creditPayload = z.object({
  amountMinor: z.number().int().positive(),
  currency: z.string().length(3),
  target: z.object({ ref: z.string().min(1), description: z.string().min(1) }),
  memo: z.string(),
});

/** The vendor ids of the invoices a note covers (one, or the several a reminder or flag was about). */
async function noteTargets(ctx: LedgerContext, row: Row): Promise<string[]> {
  const named = row.payload['invoiceIds'];
  const ids = Array.isArray(named) ? named.map(String) : row.invoiceId ? [row.invoiceId] : [];
  if (ids.length === 0) return [];
  const found = await ctx.db
    .select({ externalId: invoices.externalId })
    .from(invoices)
    .where(and(eq(invoices.connectionId, row.connectionId), inArray(invoices.id, ids)));
  return found.map((invoice) => invoice.externalId);
}

/**
 * A note in one write where the vendor allows several invoices per note, else one per invoice, each
 * under its own key (so a retry after a partial failure repeats only what had not landed).
 */
async function appendNote(opened: Opened, externalIds: string[], row: Row): Promise<Record<string, unknown>> {
  const { connector, handle } = opened;
  const text = String(row.payload['text'] ?? '');
  if (externalIds.length === 1 || !connector.appendNoteToInvoices) {
    const noteIds: string[] = [];
    for (const invoiceId of externalIds) {
      const idempotencyKey =
        externalIds.length === 1 ? row.idempotencyKey : `${row.idempotencyKey}:${invoiceId}`;
      const note = { invoiceId, text, idempotencyKey, mayHaveLanded: row.attempts > 0 };
      noteIds.push((await connector.appendNote(handle, note)).noteId);
    }
    return { noteIds };
  }
  const { noteId } = await connector.appendNoteToInvoices(handle, {
    invoiceIds: externalIds,
    text,
    idempotencyKey: row.idempotencyKey,
  });
  return { noteIds: [noteId] };
}

/**
 * Performs one write with the vendor. A credit is capped at what the ledger says is still owed (a
 * payment may have come in since it was queued), and skipped when nothing is: a retry after a fault
 * therefore never credits twice, on top of the vendor's own idempotency keys.
 */
async function apply(opened: Opened, invoiceId: string, row: Row): Promise<Record<string, unknown>> {
  const { connector, handle } = opened;
  if (row.kind === 'due_date') {
    const dueDate = String(row.payload['dueDate'] ?? '');
    const moved = await connector.changeDueDate(handle, {
      invoiceId,
      dueDate,
      idempotencyKey: row.idempotencyKey,
    });
    if (moved.applied) return { dueDate };
    // The vendor cannot move it (Xero: money already allocated): say so on the invoice instead.
    await connector.appendNote(handle, {
      invoiceId,
      text: `Dunwell: payment plan — the next installment is due on ${dueDate}; the due date was left as it is because ${moved.reason}.`,
      idempotencyKey: `${row.idempotencyKey}:fallback-note`,
      mayHaveLanded: row.attempts > 0,
    });
    return { dueDate, applied: false, reason: moved.reason };
  }
  const credit = creditPayload.safeParse(row.payload);
  if (!credit.success) return { refused: 'the credit is not complete (amount, currency, account)' };
  const [current] = await connector.fetchInvoices(handle, [invoiceId]);
  if (!current) return { refused: 'the invoice is no longer in the ledger' };
  if (current.currency !== credit.data.currency)
    return { refused: `the invoice is in ${current.currency}, the credit in ${credit.data.currency}` };
  const amountMinor = Math.min(credit.data.amountMinor, current.balanceMinor);
  if (amountMinor <= 0) return { skipped: 'nothing is owed on the invoice any more' };
  const created = await connector.applyCredit(handle, {
    invoiceId,
    amount: { amountMinor, currency: credit.data.currency },
    target: credit.data.target,
    memo: credit.data.memo,
    idempotencyKey: row.idempotencyKey,
  });
  // What the ledger took: less, or nothing, when the debtor paid while the credit was being applied.
  return { amountMinor, ...created };
}

/**
 * Applies one queued write-back (a collection note, a due-date move, a credit) to the ledger with its idempotency key, so a
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
  const noteInvoices = row.kind === 'note' ? await noteTargets(ctx, row) : null;
  if (noteInvoices ? noteInvoices.length === 0 : !write.invoiceExternalId)
    return fail('the invoice is no longer in the mirror');
  const opened = await openLedgerConnection(ctx, row.connectionId);
  if (opened?.row.status !== 'active') return fail('the connection is not active; reconnect to deliver it');

  await ctx.db
    .update(ledgerWrites)
    .set({ status: 'in_progress', attempts: sql`${ledgerWrites.attempts} + 1` })
    .where(eq(ledgerWrites.id, row.id));
  try {
    const result = noteInvoices
      ? await appendNote(opened, noteInvoices, row)
      : await apply(opened, write.invoiceExternalId ?? '', row);
    if (typeof result['refused'] === 'string') return fail(result['refused']);
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
