import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { customers, invoices } from '../db/schema/index.js';

/** A customer's open invoices, oldest due first, for their page (at most 100). */
export function openInvoicesOfCustomer(db: Database, orgId: string, customerId: string) {
  return db
    .select({
      id: invoices.id,
      number: invoices.number,
      dueDate: invoices.dueDate,
      balanceMinor: invoices.balanceMinor,
      currency: invoices.currency,
      hold: invoices.collectionHold,
    })
    .from(invoices)
    .where(and(eq(invoices.orgId, orgId), eq(invoices.customerId, customerId), eq(invoices.status, 'open')))
    .orderBy(asc(invoices.dueDate))
    .limit(100);
}

/** One invoice of the organisation with its customer's name, its amounts and dates, or null. */
export async function invoiceHeader(db: Database, orgId: string, invoiceId: string) {
  const [invoice] = await db
    .select({
      id: invoices.id,
      number: invoices.number,
      customerId: invoices.customerId,
      customerName: customers.name,
      status: invoices.status,
      issueDate: invoices.issueDate,
      dueDate: invoices.dueDate,
      totalMinor: invoices.totalMinor,
      balanceMinor: invoices.balanceMinor,
      currency: invoices.currency,
      hold: invoices.collectionHold,
    })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(eq(invoices.id, invoiceId), eq(invoices.orgId, orgId)));
  return invoice ?? null;
}
