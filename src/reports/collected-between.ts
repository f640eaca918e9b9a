import { and, eq, gte, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { payments } from '../db/schema/index.js';
import { dateRange, homeCurrencyOf, perCurrency } from './figure-definitions.js';

export interface CurrencyCollected {
  currency: string;
  amountMinor: number;
  payments: number;
}

export interface CollectedFigures {
  from: string;
  to: string;
  homeCurrency: string;
  currencies: CurrencyCollected[];
}

/**
 * Money received per currency: the payments the ledger records as paid from `from` to `to`
 * (inclusive dates), whatever they paid; a payment deleted in the ledger is gone from the mirror.
 */
export async function collectedBetween(
  db: Database,
  orgId: string,
  options: { from: string; to: string },
): Promise<CollectedFigures> {
  const { from, to } = dateRange(options);
  const [homeCurrency, rows] = await Promise.all([
    homeCurrencyOf(db, orgId),
    db
      .select({
        currency: payments.currency,
        amountMinor: sql<number>`sum(${payments.amountMinor})::bigint`,
        payments: sql<number>`count(*)::int`,
      })
      .from(payments)
      .where(and(eq(payments.orgId, orgId), gte(payments.paidOn, from), lte(payments.paidOn, to)))
      .groupBy(payments.currency),
  ]);
  const byCurrency = perCurrency(homeCurrency, (currency) => ({ currency, amountMinor: 0, payments: 0 }));
  for (const row of rows) Object.assign(byCurrency.get(row.currency), row);
  return { from, to, homeCurrency, currencies: byCurrency.list() };
}
