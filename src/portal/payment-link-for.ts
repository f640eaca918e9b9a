import { openInvoicesOf } from '../arrangements/debtor-invoices.js';
import type { LedgerContext } from '../ledger/context.js';
import { type DebtorContext, debtorScope } from '../services/context.js';
import { paymentLinkOf } from './payment-link.js';

/** "Pay now": the ledger's payment page for one of the debtor's open invoices, or null when it has none. */
export async function paymentLinkFor(
  ctx: DebtorContext,
  ledger: LedgerContext,
  invoiceId: string,
): Promise<string | null> {
  const invoice = (await openInvoicesOf(ctx.db, debtorScope(ctx))).find(
    (candidate) => candidate.id === invoiceId,
  );
  return invoice ? paymentLinkOf(ledger, invoice) : null;
}
