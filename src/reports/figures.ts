import { and, asc, desc, eq, gt, gte, inArray, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { addDays, isIsoDate } from '../collections/local-time.js';
import type { Database } from '../db/client.js';
import {
  activityLog,
  collectionFlags,
  customers,
  disputes,
  invoices,
  organisations,
  outboundMessages,
  paymentPlans,
  paymentPromises,
  payments,
} from '../db/schema/index.js';
import type { Money } from '../domain/money.js';
import { AppError } from '../errors.js';

/*
 * The collection figures of one organisation, for the dashboard and the weekly summary.
 *
 * Shared definitions:
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

export interface ActivityFigures {
  from: Date;
  to: Date;
  /** Reminder emails that went out (status `sent`, `sent_at` in the window); notices are not counted. */
  remindersSent: number;
  /** Different debtors those reminders went to. */
  debtorsReminded: number;
  /** Of the reminders sent, those SendGrid reported as not delivered (bounce, block, drop, spam report). */
  remindersUndelivered: number;
  /** Promises to pay made (created) in the window. */
  promisesMade: number;
  /** Promises found kept (paid in full) or broken (not paid by the date plus grace) in the window. */
  promisesKept: number;
  promisesBroken: number;
  /** Plans that came into force (`plan.started`: at once within the limits, or when a person approved them). */
  plansStarted: number;
  plansCompleted: number;
  /**
   * Plans broken: an installment missed (still short after the grace days). The first missed
   * installment breaks the plan, so this is also the count of missed installments.
   */
  plansBroken: number;
  disputesOpened: number;
  disputesResolved: number;
  /** Recommendations (agency, settlement, write-off) raised for a person to decide. */
  flagsRaised: number;
}

/** What happened in the collection process from `from` (inclusive) to `to` (exclusive). */
export async function activityBetween(
  db: Database,
  orgId: string,
  options: { from: Date; to: Date },
): Promise<ActivityFigures> {
  const { from, to } = options;
  if (!(from.getTime() <= to.getTime())) throw new RangeError('activityBetween: from must not be after to');
  const within = (column: AnyPgColumn) => and(gte(column, from), lt(column, to));
  const counted = (condition: SQL | undefined) => sql<number>`(count(*) filter (where ${condition}))::int`;
  const [[reminders], [promises], [plans], [started], [disputed], [flags]] = await Promise.all([
    db
      .select({
        sent: sql<number>`count(*)::int`,
        debtors: sql<number>`count(distinct ${outboundMessages.customerId})::int`,
        undelivered: counted(sql`${outboundMessages.deliveryProblem} is not null`),
      })
      .from(outboundMessages)
      .where(
        and(
          eq(outboundMessages.orgId, orgId),
          eq(outboundMessages.purpose, 'reminder'),
          eq(outboundMessages.status, 'sent'),
          within(outboundMessages.sentAt),
        ),
      ),
    db
      .select({
        made: counted(within(paymentPromises.createdAt)),
        kept: counted(and(eq(paymentPromises.status, 'kept'), within(paymentPromises.resolvedAt))),
        broken: counted(and(eq(paymentPromises.status, 'broken'), within(paymentPromises.resolvedAt))),
      })
      .from(paymentPromises)
      .where(eq(paymentPromises.orgId, orgId)),
    db
      .select({
        completed: counted(eq(paymentPlans.status, 'completed')),
        broken: counted(eq(paymentPlans.status, 'broken')),
      })
      .from(paymentPlans)
      .where(and(eq(paymentPlans.orgId, orgId), within(paymentPlans.resolvedAt))),
    // The plan table keeps when a plan was asked for, not when it came into force: the log does.
    db
      .select({ plans: sql<number>`count(distinct ${activityLog.details}->>'planId')::int` })
      .from(activityLog)
      .where(
        and(
          eq(activityLog.orgId, orgId),
          eq(activityLog.kind, 'plan.started'),
          within(activityLog.occurredAt),
        ),
      ),
    db
      .select({
        opened: counted(within(disputes.createdAt)),
        resolved: counted(and(eq(disputes.status, 'resolved'), within(disputes.resolvedAt))),
      })
      .from(disputes)
      .where(eq(disputes.orgId, orgId)),
    db
      .select({ raised: sql<number>`count(*)::int` })
      .from(collectionFlags)
      .where(and(eq(collectionFlags.orgId, orgId), within(collectionFlags.createdAt))),
  ]);
  return {
    from,
    to,
    remindersSent: reminders?.sent ?? 0,
    debtorsReminded: reminders?.debtors ?? 0,
    remindersUndelivered: reminders?.undelivered ?? 0,
    promisesMade: promises?.made ?? 0,
    promisesKept: promises?.kept ?? 0,
    promisesBroken: promises?.broken ?? 0,
    plansStarted: started?.plans ?? 0,
    plansCompleted: plans?.completed ?? 0,
    plansBroken: plans?.broken ?? 0,
    disputesOpened: disputed?.opened ?? 0,
    disputesResolved: disputed?.resolved ?? 0,
    flagsRaised: flags?.raised ?? 0,
  };
}

export interface PromiseDue {
  promiseId: string;
  customerId: string;
  customerName: string;
  promisedDate: string;
  source: 'portal' | 'user';
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

/** The index in `agingBuckets` of an invoice `daysPastDue` days past due. */
function agingBucketIndex(daysPastDue: SQL) {
  // The bounds are this module's constants, so they can be written into the statement.
  const whens = agingBuckets.flatMap((bucket, index) =>
    bucket.toDays === null ? [] : [sql`when ${daysPastDue} <= ${sql.raw(`${bucket.toDays} then ${index}`)}`],
  );
  return sql<number>`case ${sql.join(whens, sql` `)} else ${sql.raw(String(agingBuckets.length - 1))} end`;
}

/** Open with something still owed; see the definitions at the top. */
function receivable(orgId: string) {
  return and(eq(invoices.orgId, orgId), eq(invoices.status, 'open'), gt(invoices.balanceMinor, 0));
}

async function homeCurrencyOf(db: Database, orgId: string): Promise<string> {
  const [organisation] = await db
    .select({ currency: organisations.currency })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  if (!organisation) throw new AppError(404, 'not_found', 'No such organisation.');
  return organisation.currency;
}

/** Figures keyed by currency, listed home currency first (always there), then by code. */
function perCurrency<T extends { currency: string }>(homeCurrency: string, empty: (currency: string) => T) {
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

function isoDate(value: string, name: string): string {
  if (!isIsoDate(value)) throw new RangeError(`${name} must be a date written YYYY-MM-DD, not ${value}`);
  return value;
}

function dateRange(options: { from: string; to: string }) {
  const from = isoDate(options.from, 'from');
  const to = isoDate(options.to, 'to');
  if (from > to) throw new RangeError(`from (${from}) is after to (${to})`);
  return { from, to };
}
