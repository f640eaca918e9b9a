import { eq } from 'drizzle-orm';
import type { OpenInvoice } from '../arrangements/debtor-invoices.js';
import { invoices } from '../db/schema/index.js';
import type { LedgerContext } from '../ledger/context.js';
import { openLedgerConnection } from '../ledger/open-connection.js';

function isWebUrl(value: string): boolean {
  return URL.canParse(value) && ['https:', 'http:'].includes(new URL(value).protocol);
}

/**
 * The invoice's online payment page (QuickBooks InvoiceLink, Xero online invoice), asked of the ledger
 * the first time a debtor clicks "Pay now" and remembered in the mirror: listing calls do not return
 * it, and asking for every open invoice at sync time would spend the rate limit on links nobody opens.
 */
export async function paymentLinkOf(ctx: LedgerContext, invoice: OpenInvoice): Promise<string | null> {
  if (invoice.paymentUrl) return isWebUrl(invoice.paymentUrl) ? invoice.paymentUrl : null;
  try {
    const opened = await openLedgerConnection(ctx, invoice.connectionId);
    if (opened?.row.status !== 'active') return null;
    const url = await opened.connector.paymentLink(opened.handle, invoice.externalId);
    if (!url || !isWebUrl(url)) return null;
    await ctx.db.update(invoices).set({ paymentUrl: url }).where(eq(invoices.id, invoice.id));
    return url;
  } catch (error) {
    ctx.logger.warn({ invoiceId: invoice.id, err: error }, 'could not read the payment link from the ledger');
    return null;
  }
}
