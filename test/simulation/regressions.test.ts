/**
 * Failures the simulator found, kept as regular tests: minimal reproductions against `plan` itself,
 * and shrunk counterexamples (fast-check's seed and path, and the minimal company) replayed through
 * the simulator. To keep a new one: run the property (simulate.ts `checkProperty`, or
 * `npm run test:simulate`), copy the printed "minimal company" JSON here and replay it with `runCompany`.
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/collections/plan.js';
import type { DebtorSnapshot, PastContact } from '../../src/collections/snapshot.js';
import { defaultPolicy } from '../../src/domain/policy.js';
import { breakers } from './breakers.js';
import type { CompanySpec } from './generate.js';
import { runCompany } from './simulate.js';

const sent = (at: string, stepKey: string, invoiceId = 'inv-held'): PastContact => ({
  at,
  kind: 'email',
  steps: [{ invoiceId, stepKey }],
});

/**
 * Found by the simulator (seed 3, company 0, debtor d0): invoice "held" was overdue from 2025-10-13 and
 * went through the ladder up to the final notice (27 January); the settle-or-write-off flag was raised
 * and, on 1 May, approved as a write-off, which takes the invoice out of the schedule. Invoice "late"
 * has been overdue since 17 February, so the debtor was never without an overdue invoice: one journey.
 * load-snapshots leaves the held invoice out of both `invoices` (collection_hold is set) and
 * `history.closedInvoices` (it never closed), so journeyStartDay sees a journey begun on 17 February,
 * ignores the earlier contacts, and starts the ladder again: firm-fees, then a second formal demand and
 * a second final notice in one journey.
 */
function heldInvoiceDebtor(closedInvoices: DebtorSnapshot['history']['closedInvoices']): DebtorSnapshot {
  return {
    orgId: 'org',
    customerId: 'd0',
    customerName: 'Debtor',
    orgTimeZone: 'Europe/London',
    debtorTimeZone: null,
    orgCountry: null,
    debtorCountry: null,
    orgCurrency: 'GBP',
    credits: [],
    invoices: [
      {
        id: 'inv-late',
        number: 'INV-2',
        currency: 'GBP',
        balanceMinor: 127_030,
        totalMinor: 127_030,
        dueDate: '2026-02-16',
        status: 'open',
      },
    ],
    contacts: [{ email: 'ap@debtor.example', name: null, role: 'billing', bounced: false }],
    history: {
      contacts: [
        sent('2026-01-05T10:15:00.000Z', 'firm-fees'),
        sent('2026-01-19T10:15:00.000Z', 'demand'),
        sent('2026-01-27T10:15:00.000Z', 'final'),
        {
          at: '2026-02-10T10:00:00.000Z',
          kind: 'flag',
          steps: [{ invoiceId: 'inv-held', stepKey: 'settle-or-write-off' }],
        },
      ],
      closedInvoices,
      paidInvoices: [],
      payments: [],
      promises: [],
      plan: null,
      settlements: [],
      disputes: [],
      lastResponseAt: null,
      optedOut: false,
      lifetimePaidMinor: 0,
      firstInvoiceDate: null,
    },
    overrides: {},
  };
}

/** Tuesday 5 May 2026, 11:00 in London: inside the sending window, the cap long over. */
const now = new Date('2026-05-05T10:00:00Z');
const rungEmails = (snapshot: DebtorSnapshot) =>
  plan(snapshot, defaultPolicy, now).actions.filter(
    (action) => action.kind === 'email' && action.rung !== null,
  );

describe('regressions: engine bugs the simulator found', () => {
  it('the journey continues when the held invoice is read back as closed when it was held (as load-snapshots does)', () => {
    expect(
      rungEmails(heldInvoiceDebtor([{ dueDate: '2025-10-12', closedAt: '2026-05-01T02:13:00.000Z' }])),
    ).toEqual([]);
  });
});

/** fast-check's shrunk counterexamples, replayed through the simulator. */
describe('regressions: shrunk counterexamples', () => {
  // seed 3, path "0:64:4:7:3:2:2:…:7" (strict property, 30 runs): the same engine bug as above, shrunk to one
  // debtor whose write-off (hour 1631) restarts its journey: rung 0 after rung 4, a second demand and final notice.
  const heldInvoiceCompany: CompanySpec = {
    start: '2026-01-05',
    orgTimeZone: 'Europe/London',
    orgCountry: null,
    orgCurrency: 'AUD',
    policy: {
      minDaysBetweenContacts: 7,
      weekdays: [1, 3, 5],
      startHour: 10,
      endHour: 20,
      closedDays: [179],
      finalNoticeGraceDays: 14,
      minimumBalanceMinor: 20000,
      firstContactMaxTone: 'firm',
      promiseGraceDays: 5,
    },
    debtors: [
      {
        timeZone: 'Pacific/Kiritimati',
        country: 'IN',
        currencies: ['AUD'],
        contacts: [
          { role: 'billing', bouncedAtStart: false },
          { role: 'billing', bouncedAtStart: false },
          { role: 'escalation', bouncedAtStart: false },
        ],
        pastLateness: [13, 21, 22],
        invoices: [
          {
            currency: 'AUD',
            totalMinor: 208403,
            paidAtStartMinor: 0,
            dueDay: 30,
            arrivesHour: 727,
            billTo: null,
          },
          { currency: 'AUD', totalMinor: 2000, paidAtStartMinor: 0, dueDay: 0, arrivesHour: 0, billTo: null },
          {
            currency: 'AUD',
            totalMinor: 20001,
            paidAtStartMinor: 0,
            dueDay: 67,
            arrivesHour: 1615,
            billTo: null,
          },
        ],
        creditsAtStart: [],
        events: [
          {
            hour: 1631,
            minute: 16,
            event: { kind: 'decide', approve: true, choice: 0, settlementPays: false },
          },
        ],
      },
      {
        timeZone: null,
        country: null,
        currencies: ['AUD'],
        contacts: [],
        pastLateness: [],
        invoices: [
          { currency: 'AUD', totalMinor: 2000, paidAtStartMinor: 0, dueDay: 0, arrivesHour: 0, billTo: null },
        ],
        creditsAtStart: [],
        events: [],
      },
    ],
  };
  it('held-invoice-restarts-journey (fixed): the shrunk company keeps every promise', {
    timeout: 120_000,
  }, () => {
    expect(runCompany(heldInvoiceCompany).violations).toEqual([]);
  });

  // seed 3 with the "cap of one day" breaker, 60 days: shrunk to one debtor and one invoice. Kept to show the
  // cap invariant still catches the broken engine and the real engine passes the same company.
  const capCompany: CompanySpec = {
    start: '2026-01-01',
    orgTimeZone: 'Pacific/Honolulu',
    orgCountry: null,
    orgCurrency: 'GBP',
    policy: {
      minDaysBetweenContacts: 7,
      weekdays: [1, 2, 3, 4, 5],
      startHour: 8,
      endHour: 15,
      closedDays: [],
      finalNoticeGraceDays: 14,
      minimumBalanceMinor: 0,
      firstContactMaxTone: 'firm',
      promiseGraceDays: 0,
    },
    debtors: [
      {
        timeZone: null,
        country: null,
        currencies: ['GBP'],
        contacts: [{ role: 'billing', bouncedAtStart: false }],
        pastLateness: [],
        invoices: [
          { currency: 'GBP', totalMinor: 2000, paidAtStartMinor: 0, dueDay: 0, arrivesHour: 0, billTo: null },
        ],
        creditsAtStart: [],
        events: [],
      },
    ],
  };
  it('the minimal company for a one-day cap: caught when broken, clean with the real engine', {
    timeout: 120_000,
  }, () => {
    const broken = runCompany(capCompany, { ...breakers['cap of one day']?.options, hours: 1440 }).violations;
    expect(broken.filter((violation) => violation.invariant === 1).length).toBeGreaterThan(0);
    expect(runCompany(capCompany, { hours: 1440 }).violations).toEqual([]);
  });

  // seed 20261206, path "183:26:41:2:…:8" (200-company property): ENGINE BUG held-invoice-closed-later-extends-journey.
  // Debtor d0's invoices were written off on 12 February (after the final notice of 29 January); one of them
  // is voided on 26 April (closed_at then), the day before two new invoices fall overdue. journeyStartDay
  // stretches the new journey back to 1 January through the voided one: the new invoices get no reminder,
  // and on 24 June the agency flag is raised with no final notice in this journey.
  const closedLaterCompany: CompanySpec = {
    start: '2026-12-31',
    orgTimeZone: 'Pacific/Kiritimati',
    orgCountry: null,
    orgCurrency: 'GBP',
    policy: {
      minDaysBetweenContacts: 9,
      weekdays: [1, 2, 3, 4, 5, 6],
      startHour: 9,
      endHour: 17,
      closedDays: [0, 2],
      finalNoticeGraceDays: 14,
      minimumBalanceMinor: 5000,
      firstContactMaxTone: 'firm',
      promiseGraceDays: 0,
    },
    debtors: [
      {
        timeZone: 'Asia/Tokyo',
        country: null,
        currencies: ['GBP', 'USD'],
        contacts: [
          { role: 'escalation', bouncedAtStart: false },
          { role: 'billing', bouncedAtStart: false },
        ],
        pastLateness: [21, 53, 21, 5],
        invoices: [
          { currency: 'GBP', totalMinor: 2000, paidAtStartMinor: 0, dueDay: 0, arrivesHour: 0, billTo: null },
          { currency: 'GBP', totalMinor: 2000, paidAtStartMinor: 0, dueDay: 0, arrivesHour: 0, billTo: null },
          { currency: 'GBP', totalMinor: 2000, paidAtStartMinor: 0, dueDay: 0, arrivesHour: 0, billTo: null },
          {
            currency: 'GBP',
            totalMinor: 2000,
            paidAtStartMinor: 0,
            dueDay: 116,
            arrivesHour: 2791,
            billTo: null,
          },
          {
            currency: 'GBP',
            totalMinor: 3001,
            paidAtStartMinor: 0,
            dueDay: 116,
            arrivesHour: 2791,
            billTo: null,
          },
          {
            currency: 'GBP',
            totalMinor: 2000,
            paidAtStartMinor: 0,
            dueDay: -62,
            arrivesHour: 0,
            billTo: null,
          },
          { currency: 'GBP', totalMinor: 2000, paidAtStartMinor: 0, dueDay: 0, arrivesHour: 0, billTo: null },
          { currency: 'GBP', totalMinor: 2000, paidAtStartMinor: 0, dueDay: 0, arrivesHour: 0, billTo: null },
        ],
        creditsAtStart: [],
        events: [
          {
            hour: 1035,
            minute: 1,
            event: { kind: 'decide', approve: true, choice: 1, settlementPays: false },
          },
          { hour: 2794, minute: 0, event: { kind: 'void', invoice: 0 } },
        ],
      },
      {
        timeZone: null,
        country: null,
        currencies: ['GBP'],
        contacts: [{ role: 'billing', bouncedAtStart: false }],
        pastLateness: [],
        invoices: [
          { currency: 'GBP', totalMinor: 2000, paidAtStartMinor: 0, dueDay: 0, arrivesHour: 0, billTo: null },
        ],
        creditsAtStart: [],
        events: [],
      },
    ],
  };
  it('held-invoice-closed-later-extends-journey (fixed): the shrunk company keeps every promise', {
    timeout: 120_000,
  }, () => {
    expect(runCompany(closedLaterCompany).violations).toEqual([]);
  });
});
