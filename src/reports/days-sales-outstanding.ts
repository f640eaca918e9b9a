import { and, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { invoices } from '../db/schema/index.js';
import { addDays } from '../domain/local-time.js';
import { homeCurrencyOf, isoDate, receivable } from './figure-definitions.js';

export interface DaysSalesOutstanding {
  /** The home currency: the only one measured. */
  currency: string;
  windowDays: number;
  /** First and last day of the window, inclusive (the last is `today`). */
  windowFrom: string;
  windowTo: string;
  receivablesMinor: number;
  invoicedMinor: number;
  /** Rounded to one decimal; null when nothing was invoiced in the window. */
  days: number | null;
}

/**
 * Days Sales Outstanding, simple method, home currency only (other currencies cannot be added
 * without exchange rates, and the home currency is most of the book for most businesses):
 * receivables now ÷ invoiced in the window × window days. Invoiced = the totals of invoices
 * issued in the `windowDays` days ending `today`, paid or open (voided and deleted were never
 * sales; invoices without an issue date are left out).
 */
export async function dso(
  db: Database,
  orgId: string,
  options: { today: string; windowDays?: number },
): Promise<DaysSalesOutstanding> {
  const today = isoDate(options.today, 'today');
  const windowDays = options.windowDays ?? 90;
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 3660)
    throw new RangeError(`windowDays must be a whole number of days from 1 to 3660, not ${windowDays}`);
  const windowFrom = addDays(today, 1 - windowDays);
  const currency = await homeCurrencyOf(db, orgId);
  const issuedInWindow = and(
    inArray(invoices.status, ['open', 'paid']),
    gte(invoices.issueDate, windowFrom),
    lte(invoices.issueDate, today),
  );
  const [row] = await db
    .select({
      receivablesMinor: sql<number>`coalesce(sum(${invoices.balanceMinor}) filter (where ${receivable(orgId)}), 0)::bigint`,
      invoicedMinor: sql<number>`coalesce(sum(${invoices.totalMinor}) filter (where ${issuedInWindow}), 0)::bigint`,
    })
    .from(invoices)
    .where(and(eq(invoices.orgId, orgId), eq(invoices.currency, currency)));
  const receivablesMinor = row?.receivablesMinor ?? 0;
  const invoicedMinor = row?.invoicedMinor ?? 0;
  return {
    currency,
    windowDays,
    windowFrom,
    windowTo: today,
    receivablesMinor,
    invoicedMinor,
    days: invoicedMinor > 0 ? Math.round((receivablesMinor * windowDays * 10) / invoicedMinor) / 10 : null,
  };
}
