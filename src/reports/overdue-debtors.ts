import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { customers, invoices } from '../db/schema/index.js';
import { homeCurrencyOf, isoDate, receivable } from './figure-definitions.js';

export interface OverdueDebtor {
  customerId: string;
  name: string;
  overdueMinor: number;
  overdueInvoices: number;
  /** Days past due of the debtor's oldest overdue invoice in this currency. */
  oldestDaysOverdue: number;
  /** Of the overdue balance, what is on a collection hold. */
  heldMinor: number;
}

export interface OverdueDebtors {
  today: string;
  currency: string;
  debtors: OverdueDebtor[];
}

/**
 * The debtors owing most past due as of `today`, in one currency: the home currency unless another
 * is asked for. Balances in other currencies are not converted, so they neither rank a debtor nor
 * add to their figure (ask again with `currency` to rank those). Ties go to the older debt, then
 * by name.
 */
export async function largestOverdueDebtors(
  db: Database,
  orgId: string,
  options: { today: string; limit?: number; currency?: string },
): Promise<OverdueDebtors> {
  const today = isoDate(options.today, 'today');
  const limit = options.limit ?? 5;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new RangeError(`limit must be a whole number from 1 to 100, not ${limit}`);
  if (options.currency !== undefined && !/^[A-Z]{3}$/.test(options.currency))
    throw new RangeError(`currency must be an ISO 4217 code such as EUR, not ${options.currency}`);
  const currency = options.currency ?? (await homeCurrencyOf(db, orgId));
  const overdueMinor = sql<number>`sum(${invoices.balanceMinor})::bigint`;
  const oldestDue = sql`min(${invoices.dueDate})`;
  const debtors = await db
    .select({
      customerId: customers.id,
      name: customers.name,
      overdueMinor,
      overdueInvoices: sql<number>`count(*)::int`,
      oldestDaysOverdue: sql<number>`(${today}::date - ${oldestDue})::int`,
      heldMinor: sql<number>`coalesce(sum(${invoices.balanceMinor}) filter (where ${invoices.collectionHold} is not null), 0)::bigint`,
    })
    .from(invoices)
    .innerJoin(customers, and(eq(customers.id, invoices.customerId), eq(customers.orgId, invoices.orgId)))
    .where(and(receivable(orgId), eq(invoices.currency, currency), lt(invoices.dueDate, today)))
    .groupBy(customers.id, customers.name)
    .orderBy(desc(overdueMinor), asc(oldestDue), asc(customers.name), asc(customers.id))
    .limit(limit);
  return { today, currency, debtors };
}
