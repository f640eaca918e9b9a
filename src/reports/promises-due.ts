import { and, asc, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { type ArrangementSource, customers, invoices, paymentPromises } from '../db/schema/index.js';
import type { Money } from '../domain/money.js';
import { dateRange, receivable } from './figure-definitions.js';

export interface PromiseDue {
  promiseId: string;
  customerId: string;
  customerName: string;
  promisedDate: string;
  source: ArrangementSource;
  /** What the promised invoices still owe, per currency (by code); never empty. */
  owed: Money[];
  invoices: Array<{ id: string; number: string | null; currency: string; balanceMinor: number }>;
}

/**
 * Open promises whose date falls from `from` to `to` (inclusive), by date then customer, with what
 * their invoices still owe. A promise whose invoices are all paid already is left out: that money
 * is in, and the next reconciliation marks the promise kept.
 */
export async function promisesDue(
  db: Database,
  orgId: string,
  options: { from: string; to: string },
): Promise<PromiseDue[]> {
  const { from, to } = dateRange(options);
  const promises = await db
    .select({
      promiseId: paymentPromises.id,
      customerId: paymentPromises.customerId,
      customerName: customers.name,
      promisedDate: paymentPromises.promisedDate,
      source: paymentPromises.source,
      invoiceIds: paymentPromises.invoiceIds,
    })
    .from(paymentPromises)
    .innerJoin(customers, eq(customers.id, paymentPromises.customerId))
    .where(
      and(
        eq(paymentPromises.orgId, orgId),
        eq(paymentPromises.status, 'open'),
        gte(paymentPromises.promisedDate, from),
        lte(paymentPromises.promisedDate, to),
      ),
    )
    .orderBy(asc(paymentPromises.promisedDate), asc(customers.name), asc(paymentPromises.id));
  const invoiceIds = [...new Set(promises.flatMap((promise) => promise.invoiceIds))];
  const owing =
    invoiceIds.length === 0
      ? []
      : await db
          .select({
            id: invoices.id,
            number: invoices.number,
            currency: invoices.currency,
            balanceMinor: invoices.balanceMinor,
          })
          .from(invoices)
          .where(and(receivable(orgId), inArray(invoices.id, invoiceIds)))
          .orderBy(asc(invoices.dueDate), asc(invoices.number));
  return promises.flatMap(({ invoiceIds: ids, ...promise }) => {
    const covered = owing.filter((invoice) => ids.includes(invoice.id));
    if (covered.length === 0) return [];
    const owed = new Map<string, number>();
    for (const invoice of covered)
      owed.set(invoice.currency, (owed.get(invoice.currency) ?? 0) + invoice.balanceMinor);
    return [
      {
        ...promise,
        owed: [...owed]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([currency, amountMinor]) => ({ currency, amountMinor })),
        invoices: covered,
      },
    ];
  });
}
