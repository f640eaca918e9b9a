import { and, eq, gt } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { invoices, organisations } from '../db/schema/index.js';
import { isIsoDate } from '../domain/local-time.js';
import { notFound } from '../errors.js';

/*
 * What every collection figure of one organisation (the dashboard's, the weekly summary's) shares.
 *
 * Definitions:
 * - An invoice is **receivable** when its status is `open` and its balance is above zero. Paid,
 *   voided and deleted invoices and zero or negative balances (overpayments) count nowhere.
 * - Receivables on a collection hold (agency referral or write-off approved) are still counted:
 *   the books say they are owed until the ledger records the payment or the write-off. The totals
 *   include them, and `heldMinor` says how much of that is no longer chased.
 * - **Days past due** = `today` − due date in whole days, `today` being the organisation's local
 *   date (the caller works it out in the organisation's time zone). Due today is 0: not overdue.
 * - Money is never converted (there are no exchange rates here): each amount is in one currency,
 *   in minor units. Lists per currency put the home currency first (present even at zero), then the
 *   others by code.
 * - Figures read the mirror as it is now, whatever the state of the ledger connection.
 */

/** Open with something still owed; see the definitions at the top. */
export function receivable(orgId: string) {
  return and(eq(invoices.orgId, orgId), eq(invoices.status, 'open'), gt(invoices.balanceMinor, 0));
}

export async function homeCurrencyOf(db: Database, orgId: string): Promise<string> {
  const [organisation] = await db
    .select({ currency: organisations.currency })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  if (!organisation) throw notFound('organisation');
  return organisation.currency;
}

/** Figures keyed by currency, listed home currency first (always there), then by code. */
export function perCurrency<T extends { currency: string }>(
  homeCurrency: string,
  empty: (currency: string) => T,
) {
  const figures = new Map<string, T>([[homeCurrency, empty(homeCurrency)]]);
  return {
    get(currency: string): T {
      let figure = figures.get(currency);
      if (!figure) {
        figure = empty(currency);
        figures.set(currency, figure);
      }
      return figure;
    },
    list(): T[] {
      const rank = (currency: string) => (currency === homeCurrency ? '' : currency);
      return [...figures.values()].sort((a, b) => (rank(a.currency) < rank(b.currency) ? -1 : 1));
    },
  };
}

export function isoDate(value: string, name: string): string {
  if (!isIsoDate(value)) throw new RangeError(`${name} must be a date written YYYY-MM-DD, not ${value}`);
  return value;
}

export function dateRange(options: { from: string; to: string }) {
  const from = isoDate(options.from, 'from');
  const to = isoDate(options.to, 'to');
  if (from > to) throw new RangeError(`from (${from}) is after to (${to})`);
  return { from, to };
}
