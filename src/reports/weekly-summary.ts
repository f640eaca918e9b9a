import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Vendor } from '../../connectors/vendors.js';
import { pendingFlags } from '../collections/decide-flag.js';
import { listConnections } from '../connections/list-connections.js';
import type { Database } from '../db/client.js';
import { customers, outboundMessages, paymentPlans } from '../db/schema/index.js';
import { addDays, localMoment, startOfLocalDay } from '../domain/local-time.js';
import { localeOf } from '../domain/locale.js';
import type { Money } from '../domain/money.js';
import { notFound } from '../errors.js';
import { organisationProfile } from '../organisations/settings.js';
import { type ActivityFigures, activityBetween } from './activity-between.js';
import { type CurrencyCollected, collectedBetween } from './collected-between.js';
import { type DaysSalesOutstanding, dso } from './days-sales-outstanding.js';
import { nextStepsOf } from './next-steps.js';
import { overdueAsOf } from './overdue-as-of.js';
import { largestOverdueDebtors, type OverdueDebtor } from './overdue-debtors.js';
import { type CurrencyReceivables, overdueFigures } from './overdue-figures.js';

export interface ConnectionProblem {
  vendor: Vendor;
  companyName: string | null;
  /** needs_reconnect: sign in to the ledger again; disconnected: connect again; sync_failing: the last sync failed. */
  kind: 'needs_reconnect' | 'disconnected' | 'sync_failing';
  /** What the last error said, shortened; null when nothing was recorded. */
  detail: string | null;
}

export interface OverdueChange {
  currency: string;
  nowMinor: number;
  nowInvoices: number;
  /** As the books stood at the end of `weekAgo` (see overdueAsOf). */
  weekAgoMinor: number;
  weekAgoInvoices: number;
}

export interface SummaryFlag {
  id: string;
  customerName: string;
  kinds: string[];
  daysOverdue: number;
  /** What the flag is about in the home currency, when the flag recorded it. */
  balance: Money | null;
  recommended: string | null;
  /** The recommendation with its arithmetic in one sentence, when the flag has the inputs. */
  summary: string | null;
}

export interface SummaryDebtor extends OverdueDebtor {
  /** What the planner does next for them, e.g. "Final notice on 2026-03-20 (contact cap: …)". */
  nextStep: string;
}

export interface WeeklySummary {
  organisation: {
    id: string;
    name: string;
    timeZone: string;
    /** The home currency: the one aged, ranked and measured by DSO. */
    currency: string;
    locale: string;
    brandColour: string;
  };
  generatedAt: Date;
  /** The organisation's local date when it was made: "now" for every as-of figure. */
  today: string;
  /** The ISO week it was scheduled for (null for a preview or a test send). */
  isoWeek: string | null;
  /** The seven local days reported on, and the seven before them, inclusive. */
  week: { from: string; to: string };
  previousWeek: { from: string; to: string };
  connectionProblems: ConnectionProblem[];
  /** Per currency, home currency first (present even at zero). */
  collected: { thisWeek: CurrencyCollected[]; lastWeek: CurrencyCollected[] };
  /** Overdue now and seven days earlier, per currency (home first, then any with something overdue). */
  overdue: { weekAgo: string; currencies: OverdueChange[] };
  /** Open balance by age, per currency, home first. */
  aging: CurrencyReceivables[];
  dso: DaysSalesOutstanding;
  /** What happened during `week` (local midnight to local midnight). */
  activity: ActivityFigures;
  /** Flags waiting for a person: how many, and the largest few. */
  flags: { total: number; shown: SummaryFlag[] };
  /** Other decisions waiting in the review queue. */
  waiting: { plans: number; messages: number };
  /** The five debtors owing most past due in the home currency, with their next step. */
  largest: SummaryDebtor[];
  /** Nothing overdue in any currency: the short, cheerful email. */
  nothingOverdue: boolean;
}

export interface WeeklySummaryOptions {
  now: Date;
  /** The last local day reported on (default: yesterday in the organisation's time zone). */
  weekEnding?: string;
  /** The organisation's time zone, when the caller has it already. */
  timeZone?: string;
  /** The ISO week it is sent for, recorded on the summary. */
  isoWeek?: string | null;
}

const flagsShown = 5;

/**
 * Gathers every figure of one organisation's weekly summary. The week's flows (collected, reminders,
 * promises, plans, disputes) cover the seven local days ending `weekEnding`; the as-of figures
 * (overdue, aging, DSO, flags, largest debtors, connections) are as of `now`, with the overdue
 * total compared with seven days before today.
 */
export async function buildWeeklySummary(
  db: Database,
  orgId: string,
  options: WeeklySummaryOptions,
): Promise<WeeklySummary> {
  const profile = await organisationProfile(db, orgId);
  if (!profile) throw notFound('organisation');
  const timeZone = options.timeZone ?? profile.timeZone;
  const { now } = options;
  const today = localMoment(now, timeZone).date;
  const to = options.weekEnding ?? addDays(today, -1);
  const week = { from: addDays(to, -6), to };
  const previousWeek = { from: addDays(to, -13), to: addDays(to, -7) };
  const weekAgo = addDays(today, -7);

  const [
    connections,
    collectedThisWeek,
    collectedLastWeek,
    overdueNow,
    overdueThen,
    daysOutstanding,
    activity,
    flags,
    waiting,
    largest,
  ] = await Promise.all([
    listConnections(db, [orgId]),
    collectedBetween(db, orgId, week),
    collectedBetween(db, orgId, previousWeek),
    overdueFigures(db, orgId, { today }),
    overdueAsOf(db, orgId, { date: weekAgo }),
    dso(db, orgId, { today }),
    activityBetween(db, orgId, {
      from: startOfLocalDay(week.from, timeZone),
      to: startOfLocalDay(addDays(week.to, 1), timeZone),
    }),
    flagsWaiting(db, orgId),
    otherDecisionsWaiting(db, orgId),
    largestOverdueDebtors(db, orgId, { today, limit: 5 }),
  ]);
  const steps = await nextStepsOf(
    db,
    orgId,
    largest.debtors.map((debtor) => debtor.customerId),
    now,
  );

  const then = new Map(overdueThen.currencies.map((entry) => [entry.currency, entry]));
  const currencies = [
    ...overdueNow.currencies.map((entry) => entry.currency),
    ...overdueThen.currencies
      .map((entry) => entry.currency)
      .filter((currency) => !overdueNow.currencies.some((entry) => entry.currency === currency)),
  ];
  const overdue = currencies
    .map((currency): OverdueChange => {
      const current = overdueNow.currencies.find((entry) => entry.currency === currency);
      const earlier = then.get(currency);
      return {
        currency,
        nowMinor: current?.overdueMinor ?? 0,
        nowInvoices: current?.overdueInvoices ?? 0,
        weekAgoMinor: earlier?.overdueMinor ?? 0,
        weekAgoInvoices: earlier?.overdueInvoices ?? 0,
      };
    })
    .filter((entry, index) => index === 0 || entry.nowMinor > 0 || entry.weekAgoMinor > 0);

  return {
    organisation: {
      id: profile.id,
      name: profile.name,
      timeZone,
      currency: profile.currency,
      locale: localeOf(profile.country),
      brandColour: profile.settings.brandColour,
    },
    generatedAt: now,
    today,
    isoWeek: options.isoWeek ?? null,
    week,
    previousWeek,
    connectionProblems: connectionProblemsOf(connections),
    collected: { thisWeek: collectedThisWeek.currencies, lastWeek: collectedLastWeek.currencies },
    overdue: { weekAgo, currencies: overdue },
    aging: overdueNow.currencies.filter((entry, index) => index === 0 || entry.openMinor > 0),
    dso: daysOutstanding,
    activity,
    flags,
    waiting,
    largest: largest.debtors.map((debtor) => ({
      ...debtor,
      nextStep: steps.get(debtor.customerId) ?? 'Nothing planned',
    })),
    nothingOverdue: overdueNow.currencies.every((entry) => entry.overdueMinor <= 0),
  };
}

function connectionProblemsOf(connections: Awaited<ReturnType<typeof listConnections>>): ConnectionProblem[] {
  const detail = (problem: string | null) =>
    problem ? (problem.length > 200 ? `${problem.slice(0, 199)}…` : problem) : null;
  return connections.flatMap((connection): ConnectionProblem[] => {
    const base = { vendor: connection.vendor, companyName: connection.companyName };
    if (connection.status === 'needs_reauth')
      return [{ ...base, kind: 'needs_reconnect', detail: detail(connection.problem) }];
    if (connection.status === 'disconnected') return [{ ...base, kind: 'disconnected', detail: null }];
    if (connection.syncProgress?.phase === 'failed')
      return [
        {
          ...base,
          kind: 'sync_failing',
          detail: detail(connection.syncProgress.error ?? connection.problem),
        },
      ];
    return [];
  });
}

/** Flags waiting for a person: the count, and the largest few with their recommendation. */
async function flagsWaiting(db: Database, orgId: string): Promise<WeeklySummary['flags']> {
  const flags = await pendingFlags(db, [orgId]);
  const customerIds = [...new Set(flags.map((flag) => flag.customerId))];
  const names = new Map(
    customerIds.length === 0
      ? []
      : (
          await db
            .select({ id: customers.id, name: customers.name })
            .from(customers)
            .where(and(eq(customers.orgId, orgId), inArray(customers.id, customerIds)))
        ).map((row) => [row.id, row.name]),
  );
  const shown = flags
    .map((flag): SummaryFlag => {
      const recommendation = flag.recommendation;
      const balance = recommendation['balance'] as Money | undefined;
      const recommended = recommendation['recommended'];
      const summary = recommendation['summary'];
      return {
        id: flag.id,
        customerName: names.get(flag.customerId) ?? 'A customer',
        kinds: flag.kinds,
        daysOverdue: flag.daysOverdue,
        balance: balance && Number.isSafeInteger(balance.amountMinor) ? balance : null,
        recommended: typeof recommended === 'string' ? recommended : null,
        summary: typeof summary === 'string' ? summary : null,
      };
    })
    .sort(
      (a, b) =>
        (b.balance?.amountMinor ?? 0) - (a.balance?.amountMinor ?? 0) ||
        b.daysOverdue - a.daysOverdue ||
        a.customerName.localeCompare(b.customerName),
    )
    .slice(0, flagsShown);
  return { total: flags.length, shown };
}

async function otherDecisionsWaiting(db: Database, orgId: string): Promise<WeeklySummary['waiting']> {
  const [[plans], [messages]] = await Promise.all([
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(paymentPlans)
      .where(and(eq(paymentPlans.orgId, orgId), eq(paymentPlans.status, 'awaiting_approval'))),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(outboundMessages)
      .where(and(eq(outboundMessages.orgId, orgId), eq(outboundMessages.status, 'awaiting_approval'))),
  ]);
  return { plans: plans?.count ?? 0, messages: messages?.count ?? 0 };
}
