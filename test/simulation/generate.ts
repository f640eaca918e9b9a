/**
 * Generated companies for the simulator: plain JSON (so a shrunk counterexample can be pasted into a
 * regression test), built by fast-check arbitraries. Times are hours (and minutes) from the start.
 */
import fc from 'fast-check';
import {
  defaultPolicy,
  type Policy,
  policySchema,
  type ReminderVia,
  type Tone,
} from '../../src/domain/policy.js';

/** Zones from UTC−10 to UTC+14, both hemispheres' DST changes, and a half-hour offset. */
export const zones = [
  'Pacific/Honolulu',
  'America/Los_Angeles',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Pacific/Kiritimati',
] as const;
export const countries = ['GB', 'US', 'AU', 'NZ', 'DE', 'JP', 'IN', 'BR'] as const;
export const currencies = ['GBP', 'USD', 'EUR', 'AUD', 'NZD', 'JPY'] as const;

export const simDays = 180;
export const simHours = simDays * 24;

export interface InvoiceSpec {
  currency: string;
  totalMinor: number;
  /** Already paid of it at the start. */
  paidAtStartMinor: number;
  /** Due date, in days from the start date (negative: overdue at the start). */
  dueDay: number;
  /** Hour it appears in the ledger (0: there at the start). */
  arrivesHour: number;
  /** Index into the debtor's contacts for its bill-to address, or null. */
  billTo: number | null;
}

export interface ContactSpec {
  role: 'billing' | 'escalation';
  bouncedAtStart: boolean;
}

export type EventSpec =
  | { kind: 'pay'; invoice: number; fraction: number }
  | { kind: 'void'; invoice: number }
  | { kind: 'credit'; currency: number; amountMinor: number }
  | { kind: 'dispute'; invoice: number; all: boolean }
  | { kind: 'resolve' }
  | { kind: 'promise'; daysAhead: number; keep: boolean; all: boolean; invoice: number }
  | { kind: 'plan'; count: number; firstInDays: number; kept: number }
  | { kind: 'bounce'; contact: number }
  | { kind: 'optOut' }
  /** The debtor texts STOP: no more texts to their number. */
  | { kind: 'stopTexts' }
  | { kind: 'decide'; approve: boolean; choice: number; settlementPays: boolean };

export interface TimedEvent {
  /** Hour from the start, and minute within it (minutes 1–14 race the delivery at :15). */
  hour: number;
  minute: number;
  event: EventSpec;
}

export interface DebtorSpec {
  timeZone: string | null;
  country: string | null;
  currencies: string[];
  contacts: ContactSpec[];
  invoices: InvoiceSpec[];
  /** Earlier invoices paid: days late each (shapes the segment). */
  pastLateness: number[];
  creditsAtStart: Array<{ currency: number; amountMinor: number }>;
  /** A mobile number with consent to texts is on record from the start. */
  textConsent?: boolean;
  events: TimedEvent[];
}

export interface PolicySpec {
  /** Which rungs a person carries out: the firm reminder as a call, the formal demand as a letter. */
  channels?: 'email' | 'call' | 'letter' | 'call-and-letter';
  /** How the email steps go: by email, by text, or both (a text only to a number with consent). */
  reminderVia?: ReminderVia;
  minDaysBetweenContacts: number;
  weekdays: number[];
  startHour: number;
  endHour: number;
  closedDays: number[];
  finalNoticeGraceDays: number;
  minimumBalanceMinor: number;
  firstContactMaxTone: Tone;
  promiseGraceDays: number;
}

export interface CompanySpec {
  /** Start date (UTC midnight), ISO. */
  start: string;
  orgTimeZone: string;
  orgCountry: string | null;
  orgCurrency: string;
  policy: PolicySpec;
  debtors: DebtorSpec[];
}

const dayMs = 86_400_000;
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The company's policy: the defaults with the generated settings. */
export function policyOf(company: CompanySpec): Policy {
  const spec = company.policy;
  const startMs = Date.parse(company.start);
  const byPerson = (key: string) =>
    (key === 'firm' && (spec.channels === 'call' || spec.channels === 'call-and-letter')) ||
    (key === 'demand' && (spec.channels === 'letter' || spec.channels === 'call-and-letter'));
  return policySchema.parse({
    ...defaultPolicy,
    steps: defaultPolicy.steps.map((step) =>
      byPerson(step.key)
        ? { ...step, action: step.key === 'firm' ? 'call' : 'letter' }
        : spec.reminderVia && spec.reminderVia !== 'email' && step.action === 'email'
          ? { ...step, via: spec.reminderVia }
          : step,
    ),
    minDaysBetweenContacts: spec.minDaysBetweenContacts,
    sendingWindow: { weekdays: spec.weekdays, startHour: spec.startHour, endHour: spec.endHour },
    closedDays: spec.closedDays.map((day) => isoDay(startMs + day * dayMs)),
    finalNoticeGraceDays: spec.finalNoticeGraceDays,
    minimumBalanceMinor: spec.minimumBalanceMinor,
    firstContactMaxTone: spec.firstContactMaxTone,
    promiseGraceDays: spec.promiseGraceDays,
  });
}

const policyArb: fc.Arbitrary<PolicySpec> = fc.record({
  channels: fc.constantFrom(
    'email' as const,
    'email' as const,
    'call' as const,
    'letter' as const,
    'call-and-letter' as const,
  ),
  reminderVia: fc.constantFrom<ReminderVia>('email', 'email', 'text', 'both'),
  minDaysBetweenContacts: fc.oneof(fc.constant(7), fc.integer({ min: 7, max: 10 })),
  weekdays: fc.constantFrom([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6], [1, 3, 5]),
  startHour: fc.integer({ min: 8, max: 10 }),
  endHour: fc.integer({ min: 15, max: 20 }),
  closedDays: fc.array(fc.integer({ min: 0, max: simDays - 1 }), { maxLength: 4 }),
  finalNoticeGraceDays: fc.oneof(fc.constant(14), fc.integer({ min: 1, max: 30 })),
  minimumBalanceMinor: fc.constantFrom(0, 0, 5_000, 20_000),
  firstContactMaxTone: fc.constantFrom<Tone>('firm', 'firm', 'neutral', 'formal'),
  promiseGraceDays: fc.integer({ min: 0, max: 5 }),
});

const eventArb = (invoices: number, contacts: number): fc.Arbitrary<EventSpec> => {
  const invoice = fc.integer({ min: 0, max: Math.max(0, invoices - 1) });
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('pay' as const),
        invoice,
        fraction: fc.oneof(fc.constant(1), fc.double({ min: 0.05, max: 1, noNaN: true })),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), invoice }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('credit' as const),
        currency: fc.nat(3),
        amountMinor: fc.integer({ min: 1_000, max: 600_000 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('dispute' as const), invoice, all: fc.boolean() }),
    },
    { weight: 2, arbitrary: fc.constant({ kind: 'resolve' as const }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('promise' as const),
        daysAhead: fc.integer({ min: 0, max: 14 }),
        keep: fc.boolean(),
        all: fc.boolean(),
        invoice,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('plan' as const),
        count: fc.integer({ min: 2, max: 4 }),
        firstInDays: fc.integer({ min: 0, max: 20 }),
        kept: fc.integer({ min: 0, max: 4 }),
      }),
    },
    {
      weight: contacts > 0 ? 1 : 0,
      arbitrary: fc.record({
        kind: fc.constant('bounce' as const),
        contact: fc.nat(Math.max(0, contacts - 1)),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'optOut' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'stopTexts' as const }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('decide' as const),
        approve: fc.boolean(),
        choice: fc.nat(1),
        settlementPays: fc.boolean(),
      }),
    },
  );
};

const invoiceArb = (debtorCurrencies: string[], contacts: number): fc.Arbitrary<InvoiceSpec> =>
  fc
    .record({
      currency: fc.constantFrom(...debtorCurrencies),
      totalMinor: fc.integer({ min: 2_000, max: 800_000 }),
      paidShare: fc.oneof(fc.constant(0), fc.constant(0), fc.double({ min: 0, max: 0.9, noNaN: true })),
      dueDay: fc.integer({ min: -150, max: simDays - 10 }),
      terms: fc.integer({ min: 0, max: 60 }),
      billTo: contacts > 0 ? fc.option(fc.nat(contacts - 1), { freq: 3 }) : fc.constant(null),
    })
    .map(({ currency, totalMinor, paidShare, dueDay, terms, billTo }) => {
      const issued = dueDay - terms;
      return {
        currency,
        totalMinor,
        paidAtStartMinor: Math.floor(totalMinor * paidShare),
        dueDay,
        arrivesHour: issued <= 0 ? 0 : issued * 24 + 7,
        billTo,
      };
    });

const debtorArb = (orgCurrency: string): fc.Arbitrary<DebtorSpec> =>
  fc
    .record({
      timeZone: fc.option(fc.constantFrom(...zones), { freq: 4 }),
      country: fc.option(fc.constantFrom(...countries), { freq: 4 }),
      extra: fc.subarray([...currencies], { maxLength: 2 }),
      multi: fc.integer({ min: 0, max: 3 }),
      // Mostly a billing address or two; sometimes none, sometimes all bounced.
      contacts: fc.oneof(
        { weight: 1, arbitrary: fc.constant<ContactSpec[]>([]) },
        {
          weight: 6,
          arbitrary: fc.array(
            fc.record({
              role: fc.constantFrom<'billing' | 'escalation'>('billing', 'billing', 'escalation'),
              bouncedAtStart: fc.constantFrom(false, false, false, false, true),
            }),
            { minLength: 1, maxLength: 3 },
          ),
        },
      ),
      pastLateness: fc.array(fc.integer({ min: -5, max: 60 }), { maxLength: 6 }),
      textConsent: fc.boolean(),
    })
    .chain((base) => {
      const debtorCurrencies =
        base.multi === 0 ? [orgCurrency, ...base.extra.filter((c) => c !== orgCurrency)] : [orgCurrency];
      const invoiceCount = fc.integer({ min: 1, max: 8 });
      return invoiceCount.chain((count) =>
        fc
          .record({
            invoices: fc.array(invoiceArb(debtorCurrencies, base.contacts.length), {
              minLength: count,
              maxLength: count,
            }),
            creditsAtStart: fc.array(
              fc.record({ currency: fc.nat(3), amountMinor: fc.integer({ min: 1_000, max: 900_000 }) }),
              { maxLength: 1 },
            ),
            events: fc.array(
              fc.record({
                hour: fc.integer({ min: 0, max: simHours - 1 }),
                minute: fc.integer({ min: 0, max: 59 }),
                event: eventArb(count, base.contacts.length),
              }),
              { maxLength: 14 },
            ),
          })
          .map((rest) => ({
            timeZone: base.timeZone,
            country: base.country,
            currencies: debtorCurrencies,
            contacts: base.contacts,
            pastLateness: base.pastLateness,
            textConsent: base.textConsent,
            ...rest,
            events: [...rest.events].sort((a, b) => a.hour * 60 + a.minute - (b.hour * 60 + b.minute)),
          })),
      );
    });

/** A company: its zone, country, currency, policy and 1–6 debtors with their timelines. */
export const companyArb: fc.Arbitrary<CompanySpec> = fc
  .record({
    startDay: fc.integer({ min: 0, max: 365 }),
    orgTimeZone: fc.constantFrom(...zones),
    orgCountry: fc.option(fc.constantFrom(...countries), { freq: 6 }),
    orgCurrency: fc.constantFrom('GBP', 'USD', 'EUR', 'AUD'),
    policy: policyArb,
  })
  .chain((org) =>
    fc.array(debtorArb(org.orgCurrency), { minLength: 1, maxLength: 6 }).map((debtors) => ({
      start: isoDay(Date.UTC(2026, 0, 1) + org.startDay * dayMs),
      orgTimeZone: org.orgTimeZone,
      orgCountry: org.orgCountry,
      orgCurrency: org.orgCurrency,
      policy: org.policy,
      debtors,
    })),
  );

/** What a "pay" event pays on an invoice: the whole balance, or the event's share of it (at least 1). */
export const paymentAmount = (balanceMinor: number, fraction: number) =>
  fraction >= 1 ? balanceMinor : Math.max(1, Math.floor(balanceMinor * fraction));
