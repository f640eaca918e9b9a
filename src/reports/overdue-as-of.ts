import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { invoices, paymentAllocations, payments } from '../db/schema/index.js';
import { isIsoDate } from '../domain/local-time.js';

export interface OverdueAsOf {
  /** The day the books are read as of, YYYY-MM-DD (its end: payments dated that day count as paid). */
  date: string;
  /** Per currency (by code), only those with something overdue. */
  currencies: Array<{ currency: string; overdueMinor: number; overdueInvoices: number }>;
}

/**
 * What was overdue at the end of a past day, as an aged-receivables report "as at" that date reads
 * the books: invoices issued by then (or undated) and due before it, less the payments dated by
 * then. Each invoice's balance then is its balance now plus what payments dated after the day paid
 * on it, never more than its total.
 *
 * The mirror keeps payments with their dates but not credit notes or voids: an invoice voided or
 * deleted since counts nowhere (as if never issued), and a credit applied after the day is not added
 * back, so the figure then can only be understated by such credits. Held invoices count, as in
 * `overdueFigures`.
 */
export async function overdueAsOf(
  db: Database,
  orgId: string,
  options: { date: string },
): Promise<OverdueAsOf> {
  if (!isIsoDate(options.date)) throw new RangeError(`date must be written YYYY-MM-DD, not ${options.date}`);
  const day = options.date;
  const paidSince = sql<number>`coalesce((
    select sum(${paymentAllocations.amountMinor})
    from ${paymentAllocations}
    join ${payments} on ${payments.id} = ${paymentAllocations.paymentId}
    where ${paymentAllocations.invoiceId} = ${invoices.id}
      and ${paymentAllocations.orgId} = ${orgId}
      and ${payments.paidOn} > ${day}::date
  ), 0)::bigint`;
  const owedNow = sql`case when ${invoices.status} = 'open' then greatest(${invoices.balanceMinor}, 0) else 0 end`;
  const then = db
    .select({
      currency: invoices.currency,
      owedMinor: sql<number>`least(${owedNow} + ${paidSince}, greatest(${invoices.totalMinor}, 0))`.as(
        'owed_minor',
      ),
    })
    .from(invoices)
    .where(
      sql`${invoices.orgId} = ${orgId}
        and ${invoices.status} in ('open', 'paid')
        and ${invoices.dueDate} < ${day}::date
        and (${invoices.issueDate} is null or ${invoices.issueDate} <= ${day}::date)`,
    )
    .as('then');
  const rows = await db
    .select({
      currency: then.currency,
      overdueMinor: sql<number>`sum(${then.owedMinor})::bigint`,
      overdueInvoices: sql<number>`count(*)::int`,
    })
    .from(then)
    .where(sql`${then.owedMinor} > 0`)
    .groupBy(then.currency)
    .orderBy(then.currency);
  return { date: day, currencies: rows };
}
