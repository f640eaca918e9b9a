import { type DisputeReason, openDispute } from '../arrangements/disputes.js';
import type { DebtorContext } from '../services/context.js';
import { debtorTerms } from './debtor-terms.js';

/** The debtor disputes invoices: chasing them pauses, and the organisation hears about it. */
export async function raiseDispute(
  ctx: DebtorContext,
  request: { invoiceIds: string[]; reason: DisputeReason; message: string },
): Promise<void> {
  const terms = await debtorTerms(ctx);
  await openDispute(ctx.db, { ...terms.request, ...request });
}
