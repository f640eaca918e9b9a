import { and, eq, inArray, sql } from 'drizzle-orm';
import type { LedgerCredit, LedgerCreditKind, LedgerCreditRef } from '../../connectors/ledger.js';
import type { Writer } from '../db/client.js';
import { ledgerCredits } from '../db/schema/index.js';
import { customerIdsFor } from './mirror.js';
import { chunks, type MirrorScope, newer } from './mirror-batch.js';
import { storableCredits } from './storable-records.js';

/**
 * Credits as the ledger has them now. One with credit left is written (with a stub for a customer
 * not seen yet); one used up (remaining zero) only brings a row the mirror has down to zero, so
 * every fully applied QuickBooks payment does not become a row. Rows are kept for the record.
 */
export async function upsertCredits(db: Writer, scope: MirrorScope, rows: LedgerCredit[]): Promise<number> {
  // One odd record (a NUL, an impossible date, no id) must not stop the sync.
  rows = storableCredits(rows);
  // The same credit twice in one batch (a repeated change): the last one wins.
  const latest = new Map<string, LedgerCredit>();
  for (const credit of rows) {
    if (credit.externalId && credit.customerExternalId)
      latest.set(`${credit.kind}|${credit.externalId}`, credit);
  }
  const open = [...latest.values()].filter((credit) => credit.remainingMinor > 0);
  const usedUp = [...latest.values()].filter((credit) => credit.remainingMinor <= 0);
  const customerIds = await customerIdsFor(
    db,
    scope,
    open.map((credit) => credit.customerExternalId),
  );
  let written = 0;
  for (const chunk of chunks(open.filter((credit) => customerIds.has(credit.customerExternalId)))) {
    const saved = await db
      .insert(ledgerCredits)
      .values(
        chunk.map((credit) => ({
          orgId: scope.orgId,
          connectionId: scope.connectionId,
          customerId: customerIds.get(credit.customerExternalId) ?? '',
          externalId: credit.externalId,
          kind: credit.kind,
          number: credit.number,
          currency: credit.currency,
          remainingMinor: credit.remainingMinor,
          issueDate: credit.issueDate,
        })),
      )
      .onConflictDoUpdate({
        target: [ledgerCredits.connectionId, ledgerCredits.kind, ledgerCredits.externalId],
        set: {
          customerId: newer('customer_id'),
          number: newer('number'),
          currency: newer('currency'),
          remainingMinor: newer('remaining_minor'),
          issueDate: newer('issue_date'),
          updatedAt: sql`now()`,
        },
      })
      .returning({ id: ledgerCredits.id });
    written += saved.length;
  }
  written += await zeroCredits(
    db,
    scope,
    usedUp.map((credit) => ({ kind: credit.kind, externalId: credit.externalId })),
  );
  return written;
}

/** Brings the named credits the mirror holds down to zero (used up, voided or deleted in the ledger). */
export async function zeroCredits(db: Writer, scope: MirrorScope, refs: LedgerCreditRef[]): Promise<number> {
  const byKind = new Map<LedgerCreditKind, string[]>();
  for (const ref of refs) byKind.set(ref.kind, [...(byKind.get(ref.kind) ?? []), ref.externalId]);
  let changed = 0;
  for (const [kind, externalIds] of byKind) {
    for (const chunk of chunks(externalIds)) {
      const rows = await db
        .update(ledgerCredits)
        .set({ remainingMinor: 0, updatedAt: sql`now()` })
        .where(
          and(
            eq(ledgerCredits.connectionId, scope.connectionId),
            eq(ledgerCredits.kind, kind),
            inArray(ledgerCredits.externalId, chunk),
            sql`${ledgerCredits.remainingMinor} <> 0`,
          ),
        )
        .returning({ id: ledgerCredits.id });
      changed += rows.length;
    }
  }
  return changed;
}

/**
 * After a full read of the credits still open: any the mirror holds with credit left that the read
 * did not list were used up, voided or deleted while we were not looking.
 */
export async function zeroCreditsNotListed(
  db: Writer,
  scope: MirrorScope,
  listed: LedgerCreditRef[],
): Promise<number> {
  const open = await db
    .select({ kind: ledgerCredits.kind, externalId: ledgerCredits.externalId })
    .from(ledgerCredits)
    .where(and(eq(ledgerCredits.connectionId, scope.connectionId), sql`${ledgerCredits.remainingMinor} > 0`));
  const keep = new Set(listed.map((ref) => `${ref.kind}|${ref.externalId}`));
  return zeroCredits(
    db,
    scope,
    open.filter((row) => !keep.has(`${row.kind}|${row.externalId}`)),
  );
}
