import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recommend } from '../../src/collections/recommendations.js';
import { customersOverview } from '../../src/customers/customers-overview.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import {
  activityLog,
  collectionFlags,
  disputes,
  invoices,
  organisations,
  outboundMessages,
  paymentAllocations,
  paymentPlans,
  paymentPromises,
  payments,
} from '../../src/db/schema/index.js';
import { localeOf } from '../../src/domain/locale.js';
import { createLogger } from '../../src/logger.js';
import { renderWeeklySummary } from '../../src/messaging/render/weekly-summary-email.js';
import { summaryEmailLinks } from '../../src/reports/send-weekly-summary.js';
import { weeklySummaryLinks } from '../../src/reports/summary-links.js';
import { buildWeeklySummary, type WeeklySummary } from '../../src/reports/weekly-summary.js';
import { plainWords } from '../../src/words/labels.js';
import { createSummaryOrganisation } from '../helpers/summary-org.js';

/*
 * A company over four simulated weeks. Before each Monday-morning run the database is loaded with
 * the books as they stood at that moment (what had been issued, paid, sent, promised…); every figure
 * of the summary is then checked against arithmetic done here on the fixture arrays, never with the
 * code under test. The zone is Europe/London, and the last run is after the clocks went forward.
 */

const timeZone = 'Europe/London';
const names = ['Acme', 'Bramble', 'Cobalt', 'Dune', 'Ember', 'Fable', 'Gorse', 'Hazel', 'Ivy'] as const;
type Name = (typeof names)[number];

interface InvoiceFixture {
  key: string;
  customer: Name;
  currency?: string;
  /** null: the ledger gave no issue date (then it is known from `known`). */
  issued: string | null;
  known?: string;
  due: string;
  total: number;
  hold?: 'agency_referral';
  voidedAt?: string;
}
const invoiceFixtures: InvoiceFixture[] = [
  { key: 'A1', customer: 'Acme', issued: '2026-01-05', due: '2026-02-04', total: 480_000 },
  { key: 'A2', customer: 'Acme', issued: '2026-03-02', due: '2026-03-16', total: 120_000 },
  { key: 'A3', customer: 'Acme', issued: '2026-03-25', due: '2026-04-24', total: 77_000 },
  { key: 'B1', customer: 'Bramble', issued: '2025-12-01', due: '2025-12-31', total: 250_000 },
  { key: 'B2', customer: 'Bramble', issued: '2026-02-20', due: '2026-03-06', total: 90_000 },
  { key: 'C1', customer: 'Cobalt', issued: '2026-02-01', due: '2026-03-03', total: 310_000 },
  {
    key: 'D1',
    customer: 'Dune',
    issued: '2026-01-20',
    due: '2026-02-19',
    total: 175_000,
    hold: 'agency_referral',
  },
  { key: 'E1', customer: 'Ember', issued: '2026-02-10', due: '2026-02-24', total: 64_000 },
  { key: 'E2', customer: 'Ember', issued: '2026-03-04', due: '2026-03-11', total: 82_000 },
  { key: 'F1', customer: 'Fable', issued: '2025-11-10', due: '2025-12-10', total: 520_000 },
  { key: 'G1', customer: 'Gorse', issued: '2026-02-25', due: '2026-03-27', total: 140_000 },
  { key: 'G2', customer: 'Gorse', currency: 'EUR', issued: '2026-02-01', due: '2026-03-01', total: 99_000 },
  {
    key: 'H1',
    customer: 'Hazel',
    issued: '2026-03-10',
    due: '2026-03-12',
    total: 45_000,
    voidedAt: '2026-03-20T10:00:00Z',
  },
  { key: 'I1', customer: 'Ivy', issued: null, known: '2026-01-15', due: '2026-02-28', total: 30_000 },
];

interface PaymentFixture {
  key: string;
  paidOn: string;
  currency?: string;
  amount: number;
  /** Invoice key → amount; empty for a payment on account. */
  to: Record<string, number>;
}
const paymentFixtures: PaymentFixture[] = [
  { key: 'p1', paidOn: '2026-03-05', amount: 50_000, to: { C1: 50_000 } },
  { key: 'p2', paidOn: '2026-03-08', amount: 64_000, to: { E1: 64_000 } },
  // Paid on the morning of the second run, synced at noon: after it.
  { key: 'p3', paidOn: '2026-03-09', amount: 30_000, to: { A1: 30_000 } },
  { key: 'p4', paidOn: '2026-03-10', amount: 70_000, to: { A1: 70_000 } },
  { key: 'p5', paidOn: '2026-03-11', amount: 30_000, to: {} },
  { key: 'p6', paidOn: '2026-03-13', amount: 90_000, to: { B2: 90_000 } },
  { key: 'p7', paidOn: '2026-03-15', currency: 'EUR', amount: 40_000, to: { G2: 40_000 } },
  { key: 'p8', paidOn: '2026-03-18', amount: 120_000, to: { A2: 120_000 } },
  { key: 'p9', paidOn: '2026-03-20', amount: 60_000, to: { C1: 60_000 } },
  { key: 'p10', paidOn: '2026-03-24', amount: 80_000, to: { A1: 80_000 } },
  { key: 'p11', paidOn: '2026-03-27', amount: 20_000, to: { F1: 20_000 } },
  { key: 'p12', paidOn: '2026-03-29', amount: 82_000, to: { E2: 82_000 } },
];
const syncedAt = (payment: PaymentFixture) => new Date(`${payment.paidOn}T12:00:00Z`);

const messageFixtures: Array<{
  customer: Name;
  sentAt: string | null;
  purpose?: 'notice';
  status?: 'pending';
  problem?: string;
}> = [
  { customer: 'Bramble', sentAt: '2026-03-02T09:00:00Z' },
  { customer: 'Cobalt', sentAt: '2026-03-03T09:00:00Z' },
  { customer: 'Fable', sentAt: '2026-03-08T23:59:59Z' },
  { customer: 'Fable', sentAt: '2026-03-09T00:00:00Z' },
  { customer: 'Acme', sentAt: '2026-03-10T09:00:00Z' },
  { customer: 'Acme', sentAt: '2026-03-10T09:05:00Z' },
  { customer: 'Hazel', sentAt: '2026-03-12T09:00:00Z', problem: 'bounce' },
  { customer: 'Ember', sentAt: '2026-03-11T09:00:00Z', purpose: 'notice' },
  { customer: 'Bramble', sentAt: '2026-03-17T09:00:00Z' },
  { customer: 'Cobalt', sentAt: '2026-03-22T23:59:59Z' },
  { customer: 'Cobalt', sentAt: '2026-03-23T00:00:00Z' },
  // Sunday 23:30 and Monday 00:30 in London, after the clocks went forward.
  { customer: 'Fable', sentAt: '2026-03-29T22:30:00Z' },
  { customer: 'Fable', sentAt: '2026-03-29T23:30:00Z' },
  { customer: 'Ivy', sentAt: null, status: 'pending' },
];

const promiseFixtures: Array<{
  customer: Name;
  invoices: string[];
  created: string;
  promised: string;
  resolved?: { at: string; status: 'kept' | 'broken' };
}> = [
  {
    customer: 'Acme',
    invoices: ['A1'],
    created: '2026-03-04T10:00:00Z',
    promised: '2026-03-12',
    resolved: { at: '2026-03-16T06:00:00Z', status: 'broken' },
  },
  {
    customer: 'Cobalt',
    invoices: ['C1'],
    created: '2026-03-10T10:00:00Z',
    promised: '2026-03-20',
    resolved: { at: '2026-03-20T15:00:00Z', status: 'kept' },
  },
  {
    customer: 'Ember',
    invoices: ['E2'],
    created: '2026-03-15T20:00:00Z',
    promised: '2026-03-29',
    resolved: { at: '2026-03-29T20:00:00Z', status: 'kept' },
  },
  { customer: 'Bramble', invoices: ['B1'], created: '2026-03-24T10:00:00Z', promised: '2026-04-10' },
];

const planFixtures: Array<{ customer: Name; started: string; brokenAt?: string }> = [
  { customer: 'Fable', started: '2026-03-11T10:00:00Z', brokenAt: '2026-03-26T10:00:00Z' },
  { customer: 'Gorse', started: '2026-03-18T10:00:00Z' },
];

const disputeFixtures: Array<{ customer: Name; created: string }> = [
  { customer: 'Hazel', created: '2026-03-12T14:00:00Z' },
  { customer: 'Ivy', created: '2026-03-25T14:00:00Z' },
];

const flagFixtures: Array<{
  customer: Name;
  created: string;
  daysOverdue: number;
  balance: number;
  status?: 'approved';
}> = [
  { customer: 'Fable', created: '2026-03-04T10:00:00Z', daysOverdue: 84, balance: 520_000 },
  { customer: 'Bramble', created: '2026-03-19T10:00:00Z', daysOverdue: 78, balance: 250_000 },
  {
    customer: 'Dune',
    created: '2026-02-01T10:00:00Z',
    daysOverdue: 60,
    balance: 175_000,
    status: 'approved',
  },
];

/** The Monday-morning runs: 08:04 in London (GMT, then BST from 29 March). */
const runs = [
  { at: new Date('2026-03-09T08:04:00Z'), today: '2026-03-09' },
  { at: new Date('2026-03-16T08:04:00Z'), today: '2026-03-16' },
  { at: new Date('2026-03-23T08:04:00Z'), today: '2026-03-23' },
  { at: new Date('2026-03-30T07:04:00Z'), today: '2026-03-30' },
];

// ---- the test's own arithmetic ----

const dayMs = 86_400_000;
const shift = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
const daysBetween = (later: string, earlier: string) =>
  Math.round((Date.parse(later) - Date.parse(earlier)) / dayMs);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const before = (iso: string | undefined | null, at: Date) => iso != null && new Date(iso) < at;

/** The instant a London day starts, found by asking Intl which UTC hour is local midnight. */
function localMidnight(date: string): Date {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (let hours = -14; hours <= 14; hours++) {
    const candidate = new Date(Date.parse(`${date}T00:00:00Z`) - hours * 3_600_000);
    if (format.format(candidate) === `${date}, 00:00`) return candidate;
  }
  throw new Error(`no midnight on ${date}`);
}

const knownAt = (invoice: InvoiceFixture) => new Date(`${invoice.issued ?? invoice.known}T09:00:00Z`);
const visibleInvoices = (at: Date) => invoiceFixtures.filter((invoice) => knownAt(invoice) < at);
const visiblePayments = (at: Date) => paymentFixtures.filter((payment) => syncedAt(payment) < at);
const paidOnInvoice = (key: string, at: Date, upTo?: string) =>
  sum(
    visiblePayments(at)
      .filter((payment) => upTo === undefined || payment.paidOn <= upTo)
      .map((payment) => payment.to[key] ?? 0),
  );
const currencyOf = (invoice: InvoiceFixture) => invoice.currency ?? 'GBP';
const voided = (invoice: InvoiceFixture, at: Date) => before(invoice.voidedAt, at);

/** Open invoices with something owed at `at`, with their balance. */
function receivables(at: Date) {
  return visibleInvoices(at)
    .filter((invoice) => !voided(invoice, at))
    .map((invoice) => ({ ...invoice, balance: invoice.total - paidOnInvoice(invoice.key, at) }))
    .filter((invoice) => invoice.balance > 0);
}

function expectedFigures(run: (typeof runs)[number]) {
  const { at, today } = run;
  const from = shift(today, -7);
  const to = shift(today, -1);
  const weekAgo = shift(today, -7);
  const windowFrom = localMidnight(from);
  const windowTo = localMidnight(today);
  const inWindow = (iso: string | null | undefined) =>
    iso != null && new Date(iso) >= windowFrom && new Date(iso) < windowTo && new Date(iso) < at;
  const collected = (first: string, last: string, currency: string) =>
    sum(
      visiblePayments(at)
        .filter((p) => (p.currency ?? 'GBP') === currency && p.paidOn >= first && p.paidOn <= last)
        .map((p) => p.amount),
    );
  const owed = receivables(at);
  const overdueNow = (currency: string) => owed.filter((i) => currencyOf(i) === currency && i.due < today);
  // As the books stood at the end of `weekAgo`: issued by then, due before it, less payments dated by then.
  const overdueThen = (currency: string) =>
    visibleInvoices(at)
      .filter(
        (i) =>
          !voided(i, at) &&
          currencyOf(i) === currency &&
          i.due < weekAgo &&
          (i.issued === null || i.issued <= weekAgo),
      )
      .map((i) => i.total - paidOnInvoice(i.key, at, weekAgo))
      .filter((balance) => balance > 0);
  const bucket = (days: number) =>
    days <= 0 ? 'current' : days <= 30 ? '1-30' : days <= 60 ? '31-60' : days <= 90 ? '61-90' : '90+';
  const aging = (currency: string) =>
    ['current', '1-30', '31-60', '61-90', '90+'].map((key) => {
      const inBucket = owed.filter(
        (i) => currencyOf(i) === currency && bucket(daysBetween(today, i.due)) === key,
      );
      return { key, balanceMinor: sum(inBucket.map((i) => i.balance)), invoices: inBucket.length };
    });
  const gbpReceivables = sum(owed.filter((i) => currencyOf(i) === 'GBP').map((i) => i.balance));
  const invoiced = sum(
    visibleInvoices(at)
      .filter(
        (i) =>
          !voided(i, at) &&
          currencyOf(i) === 'GBP' &&
          i.issued !== null &&
          i.issued >= shift(today, -89) &&
          i.issued <= today,
      )
      .map((i) => i.total),
  );
  const sentReminders = messageFixtures.filter(
    (m) => m.purpose === undefined && m.status === undefined && inWindow(m.sentAt),
  );
  const byDebtor = new Map<string, { overdue: number; invoices: number; oldestDue: string }>();
  for (const invoice of overdueNow('GBP')) {
    const entry = byDebtor.get(invoice.customer) ?? { overdue: 0, invoices: 0, oldestDue: invoice.due };
    byDebtor.set(invoice.customer, {
      overdue: entry.overdue + invoice.balance,
      invoices: entry.invoices + 1,
      oldestDue: invoice.due < entry.oldestDue ? invoice.due : entry.oldestDue,
    });
  }
  const largest = [...byDebtor]
    .sort(
      ([nameA, a], [nameB, b]) =>
        b.overdue - a.overdue || a.oldestDue.localeCompare(b.oldestDue) || nameA.localeCompare(nameB),
    )
    .slice(0, 5)
    .map(([name, entry]) => ({
      name,
      overdueMinor: entry.overdue,
      overdueInvoices: entry.invoices,
      oldestDaysOverdue: daysBetween(today, entry.oldestDue),
    }));
  const pending = flagFixtures.filter((f) => f.status === undefined && new Date(f.created) < at);
  return {
    week: { from, to },
    collectedThisWeek: { GBP: collected(from, to, 'GBP'), EUR: collected(from, to, 'EUR') },
    collectedLastWeek: {
      GBP: collected(shift(from, -7), shift(to, -7), 'GBP'),
      EUR: collected(shift(from, -7), shift(to, -7), 'EUR'),
    },
    overdue: ['GBP', 'EUR'].map((currency) => ({
      currency,
      nowMinor: sum(overdueNow(currency).map((i) => i.balance)),
      nowInvoices: overdueNow(currency).length,
      weekAgoMinor: sum(overdueThen(currency)),
      weekAgoInvoices: overdueThen(currency).length,
    })),
    aging: { GBP: aging('GBP'), EUR: aging('EUR') },
    dso: invoiced > 0 ? Math.round((gbpReceivables * 90 * 10) / invoiced) / 10 : null,
    activity: {
      remindersSent: sentReminders.length,
      debtorsReminded: new Set(sentReminders.map((m) => m.customer)).size,
      remindersUndelivered: sentReminders.filter((m) => m.problem).length,
      promisesMade: promiseFixtures.filter((p) => inWindow(p.created)).length,
      promisesKept: promiseFixtures.filter((p) => p.resolved?.status === 'kept' && inWindow(p.resolved.at))
        .length,
      promisesBroken: promiseFixtures.filter(
        (p) => p.resolved?.status === 'broken' && inWindow(p.resolved.at),
      ).length,
      plansStarted: planFixtures.filter((p) => inWindow(p.started)).length,
      plansBroken: planFixtures.filter((p) => inWindow(p.brokenAt)).length,
      disputesOpened: disputeFixtures.filter((d) => inWindow(d.created)).length,
      flagsRaised: flagFixtures.filter((f) => inWindow(f.created)).length,
    },
    flags: pending
      .sort((a, b) => b.balance - a.balance)
      .map((f) => ({ customerName: f.customer, balance: f.balance, daysOverdue: f.daysOverdue })),
    largest,
  };
}

describe('the weekly summary of a company over four simulated weeks', () => {
  let database: DatabaseHandle;
  let orgId: string;
  let connectionId: string;
  let customerIds: Map<string, string>;
  const summaries: WeeklySummary[] = [];
  const links = weeklySummaryLinks('a test secret that is long enough to sign', 'https://dunwell.example');

  /** The books and the collection records as they stood at `at`. */
  async function loadStateAsOf(at: Date) {
    const { db } = database;
    for (const table of [
      outboundMessages,
      paymentPromises,
      paymentPlans,
      disputes,
      collectionFlags,
      activityLog,
      payments,
      invoices,
    ])
      await db.delete(table).where(eq(table.orgId, orgId));
    const customer = (name: Name) => customerIds.get(name) ?? '';
    const scope = (name: Name) => ({ orgId, customerId: customer(name) });
    const shownInvoices = visibleInvoices(at);
    const invoiceIds = new Map<string, string>();
    if (shownInvoices.length > 0) {
      const rows = await db
        .insert(invoices)
        .values(
          shownInvoices.map((invoice) => {
            const balance = invoice.total - paidOnInvoice(invoice.key, at);
            return {
              ...scope(invoice.customer),
              connectionId,
              externalId: invoice.key,
              number: invoice.key,
              currency: currencyOf(invoice),
              totalMinor: invoice.total,
              balanceMinor: voided(invoice, at) ? 0 : balance,
              issueDate: invoice.issued,
              dueDate: invoice.due,
              status: voided(invoice, at)
                ? ('voided' as const)
                : balance > 0
                  ? ('open' as const)
                  : ('paid' as const),
              collectionHold: invoice.hold ?? null,
            };
          }),
        )
        .returning({ id: invoices.id, key: invoices.externalId });
      for (const row of rows) invoiceIds.set(row.key, row.id);
    }
    for (const payment of visiblePayments(at)) {
      const [row] = await db
        .insert(payments)
        .values({
          orgId,
          connectionId,
          customerId: null,
          externalId: payment.key,
          currency: payment.currency ?? 'GBP',
          amountMinor: payment.amount,
          paidOn: payment.paidOn,
        })
        .returning({ id: payments.id });
      const allocations = Object.entries(payment.to);
      if (row && allocations.length > 0)
        await db.insert(paymentAllocations).values(
          allocations.map(([key, amount]) => ({
            orgId,
            paymentId: row.id,
            invoiceId: invoiceIds.get(key) ?? '',
            amountMinor: amount,
          })),
        );
    }
    const messages = messageFixtures.filter((m) => m.sentAt === null || new Date(m.sentAt) < at);
    if (messages.length > 0)
      await db.insert(outboundMessages).values(
        messages.map((m, index) => ({
          ...scope(m.customer),
          idempotencyKey: `m-${index}-${m.customer}`,
          status: m.status ?? ('sent' as const),
          purpose: m.purpose ?? ('reminder' as const),
          to: [{ email: `${m.customer.toLowerCase()}@debtor.example` }],
          template: 'friendly',
          sentAt: m.sentAt ? new Date(m.sentAt) : null,
          deliveryProblem: m.problem ?? null,
        })),
      );
    const promises = promiseFixtures.filter((p) => new Date(p.created) < at);
    if (promises.length > 0)
      await db.insert(paymentPromises).values(
        promises.map((p) => {
          const resolved = p.resolved && new Date(p.resolved.at) < at ? p.resolved : null;
          return {
            ...scope(p.customer),
            invoiceIds: p.invoices.map((key) => invoiceIds.get(key) ?? ''),
            promisedDate: p.promised,
            status: resolved?.status ?? ('open' as const),
            source: 'portal' as const,
            createdAt: new Date(p.created),
            resolvedAt: resolved ? new Date(resolved.at) : null,
          };
        }),
      );
    for (const plan of planFixtures.filter((p) => new Date(p.started) < at)) {
      const broken = before(plan.brokenAt, at);
      const [row] = await db
        .insert(paymentPlans)
        .values({
          ...scope(plan.customer),
          invoiceIds: [],
          currency: 'GBP',
          startBalanceMinor: 100_000,
          installments: [{ dueDate: '2026-03-20', amountMinor: 50_000 }],
          status: broken ? 'broken' : 'active',
          source: 'portal',
          createdAt: new Date(plan.started),
          resolvedAt: broken && plan.brokenAt ? new Date(plan.brokenAt) : null,
        })
        .returning({ id: paymentPlans.id });
      await db.insert(activityLog).values({
        ...scope(plan.customer),
        kind: 'plan.started',
        actor: 'debtor',
        summary: 'A payment plan started',
        details: { planId: row?.id },
        occurredAt: new Date(plan.started),
      });
    }
    const opened = disputeFixtures.filter((d) => new Date(d.created) < at);
    if (opened.length > 0)
      await db.insert(disputes).values(
        opened.map((d) => ({
          ...scope(d.customer),
          invoiceIds: [],
          reason: 'quality',
          message: 'Not as ordered',
          source: 'portal' as const,
          createdAt: new Date(d.created),
        })),
      );
    const raised = flagFixtures.filter((f) => new Date(f.created) < at);
    if (raised.length > 0)
      await db.insert(collectionFlags).values(
        raised.map((f, index) => ({
          ...scope(f.customer),
          idempotencyKey: `flag-${index}`,
          kinds: ['agency_referral'],
          invoiceIds: [],
          daysOverdue: f.daysOverdue,
          recommendation: {
            recommended: 'agency_referral',
            balance: { amountMinor: f.balance, currency: 'GBP' },
            otherCurrencies: [],
          },
          status: f.status ?? ('pending' as const),
          createdAt: new Date(f.created),
        })),
      );
  }

  beforeAll(async () => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 8, logger: createLogger('silent') });
    const created = await createSummaryOrganisation(database.db, {
      name: 'Harbour Joinery',
      timeZone,
      settings: { notifyEmail: 'owner@harbour.example' },
      customers: [...names],
    });
    ({ orgId, connectionId, customerIds } = created);
    for (const run of runs) {
      await loadStateAsOf(run.at);
      summaries.push(await buildWeeklySummary(database.db, orgId, { now: run.at }));
    }
  }, 120_000);
  afterAll(() => database?.pool.end());

  describe.each(runs.map((run, index) => ({ ...run, index, label: run.today })))(
    'on Monday $label',
    (run) => {
      const expected = expectedFigures(run);
      const summary = () => summaries[run.index] as WeeklySummary;

      it('reports the seven local days before the run, and the seven before them', () => {
        expect(summary().today).toBe(run.today);
        expect(summary().week).toEqual(expected.week);
        expect(summary().previousWeek).toEqual({
          from: shift(expected.week.from, -7),
          to: shift(expected.week.to, -7),
        });
      });

      it('collected this week and last week, per currency', () => {
        const amounts = (list: WeeklySummary['collected']['thisWeek']) =>
          Object.fromEntries(list.map((entry) => [entry.currency, entry.amountMinor]));
        expect({ GBP: 0, EUR: 0, ...amounts(summary().collected.thisWeek) }).toEqual(
          expected.collectedThisWeek,
        );
        expect({ GBP: 0, EUR: 0, ...amounts(summary().collected.lastWeek) }).toEqual(
          expected.collectedLastWeek,
        );
        expect(summary().collected.thisWeek[0]?.currency).toBe('GBP');
      });

      it('total overdue now and as the books stood seven days ago', () => {
        expect(summary().overdue.weekAgo).toBe(shift(run.today, -7));
        const wanted = expected.overdue.filter(
          (entry) => entry.currency === 'GBP' || entry.nowMinor > 0 || entry.weekAgoMinor > 0,
        );
        expect(summary().overdue.currencies).toEqual(wanted);
      });

      it('ages the open balance in the five buckets', () => {
        const byCurrency = Object.fromEntries(
          summary().aging.map((entry) => [
            entry.currency,
            entry.buckets.map(({ key, balanceMinor, invoices: count }) => ({
              key,
              balanceMinor,
              invoices: count,
            })),
          ]),
        );
        expect(byCurrency['GBP']).toEqual(expected.aging.GBP);
        const eurOpen = sum(expected.aging.EUR.map((bucket) => bucket.balanceMinor));
        if (eurOpen > 0) expect(byCurrency['EUR']).toEqual(expected.aging.EUR);
        else expect(byCurrency['EUR']).toBeUndefined();
      });

      it('days sales outstanding over 90 days', () => {
        expect(summary().dso.days).toBe(expected.dso);
      });

      it('reminders, promises, plans, missed installments, disputes and flags raised in the week', () => {
        expect(summary().activity).toMatchObject(expected.activity);
      });

      it('flags waiting, largest first, each with its recommendation and arithmetic', () => {
        expect(summary().flags.total).toBe(expected.flags.length);
        expect(
          summary().flags.shown.map((flag) => ({
            customerName: flag.customerName,
            balance: flag.balance?.amountMinor,
            daysOverdue: flag.daysOverdue,
          })),
        ).toEqual(expected.flags);
        for (const flag of summary().flags.shown) {
          const advice = recommend({
            balance: flag.balance ?? { amountMinor: 0, currency: 'GBP' },
            daysOverdue: flag.daysOverdue,
          });
          expect(flag.recommended).toBe(advice.recommended);
          expect(flag.summary).toBe(advice.summary);
        }
      });

      it('the five largest overdue debtors, with the next step the customers page shows', async () => {
        expect(
          summary().largest.map(({ name, overdueMinor, overdueInvoices, oldestDaysOverdue }) => ({
            name,
            overdueMinor,
            overdueInvoices,
            oldestDaysOverdue,
          })),
        ).toEqual(expected.largest);
        // The database now holds the last run's state: compare next steps on that run only.
        if (run.index === runs.length - 1) {
          const overview = await customersOverview(database.db, orgId, {
            now: run.at,
            include: 'all',
            pageSize: 200,
          });
          // Both in the organisation's words: its date format and zone.
          const [organisation] = await database.db
            .select()
            .from(organisations)
            .where(eq(organisations.id, orgId));
          const words = { locale: localeOf(organisation?.country ?? null), timeZone };
          for (const debtor of summary().largest)
            expect(debtor.nextStep).toBe(
              plainWords(
                overview.rows.find((row) => row.id === debtor.customerId)?.nextStep.text ?? '',
                words,
              ),
            );
        }
      });

      it('puts the figures into the email, in words and in plain text', () => {
        const email = renderWeeklySummary(
          summary(),
          summaryEmailLinks(links, orgId, 'owner@harbour.example', run.at),
        );
        const gbp = (minor: number) =>
          new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }).format(minor / 100);
        const overdueGbp = expected.overdue[0]?.nowMinor ?? 0;
        expect(email.subject).toContain(`${gbp(overdueGbp)} overdue`);
        expect(email.text).toContain(`Collected this week: ${gbp(expected.collectedThisWeek.GBP)}`);
        expect(email.text).toContain(`Total overdue: ${gbp(overdueGbp)}`);
        expect(email.html).toContain(gbp(overdueGbp));
        for (const debtor of expected.largest)
          expect(email.text).toContain(`${debtor.name}: ${gbp(debtor.overdueMinor)}`);
        expect(email.text).toContain(
          `- Reminders sent: ${expected.activity.remindersSent === 0 ? 'none' : expected.activity.remindersSent}`,
        );
        if (expected.flags.length > 0) expect(email.text).toContain('WAITING FOR YOUR DECISION');
      });
    },
  );

  it('the catalogue of this fixture: each week differs, so no figure is trivially equal', () => {
    const figures = runs.map((run) => expectedFigures(run));
    expect(new Set(figures.map((f) => f.collectedThisWeek.GBP)).size).toBe(4);
    expect(new Set(figures.map((f) => f.overdue[0]?.nowMinor)).size).toBe(4);
    expect(new Set(figures.map((f) => f.activity.remindersSent)).size).toBeGreaterThan(2);
    // The clocks went forward on 29 March: Sunday 23:30 BST counts, Monday 00:30 BST does not.
    expect(figures[3]?.activity.remindersSent).toBe(2);
  });
});
