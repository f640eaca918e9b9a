import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { invoices } from '../db/schema/index.js';
import { homeCurrencyOf, isoDate, perCurrency, receivable } from './figure-definitions.js';

/** Aging buckets by days past due; bounds are inclusive, null is open-ended. */
export const agingBuckets = [
  { key: 'current', fromDays: null, toDays: 0 },
  { key: '1-30', fromDays: 1, toDays: 30 },
  { key: '31-60', fromDays: 31, toDays: 60 },
  { key: '61-90', fromDays: 61, toDays: 90 },
  { key: '90+', fromDays: 91, toDays: null },
] as const;
export type AgingBucketKey = (typeof agingBuckets)[number]['key'];

export interface AgingBucketFigure {
  key: AgingBucketKey;
  fromDays: number | null;
  toDays: number | null;
  balanceMinor: number;
  invoices: number;
}

export interface CurrencyReceivables {
  currency: string;
  /** The receivable balance. */
  openMinor: number;
  openInvoices: number;
  /** The part 1 day or more past due: every bucket but `current`. */
  overdueMinor: number;
  overdueInvoices: number;
  /** The part on a collection hold (with an agency, or being written off), included above. */
  heldMinor: number;
  heldInvoices: number;
  /** All five buckets, in `agingBuckets` order. */
  buckets: AgingBucketFigure[];
}

export interface OverdueFigures {
  today: string;
  homeCurrency: string;
  currencies: CurrencyReceivables[];
}

/** Receivables as of `today` per currency: open and overdue balance, held part, aging buckets. */
export async function overdueFigures(
  db: Database,
  orgId: string,
  options: { today: string },
): Promise<OverdueFigures> {
  const today = isoDate(options.today, 'today');
  const aged = db
    .select({
      currency: invoices.currency,
      bucket: agingBucketIndex(sql`(${today}::date - ${invoices.dueDate})`).as('bucket'),
      balanceMinor: invoices.balanceMinor,
      held: sql<boolean>`${invoices.collectionHold} is not null`.as('held'),
    })
    .from(invoices)
    .where(receivable(orgId))
    .as('aged');
  const [homeCurrency, rows] = await Promise.all([
    homeCurrencyOf(db, orgId),
    db
      .select({
        currency: aged.currency,
        bucket: aged.bucket,
        invoices: sql<number>`count(*)::int`,
        balanceMinor: sql<number>`sum(${aged.balanceMinor})::bigint`,
        heldInvoices: sql<number>`(count(*) filter (where ${aged.held}))::int`,
        heldMinor: sql<number>`coalesce(sum(${aged.balanceMinor}) filter (where ${aged.held}), 0)::bigint`,
      })
      .from(aged)
      .groupBy(aged.currency, aged.bucket),
  ]);
  const byCurrency = perCurrency(
    homeCurrency,
    (currency): CurrencyReceivables => ({
      currency,
      openMinor: 0,
      openInvoices: 0,
      overdueMinor: 0,
      overdueInvoices: 0,
      heldMinor: 0,
      heldInvoices: 0,
      buckets: agingBuckets.map((bucket) => ({ ...bucket, balanceMinor: 0, invoices: 0 })),
    }),
  );
  for (const row of rows) {
    const figure = byCurrency.get(row.currency);
    const bucket = figure.buckets[row.bucket];
    if (!bucket) throw new Error(`unknown aging bucket ${row.bucket}`);
    bucket.balanceMinor += row.balanceMinor;
    bucket.invoices += row.invoices;
    figure.openMinor += row.balanceMinor;
    figure.openInvoices += row.invoices;
    figure.heldMinor += row.heldMinor;
    figure.heldInvoices += row.heldInvoices;
    if (bucket.key !== 'current') {
      figure.overdueMinor += row.balanceMinor;
      figure.overdueInvoices += row.invoices;
    }
  }
  return { today, homeCurrency, currencies: byCurrency.list() };
}

/** The index in `agingBuckets` of an invoice `daysPastDue` days past due. */
function agingBucketIndex(daysPastDue: SQL) {
  // The bounds are this module's constants, so they can be written into the statement.
  const whens = agingBuckets.flatMap((bucket, index) =>
    bucket.toDays === null ? [] : [sql`when ${daysPastDue} <= ${sql.raw(`${bucket.toDays} then ${index}`)}`],
  );
  return sql<number>`case ${sql.join(whens, sql` `)} else ${sql.raw(String(agingBuckets.length - 1))} end`;
}
