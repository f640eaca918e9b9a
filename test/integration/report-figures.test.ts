import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import {
  activityLog,
  collectionFlags,
  customers,
  disputes,
  invoices,
  ledgerConnections,
  organisations,
  outboundMessages,
  paymentPlans,
  paymentPromises,
  payments,
} from '../../src/db/schema/index.js';
import { createLogger } from '../../src/logger.js';
import { activityBetween } from '../../src/reports/activity-between.js';
import { collectedBetween } from '../../src/reports/collected-between.js';
import { dso } from '../../src/reports/days-sales-outstanding.js';
import { largestOverdueDebtors } from '../../src/reports/overdue-debtors.js';
import { overdueFigures } from '../../src/reports/overdue-figures.js';
import { promisesDue } from '../../src/reports/promises-due.js';

// Every expectation below is worked out from these arrays by the test's own arithmetic.
const today = '2026-03-15';
const dayMs = 86_400_000;
const shift = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
const at = (iso: string) => new Date(iso);
const daysBetween = (later: string, earlier: string) =>
  Math.round((Date.parse(later) - Date.parse(earlier)) / dayMs);

type Org = 'main' | 'other';
const names = ['Acme', 'Bramble', 'Cobalt', 'Dune', 'Ember', 'Fable', 'Gorse'] as const;
type Name = (typeof names)[number];

interface InvoiceFixture {
  key: string;
  org?: Org;
  customer: Name;
  currency: string;
  daysPastDue: number;
  balance: number;
  total?: number;
  status?: 'open' | 'paid' | 'voided' | 'deleted';
  hold?: 'agency_referral' | 'write_off';
  /** Days before `today` it was issued; null: no issue date. */
  issued: number | null;
}

const invoiceFixtures: InvoiceFixture[] = [
  { key: 'g-5', customer: 'Acme', currency: 'GBP', daysPastDue: -5, balance: 1100, issued: 25 },
  { key: 'g0', customer: 'Acme', currency: 'GBP', daysPastDue: 0, balance: 1200, issued: 30 },
  { key: 'g1', customer: 'Bramble', currency: 'GBP', daysPastDue: 1, balance: 1300, issued: 31 },
  { key: 'g30', customer: 'Bramble', currency: 'GBP', daysPastDue: 30, balance: 1400, issued: 60 },
  { key: 'g31', customer: 'Cobalt', currency: 'GBP', daysPastDue: 31, balance: 1500, issued: 61 },
  { key: 'g60', customer: 'Cobalt', currency: 'GBP', daysPastDue: 60, balance: 1600, issued: 89 },
  {
    key: 'g61',
    customer: 'Dune',
    currency: 'GBP',
    daysPastDue: 61,
    balance: 1700,
    hold: 'agency_referral',
    issued: 90,
  },
  { key: 'g90', customer: 'Dune', currency: 'GBP', daysPastDue: 90, balance: 1800, issued: 120 },
  {
    key: 'g91',
    customer: 'Gorse',
    currency: 'GBP',
    daysPastDue: 91,
    balance: 1900,
    hold: 'write_off',
    issued: 121,
  },
  { key: 'g200', customer: 'Fable', currency: 'GBP', daysPastDue: 200, balance: 2000, issued: 230 },
  { key: 'g10', customer: 'Ember', currency: 'GBP', daysPastDue: 10, balance: 500, total: 3000, issued: 40 },
  { key: 'g20', customer: 'Ember', currency: 'GBP', daysPastDue: 20, balance: 1400, issued: 50 },
  { key: 'future', customer: 'Acme', currency: 'GBP', daysPastDue: -29, balance: 2600, issued: -1 },
  { key: 'undated', customer: 'Bramble', currency: 'GBP', daysPastDue: -3, balance: 2700, issued: null },
  // Owed nothing, whatever the balance says.
  {
    key: 'voided',
    customer: 'Acme',
    currency: 'GBP',
    daysPastDue: 40,
    balance: 5000,
    status: 'voided',
    issued: 70,
  },
  {
    key: 'deleted',
    customer: 'Bramble',
    currency: 'GBP',
    daysPastDue: 40,
    balance: 5100,
    status: 'deleted',
    issued: 70,
  },
  {
    key: 'paid',
    customer: 'Cobalt',
    currency: 'GBP',
    daysPastDue: 40,
    balance: 0,
    total: 5200,
    status: 'paid',
    issued: 70,
  },
  {
    key: 'paid-odd',
    customer: 'Cobalt',
    currency: 'GBP',
    daysPastDue: 40,
    balance: 300,
    total: 5300,
    status: 'paid',
    issued: 70,
  },
  { key: 'zero', customer: 'Dune', currency: 'GBP', daysPastDue: 40, balance: 0, total: 5400, issued: 70 },
  {
    key: 'credit',
    customer: 'Ember',
    currency: 'GBP',
    daysPastDue: 40,
    balance: -250,
    total: 5500,
    issued: 70,
  },
  { key: 'e0', customer: 'Acme', currency: 'EUR', daysPastDue: 0, balance: 2100, issued: 10 },
  { key: 'e1', customer: 'Bramble', currency: 'EUR', daysPastDue: 1, balance: 2200, issued: 10 },
  { key: 'e45', customer: 'Fable', currency: 'EUR', daysPastDue: 45, balance: 2300, issued: 10 },
  { key: 'e100', customer: 'Fable', currency: 'EUR', daysPastDue: 100, balance: 2400, issued: 10 },
  {
    key: 'e-void',
    customer: 'Fable',
    currency: 'EUR',
    daysPastDue: 50,
    balance: 900,
    status: 'voided',
    issued: 10,
  },
  { key: 'u91', customer: 'Gorse', currency: 'USD', daysPastDue: 91, balance: 2500, issued: 10 },
  { key: 'x10', org: 'other', customer: 'Acme', currency: 'GBP', daysPastDue: 10, balance: 9999, issued: 10 },
  {
    key: 'x-eur',
    org: 'other',
    customer: 'Acme',
    currency: 'EUR',
    daysPastDue: 95,
    balance: 8888,
    issued: 10,
  },
];

const paymentFixtures = [
  { org: 'main', currency: 'GBP', amount: 700, paidOn: '2026-03-08' },
  { org: 'main', currency: 'GBP', amount: 710, paidOn: '2026-03-09' },
  { org: 'main', currency: 'GBP', amount: 720, paidOn: '2026-03-12' },
  { org: 'main', currency: 'GBP', amount: 730, paidOn: '2026-03-15' },
  { org: 'main', currency: 'GBP', amount: 740, paidOn: '2026-03-16' },
  { org: 'main', currency: 'JPY', amount: 760, paidOn: '2026-03-11' },
  { org: 'main', currency: 'EUR', amount: 750, paidOn: '2026-03-10' },
  { org: 'main', currency: 'EUR', amount: 755, paidOn: '2026-03-14' },
  { org: 'other', currency: 'GBP', amount: 9999, paidOn: '2026-03-12' },
] as const;

const windowFrom = at('2026-03-09T00:00:00Z');
const windowTo = at('2026-03-16T00:00:00Z');

const messageFixtures = [
  { org: 'main', customer: 'Acme', purpose: 'reminder', status: 'sent', sentAt: '2026-03-09T00:00:00Z' },
  { org: 'main', customer: 'Acme', purpose: 'reminder', status: 'sent', sentAt: '2026-03-10T09:00:00Z' },
  {
    org: 'main',
    customer: 'Bramble',
    purpose: 'reminder',
    status: 'sent',
    sentAt: '2026-03-12T09:00:00Z',
    problem: 'bounce',
  },
  { org: 'main', customer: 'Cobalt', purpose: 'reminder', status: 'sent', sentAt: '2026-03-16T00:00:00Z' },
  { org: 'main', customer: 'Cobalt', purpose: 'reminder', status: 'sent', sentAt: '2026-03-08T23:59:59Z' },
  { org: 'main', customer: 'Dune', purpose: 'notice', status: 'sent', sentAt: '2026-03-11T09:00:00Z' },
  { org: 'main', customer: 'Dune', purpose: 'reminder', status: 'pending', sentAt: null },
  { org: 'main', customer: 'Ember', purpose: 'reminder', status: 'failed', sentAt: null },
  { org: 'other', customer: 'Acme', purpose: 'reminder', status: 'sent', sentAt: '2026-03-11T09:00:00Z' },
] as const;

interface PromiseFixture {
  key: string;
  org?: Org;
  customer: Name;
  invoices: string[];
  promised: string;
  status: 'open' | 'kept' | 'broken';
  created: string;
  resolved?: string;
}

const promiseFixtures: PromiseFixture[] = [
  {
    key: 'p1',
    customer: 'Bramble',
    invoices: ['g1', 'g30', 'e1'],
    promised: '2026-03-16',
    status: 'open',
    created: '2026-03-10T10:00:00Z',
  },
  {
    key: 'p2',
    customer: 'Cobalt',
    invoices: ['g31'],
    promised: '2026-03-22',
    status: 'open',
    created: '2026-03-01T10:00:00Z',
  },
  {
    key: 'p3',
    customer: 'Dune',
    invoices: ['g90'],
    promised: '2026-03-15',
    status: 'open',
    created: '2026-03-12T10:00:00Z',
  },
  {
    key: 'p4',
    customer: 'Fable',
    invoices: ['g200'],
    promised: '2026-03-23',
    status: 'open',
    created: '2026-03-09T00:00:00Z',
  },
  {
    key: 'p5',
    customer: 'Cobalt',
    invoices: ['paid'],
    promised: '2026-03-18',
    status: 'open',
    created: '2026-03-16T00:00:00Z',
  },
  {
    key: 'p6',
    customer: 'Ember',
    invoices: ['g10'],
    promised: '2026-03-17',
    status: 'kept',
    created: '2026-03-02T10:00:00Z',
    resolved: '2026-03-14T10:00:00Z',
  },
  {
    key: 'p7',
    customer: 'Gorse',
    invoices: ['g91'],
    promised: '2026-03-01',
    status: 'broken',
    created: '2026-02-20T10:00:00Z',
    resolved: '2026-03-11T10:00:00Z',
  },
  {
    key: 'p8',
    customer: 'Gorse',
    invoices: ['g91'],
    promised: '2026-02-01',
    status: 'kept',
    created: '2026-01-20T10:00:00Z',
    resolved: '2026-03-05T10:00:00Z',
  },
  {
    key: 'p9',
    customer: 'Fable',
    invoices: ['e45', 'e-void'],
    promised: '2026-03-20',
    status: 'open',
    created: '2026-03-03T10:00:00Z',
  },
  {
    key: 'px',
    org: 'other',
    customer: 'Acme',
    invoices: ['x10'],
    promised: '2026-03-18',
    status: 'open',
    created: '2026-03-10T10:00:00Z',
  },
];

const planFixtures = [
  {
    org: 'main',
    customer: 'Cobalt',
    status: 'completed',
    resolved: '2026-03-12T10:00:00Z',
    started: '2026-02-01T10:00:00Z',
  },
  {
    org: 'main',
    customer: 'Dune',
    status: 'broken',
    resolved: '2026-03-15T23:59:59Z',
    started: '2026-03-09T00:00:00Z',
  },
  { org: 'main', customer: 'Fable', status: 'broken', resolved: '2026-03-16T00:00:00Z', started: null },
  { org: 'main', customer: 'Gorse', status: 'active', resolved: null, started: '2026-03-10T10:00:00Z' },
  { org: 'main', customer: 'Acme', status: 'rejected', resolved: '2026-03-10T10:00:00Z', started: null },
  {
    org: 'other',
    customer: 'Acme',
    status: 'broken',
    resolved: '2026-03-12T10:00:00Z',
    started: '2026-03-12T10:00:00Z',
  },
] as const;

const disputeFixtures = [
  { org: 'main', customer: 'Acme', status: 'open', created: '2026-03-11T10:00:00Z', resolved: null },
  {
    org: 'main',
    customer: 'Bramble',
    status: 'resolved',
    created: '2026-02-01T10:00:00Z',
    resolved: '2026-03-13T10:00:00Z',
  },
  {
    org: 'main',
    customer: 'Cobalt',
    status: 'resolved',
    created: '2026-03-10T10:00:00Z',
    resolved: '2026-03-14T10:00:00Z',
  },
  { org: 'main', customer: 'Dune', status: 'open', created: '2026-03-16T00:00:00Z', resolved: null },
  { org: 'other', customer: 'Acme', status: 'open', created: '2026-03-11T10:00:00Z', resolved: null },
] as const;

const flagFixtures = [
  { org: 'main', customer: 'Ember', created: '2026-03-12T10:00:00Z' },
  { org: 'main', customer: 'Fable', created: '2026-03-01T10:00:00Z' },
  { org: 'other', customer: 'Acme', created: '2026-03-12T10:00:00Z' },
] as const;

const inWindow = (iso: string | null | undefined) =>
  iso != null && at(iso) >= windowFrom && at(iso) < windowTo;
const dueDateOf = (fixture: InvoiceFixture) => shift(today, -fixture.daysPastDue);
const owedOn = (fixture: InvoiceFixture) => (fixture.status ?? 'open') === 'open' && fixture.balance > 0;
const mainReceivables = invoiceFixtures.filter((fixture) => fixture.org !== 'other' && owedOn(fixture));
const bucketKey = (days: number) =>
  days <= 0 ? 'current' : days <= 30 ? '1-30' : days <= 60 ? '31-60' : days <= 90 ? '61-90' : '90+';
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('collection figures of one organisation', () => {
  let database: DatabaseHandle;
  const orgIds = {} as Record<Org, string>;
  const invoiceIds = new Map<string, string>();
  const customerIds = new Map<string, string>();

  beforeAll(async () => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 6, logger: createLogger('silent') });
    const { db } = database;
    const connectionIds = {} as Record<Org, string>;
    for (const org of ['main', 'other'] as const) {
      const [organisation] = await db
        .insert(organisations)
        .values({ name: `Figures ${org}`, currency: 'GBP', timeZone: 'Europe/London' })
        .returning();
      orgIds[org] = organisation?.id ?? '';
      const [connection] = await db
        .insert(ledgerConnections)
        .values({ orgId: orgIds[org], vendor: 'xero', tenantId: `figures-${org}-${Date.now()}` })
        .returning();
      connectionIds[org] = connection?.id ?? '';
      const rows = await db
        .insert(customers)
        .values(
          names.map((name) => ({
            orgId: orgIds[org],
            connectionId: connectionIds[org],
            externalId: name,
            name,
          })),
        )
        .returning();
      for (const row of rows) customerIds.set(`${org}:${row.name}`, row.id);
    }
    const scope = (org: Org | undefined, customer: string) => ({
      orgId: orgIds[org ?? 'main'],
      customerId: customerIds.get(`${org ?? 'main'}:${customer}`) ?? '',
    });
    const stored = await db
      .insert(invoices)
      .values(
        invoiceFixtures.map((fixture) => ({
          ...scope(fixture.org, fixture.customer),
          connectionId: connectionIds[fixture.org ?? 'main'],
          externalId: fixture.key,
          number: fixture.key.toUpperCase(),
          currency: fixture.currency,
          totalMinor: fixture.total ?? fixture.balance,
          balanceMinor: fixture.balance,
          issueDate: fixture.issued === null ? null : shift(today, -fixture.issued),
          dueDate: dueDateOf(fixture),
          status: fixture.status ?? 'open',
          collectionHold: fixture.hold ?? null,
        })),
      )
      .returning({ id: invoices.id, externalId: invoices.externalId });
    for (const row of stored) invoiceIds.set(row.externalId, row.id);
    const idsOf = (keys: string[]) => keys.map((key) => invoiceIds.get(key) ?? '');
    await db.insert(payments).values(
      paymentFixtures.map((fixture, index) => ({
        ...scope(fixture.org, 'Acme'),
        connectionId: connectionIds[fixture.org],
        externalId: `pay-${index}`,
        currency: fixture.currency,
        amountMinor: fixture.amount,
        paidOn: fixture.paidOn,
      })),
    );
    await db.insert(outboundMessages).values(
      messageFixtures.map((fixture, index) => ({
        ...scope(fixture.org, fixture.customer),
        idempotencyKey: `message-${index}`,
        status: fixture.status,
        purpose: fixture.purpose,
        to: [{ email: 'ap@debtor.example' }],
        template: 'reminder',
        sentAt: fixture.sentAt ? at(fixture.sentAt) : null,
        deliveryProblem: 'problem' in fixture ? fixture.problem : null,
      })),
    );
    await db.insert(paymentPromises).values(
      promiseFixtures.map((fixture) => ({
        ...scope(fixture.org, fixture.customer),
        invoiceIds: idsOf(fixture.invoices),
        promisedDate: fixture.promised,
        status: fixture.status,
        source: 'portal' as const,
        createdAt: at(fixture.created),
        resolvedAt: fixture.resolved ? at(fixture.resolved) : null,
      })),
    );
    const plans = await db
      .insert(paymentPlans)
      .values(
        planFixtures.map((fixture) => ({
          ...scope(fixture.org, fixture.customer),
          invoiceIds: [],
          currency: 'GBP',
          startBalanceMinor: 1000,
          installments: [{ dueDate: '2026-03-01', amountMinor: 1000 }],
          status: fixture.status,
          source: 'portal' as const,
          resolvedAt: fixture.resolved ? at(fixture.resolved) : null,
        })),
      )
      .returning({ id: paymentPlans.id });
    await db.insert(activityLog).values(
      planFixtures.flatMap((fixture, index) => [
        ...(fixture.started
          ? [
              {
                ...scope(fixture.org, fixture.customer),
                kind: 'plan.started',
                actor: 'debtor',
                summary: 'A plan started',
                details: { planId: plans[index]?.id },
                occurredAt: at(fixture.started),
              },
            ]
          : []),
        {
          ...scope(fixture.org, fixture.customer),
          kind: 'plan.requested',
          actor: 'debtor',
          summary: 'A plan was asked for',
          details: { planId: plans[index]?.id },
          occurredAt: at('2026-03-11T10:00:00Z'),
        },
      ]),
    );
    await db.insert(disputes).values(
      disputeFixtures.map((fixture) => ({
        ...scope(fixture.org, fixture.customer),
        invoiceIds: [],
        reason: 'quality',
        message: 'Not as described',
        status: fixture.status,
        source: 'portal' as const,
        createdAt: at(fixture.created),
        resolvedAt: fixture.resolved ? at(fixture.resolved) : null,
      })),
    );
    await db.insert(collectionFlags).values(
      flagFixtures.map((fixture, index) => ({
        ...scope(fixture.org, fixture.customer),
        idempotencyKey: `flag-${index}`,
        kinds: ['agency_referral'],
        invoiceIds: [],
        daysOverdue: 70,
        recommendation: {},
        createdAt: at(fixture.created),
      })),
    );
  });
  afterAll(() => database.pool.end());

  it('ages the open balance per currency, home currency first, with the 0/1/30/31/60/61/90/91 day boundaries', async () => {
    const figures = await overdueFigures(database.db, orgIds.main, { today });
    const currencies = [
      'GBP',
      ...[...new Set(mainReceivables.map((row) => row.currency))].filter((c) => c !== 'GBP').sort(),
    ];
    const expected = currencies.map((currency) => {
      const owed = mainReceivables.filter((row) => row.currency === currency);
      const overdue = owed.filter((row) => row.daysPastDue > 0);
      const held = owed.filter((row) => row.hold !== undefined);
      return {
        currency,
        openMinor: sum(owed.map((row) => row.balance)),
        openInvoices: owed.length,
        overdueMinor: sum(overdue.map((row) => row.balance)),
        overdueInvoices: overdue.length,
        heldMinor: sum(held.map((row) => row.balance)),
        heldInvoices: held.length,
        buckets: ['current', '1-30', '31-60', '61-90', '90+'].map((key) => {
          const inBucket = owed.filter((row) => bucketKey(row.daysPastDue) === key);
          return expect.objectContaining({
            key,
            balanceMinor: sum(inBucket.map((row) => row.balance)),
            invoices: inBucket.length,
          });
        }),
      };
    });
    expect(figures).toEqual({ today, homeCurrency: 'GBP', currencies: expected });
    expect(figures.currencies.map((row) => row.currency)).toEqual(['GBP', 'EUR', 'USD']);
    // The boundaries, spelled out: 0 is current, 30 and 31, 60 and 61, 90 and 91 fall apart.
    expect(figures.currencies[0]?.buckets.map((bucket) => bucket.invoices)).toEqual([4, 4, 2, 2, 2]);
    expect(figures.currencies[0]?.buckets.map((bucket) => [bucket.fromDays, bucket.toDays])).toEqual([
      [null, 0],
      [1, 30],
      [31, 60],
      [61, 90],
      [91, null],
    ]);
  });

  it('keeps to its organisation, lists the home currency even when nothing is owed in it, and refuses bad input', async () => {
    const other = await overdueFigures(database.db, orgIds.other, { today });
    expect(other.currencies.map((row) => [row.currency, row.openMinor, row.overdueMinor])).toEqual([
      ['GBP', 9999, 9999],
      ['EUR', 8888, 8888],
    ]);
    const empty = await overdueFigures(database.db, orgIds.main, { today: '2000-01-01' });
    expect(empty.currencies[0]).toMatchObject({ currency: 'GBP', overdueMinor: 0, overdueInvoices: 0 });
    await expect(
      overdueFigures(database.db, '00000000-0000-4000-8000-000000000000', { today }),
    ).rejects.toMatchObject({ statusCode: 404 });
    await expect(overdueFigures(database.db, orgIds.main, { today: '2026-02-30' })).rejects.toThrow(
      RangeError,
    );
    await expect(largestOverdueDebtors(database.db, orgIds.main, { today, currency: 'eur' })).rejects.toThrow(
      RangeError,
    );
    await expect(
      collectedBetween(database.db, orgIds.main, { from: today, to: '2026-03-01' }),
    ).rejects.toThrow(RangeError);
  });

  it('works out DSO from home-currency receivables and the invoices issued in the window', async () => {
    const expectedDso = (windowDays: number, asOf: string) => {
      const home = invoiceFixtures.filter((row) => row.org !== 'other' && row.currency === 'GBP');
      const receivablesMinor = sum(home.filter(owedOn).map((row) => row.balance));
      const invoicedMinor = sum(
        home
          .filter((row) => row.status !== 'voided' && row.status !== 'deleted' && row.issued !== null)
          .filter((row) => {
            const age = daysBetween(asOf, shift(today, -(row.issued ?? 0)));
            return age >= 0 && age < windowDays;
          })
          .map((row) => row.total ?? row.balance),
      );
      return {
        currency: 'GBP',
        windowDays,
        windowFrom: shift(asOf, 1 - windowDays),
        windowTo: asOf,
        receivablesMinor,
        invoicedMinor,
        days:
          invoicedMinor > 0 ? Math.round((receivablesMinor / invoicedMinor) * windowDays * 10) / 10 : null,
      };
    };
    const standard = await dso(database.db, orgIds.main, { today });
    expect(standard).toEqual(expectedDso(90, today));
    expect(standard.days).not.toBeNull();
    expect(await dso(database.db, orgIds.main, { today, windowDays: 30 })).toEqual(expectedDso(30, today));
    const before = await dso(database.db, orgIds.main, { today: '2020-01-01' });
    expect(before).toEqual(expectedDso(90, '2020-01-01'));
    expect(before.days).toBeNull();
    await expect(dso(database.db, orgIds.main, { today, windowDays: 0 })).rejects.toThrow(RangeError);
  });

  it('sums the payments of an inclusive date range per currency', async () => {
    const range = { from: '2026-03-09', to: '2026-03-15' };
    const collected = await collectedBetween(database.db, orgIds.main, range);
    const paid = paymentFixtures.filter(
      (row) => row.org === 'main' && row.paidOn >= range.from && row.paidOn <= range.to,
    );
    expect(collected).toEqual({
      ...range,
      homeCurrency: 'GBP',
      currencies: ['GBP', 'EUR', 'JPY'].map((currency) => {
        const rows = paid.filter((row) => row.currency === currency);
        return { currency, amountMinor: sum(rows.map((row) => row.amount)), payments: rows.length };
      }),
    });
    expect(
      await collectedBetween(database.db, orgIds.main, { from: '2025-01-01', to: '2025-01-31' }),
    ).toEqual({
      from: '2025-01-01',
      to: '2025-01-31',
      homeCurrency: 'GBP',
      currencies: [{ currency: 'GBP', amountMinor: 0, payments: 0 }],
    });
  });

  it('counts what happened in a window that includes its start and excludes its end', async () => {
    const main = <T extends { org?: Org }>(rows: readonly T[]) =>
      rows.filter((row) => (row.org ?? 'main') === 'main');
    const reminders = main(messageFixtures).filter(
      (row) => row.purpose === 'reminder' && row.status === 'sent' && inWindow(row.sentAt),
    );
    const promises = main(promiseFixtures);
    const plans = main(planFixtures);
    const disputed = main(disputeFixtures);
    expect(await activityBetween(database.db, orgIds.main, { from: windowFrom, to: windowTo })).toEqual({
      from: windowFrom,
      to: windowTo,
      remindersSent: reminders.length,
      debtorsReminded: new Set(reminders.map((row) => row.customer)).size,
      remindersUndelivered: reminders.filter((row) => 'problem' in row).length,
      promisesMade: promises.filter((row) => inWindow(row.created)).length,
      promisesKept: promises.filter((row) => row.status === 'kept' && inWindow(row.resolved)).length,
      promisesBroken: promises.filter((row) => row.status === 'broken' && inWindow(row.resolved)).length,
      plansStarted: plans.filter((row) => inWindow(row.started)).length,
      plansCompleted: plans.filter((row) => row.status === 'completed' && inWindow(row.resolved)).length,
      plansBroken: plans.filter((row) => row.status === 'broken' && inWindow(row.resolved)).length,
      disputesOpened: disputed.filter((row) => inWindow(row.created)).length,
      disputesResolved: disputed.filter((row) => row.status === 'resolved' && inWindow(row.resolved)).length,
      flagsRaised: main(flagFixtures).filter((row) => inWindow(row.created)).length,
    });
    // Not all zeros by accident: the fixtures put something on each side of every edge.
    expect(reminders.length).toBe(3);
    expect(promises.filter((row) => inWindow(row.created)).length).toBe(3);
  });

  it('lists the open promises due in a date range with what their invoices still owe', async () => {
    const range = { from: shift(today, 1), to: shift(today, 7) };
    const byKey = new Map(invoiceFixtures.map((row) => [row.key, row]));
    const expected = promiseFixtures
      .filter((row) => (row.org ?? 'main') === 'main' && row.status === 'open')
      .filter((row) => row.promised >= range.from && row.promised <= range.to)
      .map((row) => ({ row, owing: row.invoices.flatMap((key) => byKey.get(key) ?? []).filter(owedOn) }))
      .filter(({ owing }) => owing.length > 0)
      .sort((a, b) =>
        a.row.promised === b.row.promised
          ? a.row.customer.localeCompare(b.row.customer)
          : a.row.promised.localeCompare(b.row.promised),
      )
      .map(({ row, owing }) => ({
        promiseId: expect.any(String),
        customerId: customerIds.get(`main:${row.customer}`),
        customerName: row.customer,
        promisedDate: row.promised,
        source: 'portal',
        owed: [...new Set(owing.map((invoice) => invoice.currency))].sort().map((currency) => ({
          currency,
          amountMinor: sum(
            owing.filter((invoice) => invoice.currency === currency).map((invoice) => invoice.balance),
          ),
        })),
        invoices: expect.arrayContaining(
          owing.map((invoice) => ({
            id: invoiceIds.get(invoice.key),
            number: invoice.key.toUpperCase(),
            currency: invoice.currency,
            balanceMinor: invoice.balance,
          })),
        ),
      }));
    const due = await promisesDue(database.db, orgIds.main, range);
    expect(due).toEqual(expected);
    expect(due.map((row) => row.customerName)).toEqual(['Bramble', 'Fable', 'Cobalt']);
    expect(due.map((row) => row.invoices.length)).toEqual([3, 1, 1]);
  });

  it('ranks the debtors owing most past due in one currency, older debt first on a tie', async () => {
    const expectedFor = (currency: string, limit: number) => {
      const overdue = mainReceivables.filter((row) => row.currency === currency && row.daysPastDue > 0);
      return [...new Set(overdue.map((row) => row.customer))]
        .map((name) => {
          const rows = overdue.filter((row) => row.customer === name);
          return {
            customerId: customerIds.get(`main:${name}`),
            name,
            overdueMinor: sum(rows.map((row) => row.balance)),
            overdueInvoices: rows.length,
            oldestDaysOverdue: Math.max(...rows.map((row) => row.daysPastDue)),
            heldMinor: sum(rows.filter((row) => row.hold).map((row) => row.balance)),
          };
        })
        .sort(
          (a, b) =>
            b.overdueMinor - a.overdueMinor ||
            b.oldestDaysOverdue - a.oldestDaysOverdue ||
            a.name.localeCompare(b.name),
        )
        .slice(0, limit);
    };
    const top = await largestOverdueDebtors(database.db, orgIds.main, { today });
    expect(top).toEqual({ today, currency: 'GBP', debtors: expectedFor('GBP', 5) });
    expect(top.debtors.map((row) => row.name)).toEqual(['Dune', 'Cobalt', 'Bramble', 'Fable', 'Gorse']);
    const all = await largestOverdueDebtors(database.db, orgIds.main, { today, limit: 10 });
    expect(all.debtors).toEqual(expectedFor('GBP', 10));
    expect(all.debtors.at(-1)?.name).toBe('Ember');
    const euro = await largestOverdueDebtors(database.db, orgIds.main, { today, currency: 'EUR' });
    expect(euro).toEqual({ today, currency: 'EUR', debtors: expectedFor('EUR', 5) });
  });
});
