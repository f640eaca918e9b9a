import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { LedgerCreditRef } from '../../connectors/ledger.js';
import type { Writer } from '../db/client.js';
import { customers, invoices, paymentAllocations, payments } from '../db/schema/index.js';
import type { MirrorScope } from './mirror-batch.js';
import { zeroCredits } from './mirror-credits.js';

/**
 * Records the ledger's deletions: invoices close as deleted, customers are marked, payments go,
 * credits come down to zero.
 */
export async function applyDeletions(
  db: Writer,
  scope: MirrorScope,
  deleted: { invoices: string[]; customers: string[]; payments: string[]; credits?: LedgerCreditRef[] },
): Promise<void> {
  if (deleted.credits && deleted.credits.length > 0) await zeroCredits(db, scope, deleted.credits);
  if (deleted.invoices.length > 0) {
    await db
      .update(invoices)
      .set({
        status: 'deleted',
        balanceMinor: 0,
        balanceCheckedAt: sql`now()`,
        closedAt: sql`coalesce(${invoices.closedAt}, now())`,
      })
      .where(
        and(eq(invoices.connectionId, scope.connectionId), inArray(invoices.externalId, deleted.invoices)),
      );
  }
  if (deleted.customers.length > 0) {
    await db
      .update(customers)
      .set({ deletedAt: sql`now()`, active: false })
      .where(
        and(eq(customers.connectionId, scope.connectionId), inArray(customers.externalId, deleted.customers)),
      );
  }
  if (deleted.payments.length > 0) {
    await db
      .delete(payments)
      .where(
        and(eq(payments.connectionId, scope.connectionId), inArray(payments.externalId, deleted.payments)),
      );
  }
}

/**
 * For invoices whose payment list the ledger gave in full, removes the mirror's payments to them
 * that the list no longer names (deleted in the ledger).
 */
export async function dropPaymentsNotListed(
  db: Writer,
  scope: MirrorScope,
  invoiceExternalIds: string[],
  listedPaymentExternalIds: string[],
): Promise<number> {
  if (invoiceExternalIds.length === 0) return 0;
  const unlisted = await db
    .select({ id: payments.id })
    .from(payments)
    .innerJoin(paymentAllocations, eq(paymentAllocations.paymentId, payments.id))
    .innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
    .where(
      and(
        eq(payments.connectionId, scope.connectionId),
        inArray(invoices.externalId, invoiceExternalIds),
        listedPaymentExternalIds.length > 0
          ? notInArray(payments.externalId, listedPaymentExternalIds)
          : undefined,
      ),
    );
  if (unlisted.length === 0) return 0;
  const removed = await db
    .delete(payments)
    .where(inArray(payments.id, [...new Set(unlisted.map((row) => row.id))]))
    .returning({ id: payments.id });
  return removed.length;
}
