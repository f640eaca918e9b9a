import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { Writer } from '../db/client.js';
import { invoices } from '../db/schema/index.js';
import { ArrangementInputError } from './proposals.js';

/** One debtor of one organisation: what a portal link opens, and what every arrangement belongs to. */
export interface DebtorScope {
  orgId: string;
  customerId: string;
}

/** The debtor's invoices that are still owed and still chased, oldest due first. */
export async function openInvoicesOf(db: Writer, scope: DebtorScope) {
  return db
    .select({
      id: invoices.id,
      connectionId: invoices.connectionId,
      externalId: invoices.externalId,
      number: invoices.number,
      currency: invoices.currency,
      totalMinor: invoices.totalMinor,
      balanceMinor: invoices.balanceMinor,
      dueDate: invoices.dueDate,
      paymentUrl: invoices.paymentUrl,
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.orgId, scope.orgId),
        eq(invoices.customerId, scope.customerId),
        eq(invoices.status, 'open'),
        gt(invoices.balanceMinor, 0),
        isNull(invoices.collectionHold),
      ),
    )
    .orderBy(asc(invoices.dueDate), asc(invoices.number));
}

export type OpenInvoice = Awaited<ReturnType<typeof openInvoicesOf>>[number];

/** The invoices a request names (all of them when it names none); a stale or foreign id is refused. */
export function chooseInvoices(open: OpenInvoice[], invoiceIds: string[]): OpenInvoice[] {
  if (invoiceIds.length === 0) {
    if (open.length === 0) throw new ArrangementInputError('Nothing is owed on your account.');
    return open;
  }
  const byId = new Map(open.map((invoice) => [invoice.id, invoice]));
  return [...new Set(invoiceIds)].map((id) => {
    const invoice = byId.get(id);
    if (!invoice)
      throw new ArrangementInputError('One of the invoices chosen is no longer open. Reload the page.');
    return invoice;
  });
}

/** "INV-1001, INV-1002", for notes and the activity log. */
export function invoiceNames(chosen: Array<{ number: string | null; id: string }>): string {
  return chosen.map((invoice) => invoice.number ?? invoice.id.slice(0, 8)).join(', ');
}
