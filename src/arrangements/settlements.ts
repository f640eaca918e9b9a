import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { settlements } from '../db/schema/index.js';
import { formatPlainMoney } from '../domain/money.js';
import { record } from './arrangement-log.js';
import { type DebtorScope, openInvoicesOf } from './debtor-invoices.js';
import { ArrangementInputError } from './proposals.js';

/** The debtor accepts a settlement offer: it stays open until its date, and the credit follows payment. */
export async function acceptSettlement(
  db: Database,
  request: DebtorScope & { settlementId: string; actor: string; now: Date },
) {
  return db.transaction(async (tx) => {
    const [offer] = await tx
      .select()
      .from(settlements)
      .where(
        and(
          eq(settlements.id, request.settlementId),
          eq(settlements.orgId, request.orgId),
          eq(settlements.customerId, request.customerId),
        ),
      )
      .for('update');
    if (!offer || (offer.status !== 'offered' && offer.status !== 'accepted'))
      throw new ArrangementInputError('This offer is no longer open. Please contact us.');
    if (offer.status === 'accepted') return offer;
    const [accepted] = await tx
      .update(settlements)
      .set({ status: 'accepted', acceptedAt: request.now })
      .where(eq(settlements.id, offer.id))
      .returning();
    const open = await openInvoicesOf(tx, request);
    const amount = formatPlainMoney({ amountMinor: offer.offerMinor, currency: offer.currency });
    await record(
      tx,
      request,
      open.filter((invoice) => offer.invoiceIds.includes(invoice.id)),
      {
        kind: 'settlement.accepted',
        summary: `The customer accepted the settlement offer: ${amount} by ${offer.payBy}`,
        key: `settlement:${offer.id}:accepted`,
        details: { settlementId: offer.id },
      },
    );
    return accepted;
  });
}
