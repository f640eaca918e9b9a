import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/collections/plan.js';
import { nextSendingInstant } from '../../../src/collections/sending-window.js';
import { defaultPolicy } from '../../../src/domain/policy.js';
import { day, debtor, reliableHistory, tuesdayMorning } from './debtor.js';

const now = tuesdayMorning;
const emailOf = (result: ReturnType<typeof plan>) => result.actions.find((action) => action.kind === 'email');
const sent = (at: string, steps: Array<[string, string]>) => ({
  at: `${at}T10:00:00Z`,
  kind: 'email' as const,
  steps: steps.map(([invoiceId, stepKey]) => ({ invoiceId, stepKey })),
});

describe('plan: which step', () => {
  it('sends a friendly heads-up three days before the due date', () => {
    const result = plan(debtor([{ dueDate: day(3) }], reliableHistory), defaultPolicy, now);
    expect(emailOf(result)).toMatchObject({
      stepKey: 'heads-up',
      tone: 'friendly',
      to: [{ email: 'ap@coolcars.example' }],
    });
  });

  it('sends nothing earlier than the first step', () => {
    const result = plan(debtor([{ dueDate: day(10) }], reliableHistory), defaultPolicy, now);
    expect(result.actions).toEqual([]);
    expect(result.notes).toEqual(['nothing due today']);
  });

  it('sends the reminder after the heads-up once the contact cap allows (a week later, day +4)', () => {
    const headsUp = (dueInDays: number) => ({
      ...reliableHistory,
      contacts: [sent(day(dueInDays - 3), [['inv-1', 'heads-up']])],
    });
    const dayOne = plan(debtor([{ dueDate: day(-1) }], headsUp(-1)), defaultPolicy, now);
    expect(dayOne.actions).toEqual([]);
    expect(dayOne.nextContactOn).toBe(day(3));
    expect(emailOf(plan(debtor([{ dueDate: day(-4) }], headsUp(-4)), defaultPolicy, now))).toMatchObject({
      stepKey: 'reminder',
    });
  });

  it('catches up one rung at a time: after the reminder comes the firm reminder, however late it is', () => {
    const history = { ...reliableHistory, contacts: [sent(day(-49), [['inv-1', 'reminder']])] };
    const result = plan(debtor([{ dueDate: day(-50) }], history), defaultPolicy, now);
    expect(result.actions).toHaveLength(1);
    expect(emailOf(result)).toMatchObject({ stepKey: 'firm', tone: 'firm', rung: 1 });
  });

  it('never opens with anything harsher than the firm step', () => {
    const result = plan(debtor([{ dueDate: day(-40) }], reliableHistory), defaultPolicy, now);
    expect(emailOf(result)).toMatchObject({ stepKey: 'firm-fees', tone: 'firm', lateFeeNotice: true });
  });

  it('covers every overdue invoice in one contact at the journey’s next rung', () => {
    const history = { ...reliableHistory, contacts: [sent(day(-20), [['inv-1', 'firm']])] };
    const result = plan(
      debtor([{ dueDate: day(-31) }, { dueDate: day(-2) }, { dueDate: day(2) }], history),
      defaultPolicy,
      now,
    );
    const email = emailOf(result);
    expect(result.actions.filter((action) => action.kind === 'email')).toHaveLength(1);
    // The firm reminder went; the next rung is the firm reminder with fees, for both overdue invoices
    // (the one not yet due is not chased).
    expect(email).toMatchObject({ stepKey: 'firm-fees', tone: 'firm', rung: 2 });
    expect(email?.invoiceSteps).toEqual([
      { invoiceId: 'inv-1', stepKey: 'firm-fees' },
      { invoiceId: 'inv-2', stepKey: 'firm-fees' },
    ]);
  });

  it('copies escalation contacts from the formal demand on', () => {
    const snapshot = debtor([{ dueDate: day(-31) }], {
      ...reliableHistory,
      contacts: [sent(day(-15), [['inv-1', 'firm-fees']])],
    });
    snapshot.contacts.push({
      email: 'director@coolcars.example',
      name: 'Ada',
      role: 'escalation',
      bounced: false,
    });
    expect(emailOf(plan(snapshot, defaultPolicy, now))?.cc).toEqual([
      { email: 'director@coolcars.example', name: 'Ada', role: 'escalation', bounced: false },
    ]);
  });

  it('gives the same idempotency key for the same decision, another for another', () => {
    const snapshot = debtor([{ dueDate: day(-2) }], reliableHistory);
    const first = emailOf(plan(snapshot, defaultPolicy, now))?.idempotencyKey;
    expect(emailOf(plan(snapshot, defaultPolicy, new Date(now.getTime() + 3_600_000)))?.idempotencyKey).toBe(
      first,
    );
    const other = debtor([{ dueDate: day(-2) }, { dueDate: day(-1) }], reliableHistory);
    expect(emailOf(plan(other, defaultPolicy, now))?.idempotencyKey).not.toBe(first);
  });
});

describe('plan: guards', () => {
  it('never chases paid, voided or deleted invoices', () => {
    const result = plan(
      debtor([
        { dueDate: day(-40), status: 'paid', balanceMinor: 0 },
        { dueDate: day(-40), status: 'voided', balanceMinor: 0 },
        { dueDate: day(-40), status: 'deleted' },
        { dueDate: day(-40), balanceMinor: -500 },
      ]),
      defaultPolicy,
      now,
    );
    expect(result.actions).toEqual([]);
    expect(result.notes).toEqual(['nothing is owed']);
  });

  it('pauses disputed invoices until a person resumes them, and chases the others', () => {
    const history = {
      ...reliableHistory,
      disputes: [{ invoiceIds: ['inv-1'], status: 'open' as const, openedOn: day(-5) }],
    };
    const result = plan(debtor([{ dueDate: day(-20) }, { dueDate: day(-2) }], history), defaultPolicy, now);
    expect(emailOf(result)?.invoiceSteps.map((entry) => entry.invoiceId)).toEqual(['inv-2']);
    expect(result.notes).toContain('invoice INV-1: paused while disputed, until a person resumes it');
  });

  it('pauses for a promise until its date and grace, then resumes saying it was broken', () => {
    const promise = {
      invoiceIds: ['inv-1'],
      promisedDate: day(-2),
      status: 'open' as const,
      madeOn: day(-10),
    };
    const kept = plan(
      debtor([{ dueDate: day(-20) }], { ...reliableHistory, promises: [promise] }),
      defaultPolicy,
      now,
    );
    expect(kept.actions).toEqual([]);
    expect(kept.notes[0]).toMatch(/paused until the promised date/);
    const broken = {
      ...promise,
      promisedDate: day(-5),
      status: 'broken' as const,
      resolvedAt: `${day(-1)}T09:00:00Z`,
    };
    const resumed = plan(
      debtor([{ dueDate: day(-20) }], { ...reliableHistory, promises: [broken] }),
      defaultPolicy,
      now,
    );
    expect(emailOf(resumed)?.brokenPromise).toEqual({ promisedDate: day(-5) });
  });

  it('resumes at the next step at once after a broken promise, and says so only in that message', () => {
    // The reminder went on day -15; the promise made after it broke yesterday. The firm step's day
    // (+7 from a due date moved to day -4) has not come, but a broken promise resumes the schedule now.
    const history = {
      ...reliableHistory,
      contacts: [sent(day(-15), [['inv-1', 'reminder']])],
      promises: [
        {
          invoiceIds: ['inv-1'],
          promisedDate: day(-4),
          status: 'broken' as const,
          madeOn: day(-12),
          resolvedAt: `${day(-1)}T09:00:00Z`,
        },
      ],
    };
    const resumed = plan(debtor([{ dueDate: day(-4) }], history), defaultPolicy, now);
    expect(emailOf(resumed)).toMatchObject({ stepKey: 'firm', brokenPromise: { promisedDate: day(-4) } });
    // Once that message went, the schedule keeps its own days again and the promise is not repeated:
    // at +14 comes the payment-plan offer a broken promise earns (the strained segment).
    const after = { ...history, contacts: [...history.contacts, sent(day(0), [['inv-1', 'firm']])] };
    const later = new Date(now.getTime() + 14 * 86_400_000);
    expect(emailOf(plan(debtor([{ dueDate: day(-4) }], after), defaultPolicy, later))).toMatchObject({
      stepKey: 'plan-offer',
      brokenPromise: null,
    });
  });

  it('pauses while a payment plan is kept, and resumes after a missed installment and its grace', () => {
    const installment = (dueDate: string) => ({
      number: 2,
      of: 4,
      dueDate,
      amountMinor: 2_500,
      currency: 'GBP',
    });
    const kept = { status: 'active' as const, nextInstallment: installment(day(10)) };
    expect(
      plan(debtor([{ dueDate: day(-20) }], { ...reliableHistory, plan: kept }), defaultPolicy, now).actions,
    ).toEqual([]);
    const missed = { ...kept, nextInstallment: installment(day(-4)) };
    expect(
      emailOf(
        plan(debtor([{ dueDate: day(-20) }], { ...reliableHistory, plan: missed }), defaultPolicy, now),
      ),
    ).toBeDefined();
  });

  it('replaces the schedule with an installment reminder a few days before each installment, once', () => {
    const active = {
      status: 'active' as const,
      invoiceIds: ['inv-1'],
      nextInstallment: { number: 2, of: 4, dueDate: day(3), amountMinor: 2_500, currency: 'GBP' },
    };
    const result = plan(
      debtor([{ dueDate: day(-20) }, { dueDate: day(-25) }], { ...reliableHistory, plan: active }),
      defaultPolicy,
      now,
    );
    const email = emailOf(result);
    // The plan's invoice gets its installment reminder, a message of its own; the invoice outside the
    // plan is chased in the next message the contact cap allows (its first rung: at most firm).
    expect(email).toMatchObject({ stepKey: 'installment-2', rung: null });
    expect(email?.invoiceSteps).toEqual([{ invoiceId: 'inv-1', stepKey: 'installment-2' }]);
    const withReminder = {
      ...reliableHistory,
      plan: active,
      contacts: [sent(day(-7), [['inv-1', 'installment-2']])],
    };
    const next = emailOf(
      plan(debtor([{ dueDate: day(-20) }, { dueDate: day(-25) }], withReminder), defaultPolicy, now),
    );
    expect(next).toMatchObject({ rung: 2, invoiceSteps: [{ invoiceId: 'inv-2', stepKey: 'firm-fees' }] });
    const onlyPlan = plan(
      debtor([{ dueDate: day(-20) }], { ...reliableHistory, plan: active }),
      defaultPolicy,
      now,
    );
    expect(emailOf(onlyPlan)).toMatchObject({
      stepKey: 'installment-2',
      template: 'installment',
      tone: 'friendly',
    });
    const reminded = {
      ...reliableHistory,
      plan: active,
      contacts: [sent(day(-8), [['inv-1', 'installment-2']])],
    };
    expect(plan(debtor([{ dueDate: day(-20) }], reminded), defaultPolicy, now).actions).toEqual([]);
  });

  it('resumes escalation at the next step once a plan is broken', () => {
    const history = {
      ...reliableHistory,
      contacts: [sent(day(-30), [['inv-1', 'reminder']])],
      plan: {
        status: 'broken' as const,
        invoiceIds: ['inv-1'],
        nextInstallment: { number: 2, of: 4, dueDate: day(-5), amountMinor: 2_500, currency: 'GBP' },
        brokenAt: `${day(-1)}T09:00:00Z`,
      },
    };
    expect(emailOf(plan(debtor([{ dueDate: day(-2) }], history), defaultPolicy, now))).toMatchObject({
      stepKey: 'firm',
      brokenPromise: { promisedDate: day(-5) },
    });
  });

  it('sends nothing more while an earlier message waits for approval, whatever the calendar says', () => {
    const waiting = { ...sent(day(-10), [['inv-1', 'reminder']]), unsent: true };
    const held = plan(
      debtor([{ dueDate: day(-20) }], { ...reliableHistory, contacts: [waiting] }),
      defaultPolicy,
      now,
    );
    expect(emailOf(held)).toBeUndefined();
    expect(held.notes).toContain(
      'an earlier message is still waiting to be approved or sent: nothing more until it goes',
    );
    const once = { ...waiting, unsent: false };
    const free = plan(
      debtor([{ dueDate: day(-20) }], { ...reliableHistory, contacts: [once] }),
      defaultPolicy,
      now,
    );
    expect(emailOf(free)).toMatchObject({ stepKey: 'firm' });
  });

  it('keeps to the contact cap and says when the next message may go', () => {
    const history = { ...reliableHistory, contacts: [sent(day(-3), [['inv-1', 'reminder']])] };
    const result = plan(debtor([{ dueDate: day(-9) }], history), defaultPolicy, now);
    expect(result.actions).toEqual([]);
    expect(result.nextContactOn).toBe(day(4));
  });

  it('sends only on working days within the hours, in the debtor’s own time zone', () => {
    const saturday = new Date('2026-11-28T10:00:00Z');
    expect(plan(debtor([{ dueDate: day(-2) }], reliableHistory), defaultPolicy, saturday).notes[0]).toMatch(
      /sending window/,
    );
    // 10:00 in London is 05:00 in New York: too early for the debtor.
    const newYork = debtor([{ dueDate: day(-2) }], reliableHistory, { debtorTimeZone: 'America/New_York' });
    expect(plan(newYork, defaultPolicy, now).actions).toEqual([]);
    expect(emailOf(plan(newYork, defaultPolicy, new Date('2026-11-24T15:00:00Z')))).toBeDefined();
  });

  it('honours an opt-out, and turns a message with no deliverable address into a task', () => {
    expect(
      plan(debtor([{ dueDate: day(-2) }], { ...reliableHistory, optedOut: true }), defaultPolicy, now).notes,
    ).toContain('the debtor opted out of emails: no automatic message');
    const bounced = debtor([{ dueDate: day(-2) }], reliableHistory);
    bounced.contacts = [{ email: 'gone@coolcars.example', name: null, role: 'billing', bounced: true }];
    expect(plan(bounced, defaultPolicy, now).actions).toEqual([
      expect.objectContaining({ kind: 'task', task: expect.stringMatching(/No deliverable email address/) }),
    ]);
  });

  it('skips balances below the minimum worth chasing, in the organisation’s currency', () => {
    const policy = { ...defaultPolicy, minimumBalanceMinor: 2_000 };
    expect(
      plan(debtor([{ dueDate: day(-2), balanceMinor: 1_500 }], reliableHistory), policy, now).actions,
    ).toEqual([]);
    const foreign = debtor([{ dueDate: day(-2), balanceMinor: 1_500, currency: 'JPY' }], reliableHistory);
    expect(emailOf(plan(foreign, policy, now))).toBeDefined();
  });

  it('does nothing for a customer a person excluded or set to do-not-contact', () => {
    for (const overrides of [{ excluded: true }, { doNotContact: true }]) {
      const result = plan(
        debtor([{ dueDate: day(-70) }], reliableHistory, { overrides }),
        defaultPolicy,
        now,
      );
      expect(result.actions).toEqual([]);
    }
  });
});

describe('plan: value, flags and segments', () => {
  it('asks a person to approve formal steps for a high-value customer', () => {
    const history = {
      ...reliableHistory,
      lifetimePaidMinor: 6_000_000,
      contacts: [sent(day(-16), [['inv-1', 'firm-fees']])],
    };
    expect(emailOf(plan(debtor([{ dueDate: day(-31) }], history), defaultPolicy, now))).toMatchObject({
      stepKey: 'demand',
      requiresApproval: true,
    });
    const ordinary = { ...history, lifetimePaidMinor: 100_000 };
    expect(
      emailOf(plan(debtor([{ dueDate: day(-31) }], ordinary), defaultPolicy, now))?.requiresApproval,
    ).toBe(false);
  });

  it('flags agency referral at +60 and settlement or write-off at +120, only the latest when catching up', () => {
    const early = { ...reliableHistory, contacts: [sent(day(-10), [['inv-1', 'final']])] };
    const waiting = plan(debtor([{ dueDate: day(-65) }], early), defaultPolicy, now);
    expect(waiting.actions).toEqual([]);
    // The final notice went 15 days ago: its 14 days of grace have passed.
    const history = { ...reliableHistory, contacts: [sent(day(-15), [['inv-1', 'final']])] };
    const agency = plan(debtor([{ dueDate: day(-65) }], history), defaultPolicy, now);
    expect(agency.actions.find((action) => action.kind === 'flag')).toMatchObject({
      flags: ['agency_referral'],
      daysOverdue: 65,
    });
    const late = plan(debtor([{ dueDate: day(-130) }], history), defaultPolicy, now);
    const flags = late.actions.filter((action) => action.kind === 'flag');
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ flags: ['settlement_offer', 'write_off'], requiresApproval: true });
  });

  it('escalates a chronic late payer a week sooner', () => {
    const chronic = {
      paidInvoices: [40, 50, 60].map((late, index) => ({
        dueDate: day(-200 + index * 30),
        paidOn: day(-200 + index * 30 + late),
        partPayments: 1,
      })),
      contacts: [sent(day(-12), [['inv-1', 'firm-fees']])],
    };
    const result = plan(debtor([{ dueDate: day(-24) }], chronic), defaultPolicy, now);
    expect(result.segment.segment).toBe('chronic');
    expect(emailOf(result)).toMatchObject({ stepKey: 'demand' });
  });

  it('offers a strained debtor a payment plan at +14', () => {
    const strained = {
      ...reliableHistory,
      promises: [
        { invoiceIds: ['old'], promisedDate: day(-40), status: 'broken' as const, madeOn: day(-50) },
      ],
      contacts: [sent(day(-8), [['inv-1', 'firm']])],
    };
    const result = plan(debtor([{ dueDate: day(-15) }], strained), defaultPolicy, now);
    expect(result.segment.segment).toBe('strained');
    expect(emailOf(result)).toMatchObject({ stepKey: 'plan-offer', template: 'plan-offer' });
  });

  it('lets a person override the segment', () => {
    const result = plan(
      debtor([{ dueDate: day(-2) }], reliableHistory, { overrides: { segment: 'unresponsive' } }),
      defaultPolicy,
      now,
    );
    expect(result.segment).toEqual({
      segment: 'unresponsive',
      reason: 'set by a person for this customer',
      overridden: true,
    });
  });
});

describe('plan: flags brought forward', () => {
  it('still sends the final notice after a segment brought the agency flag forward to its day', () => {
    const taken = (daysAgo: number, kind: 'email' | 'flag', stepKey: string) => ({
      at: `${day(-daysAgo)}T10:00:00Z`,
      kind,
      steps: [{ invoiceId: 'inv-1', stepKey }],
    });
    const history = {
      ...reliableHistory,
      contacts: [
        taken(16, 'email', 'demand'),
        // Unresponsive: the agency flag (+60) came forward to +45, the final notice's day, and was raised first.
        taken(1, 'flag', 'agency'),
      ],
    };
    const result = plan(
      debtor([{ dueDate: day(-46) }], history, { overrides: { segment: 'unresponsive' } }),
      defaultPolicy,
      now,
    );
    expect(emailOf(result)).toMatchObject({ stepKey: 'final' });
    expect(result.actions.filter((action) => action.kind === 'flag')).toEqual([]);
  });
});

describe('plan: properties', () => {
  const invoice = fc.record({
    dueOffset: fc.integer({ min: -200, max: 30 }),
    balanceMinor: fc.integer({ min: -1_000, max: 1_000_000 }),
    status: fc.constantFrom('open', 'paid', 'voided', 'deleted'),
  });
  const snapshots = fc.record({
    invoices: fc.array(invoice, { minLength: 1, maxLength: 6 }),
    lastContactDaysAgo: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    hour: fc.integer({ min: 0, max: 23 }),
  });

  it('never contacts a debtor within the contact cap', () => {
    fc.assert(
      fc.property(snapshots, ({ invoices, lastContactDaysAgo, hour }) => {
        const history = {
          ...reliableHistory,
          contacts:
            lastContactDaysAgo === null ? [] : [sent(day(-lastContactDaysAgo), [['inv-1', 'reminder']])],
        };
        const snapshot = debtor(
          invoices.map((entry) => ({
            dueDate: day(entry.dueOffset),
            balanceMinor: entry.balanceMinor,
            status: entry.status,
          })),
          history,
        );
        const result = plan(snapshot, defaultPolicy, new Date(Date.UTC(2026, 10, 24, hour)));
        const emailed = result.actions.some((action) => action.kind === 'email');
        return (
          !emailed ||
          lastContactDaysAgo === null ||
          lastContactDaysAgo >= defaultPolicy.minDaysBetweenContacts
        );
      }),
      { numRuns: 500 },
    );
  });

  it('never contacts a debtor who owes nothing', () => {
    fc.assert(
      fc.property(snapshots, ({ invoices, hour }) => {
        const snapshot = debtor(
          invoices.map((entry) => ({
            dueDate: day(entry.dueOffset),
            balanceMinor: Math.min(0, entry.balanceMinor),
            status: entry.status,
          })),
          reliableHistory,
        );
        return plan(snapshot, defaultPolicy, new Date(Date.UTC(2026, 10, 24, hour))).actions.length === 0;
      }),
      { numRuns: 500 },
    );
  });
});

describe('plan: one journey per debtor', () => {
  const sydney = { orgTimeZone: 'Australia/Sydney' };

  it('keeps the contact cap as elapsed time ahead of UTC: 6 days and 23 hours are not 7 days', () => {
    // Sent Tuesday 10:00 in Sydney (Monday 23:00 UTC); a week later at 09:00 Sydney is an hour short.
    const history = {
      ...reliableHistory,
      contacts: [
        {
          at: '2026-11-16T23:00:00Z',
          kind: 'email' as const,
          steps: [{ invoiceId: 'inv-1', stepKey: 'reminder' }],
        },
      ],
    };
    const snapshot = debtor([{ dueDate: day(-10) }], history, sydney);
    const early = plan(snapshot, defaultPolicy, new Date('2026-11-23T22:00:00Z'));
    expect(emailOf(early)).toBeUndefined();
    expect(early.notes.join(' ')).toMatch(/contact cap/);
    expect(emailOf(plan(snapshot, defaultPolicy, new Date('2026-11-23T23:00:00Z')))).toMatchObject({
      stepKey: 'firm',
    });
  });

  it('sends nothing on a public holiday of the debtor’s country, nor on the organisation’s closed days', () => {
    const christmas = new Date('2026-12-25T10:00:00Z'); // a Friday
    const inBritain = debtor([{ dueDate: '2026-12-20' }], reliableHistory, { debtorCountry: 'GB' });
    const held = plan(inBritain, defaultPolicy, christmas);
    expect(emailOf(held)).toBeUndefined();
    expect(held.notes.join(' ')).toMatch(/public holiday or a closed day/);
    // Japan does not keep 25 December: the same debtor there is reminded.
    expect(emailOf(plan({ ...inBritain, debtorCountry: 'JP' }, defaultPolicy, christmas))).toBeDefined();
    // The organisation's country stands in when the debtor's is unknown.
    expect(
      emailOf(plan({ ...inBritain, debtorCountry: null, orgCountry: 'GB' }, defaultPolicy, christmas)),
    ).toBeUndefined();
    const closed = { ...defaultPolicy, closedDays: [day(0)] };
    expect(emailOf(plan(debtor([{ dueDate: day(-2) }], reliableHistory), closed, now))).toBeUndefined();
  });

  it('writes to the invoice’s own bill-to address first, then the customer’s billing contacts', () => {
    const billed = debtor([{ dueDate: day(-2), billEmail: 'invoices@coolcars.example' }], reliableHistory);
    expect(emailOf(plan(billed, defaultPolicy, now))?.to).toEqual([
      { email: 'invoices@coolcars.example', name: null, role: 'billing', bounced: false },
    ]);
    // No customer address at all: the bill-to address still reaches them (no "find an address" task).
    billed.contacts = [];
    expect(emailOf(plan(billed, defaultPolicy, now))?.to[0]?.email).toBe('invoices@coolcars.example');
    // A bounced bill-to address falls back to the billing contact.
    const bounced = debtor([{ dueDate: day(-2), billEmail: 'gone@coolcars.example' }], reliableHistory);
    bounced.contacts.push({ email: 'gone@coolcars.example', name: null, role: 'other', bounced: true });
    expect(emailOf(plan(bounced, defaultPolicy, now))?.to[0]?.email).toBe('ap@coolcars.example');
  });

  it('raises one "find an address" task per debtor, and no flag for a debtor never contacted', () => {
    const lost = debtor([{ dueDate: day(-70) }], reliableHistory);
    lost.contacts = [];
    const first = plan(lost, defaultPolicy, now);
    expect(first.actions).toEqual([expect.objectContaining({ kind: 'task', stepKey: 'find-address' })]);
    const openTask = {
      at: `${day(-1)}T10:00:00Z`,
      kind: 'task' as const,
      open: true,
      steps: [{ invoiceId: 'inv-1', stepKey: 'find-address' }],
    };
    const again = plan({ ...lost, history: { ...lost.history, contacts: [openTask] } }, defaultPolicy, now);
    expect(again.actions).toEqual([]);
    expect(again.notes.join(' ')).toMatch(/waiting for a person to find one/);
  });

  it('does not chase a debtor whose credits cover what is overdue, and suggests applying them', () => {
    const covered = debtor([{ dueDate: day(-20), balanceMinor: 10_000 }], reliableHistory, {
      credits: [{ currency: 'GBP', amountMinor: 12_000 }],
    });
    const result = plan(covered, defaultPolicy, now);
    expect(emailOf(result)).toBeUndefined();
    expect(result.actions).toEqual([
      expect.objectContaining({ kind: 'task', task: expect.stringMatching(/Apply the available credit/) }),
    ]);
    // Credit in another currency does not offset it.
    const otherCurrency = { ...covered, credits: [{ currency: 'USD', amountMinor: 12_000 }] };
    expect(emailOf(plan(otherCurrency, defaultPolicy, now))).toBeDefined();
  });

  it('starts a new journey after everything was paid: the first contact is gentle again', () => {
    // A final notice went in an earlier journey; that invoice was paid, then a new one fell overdue.
    const history = {
      ...reliableHistory,
      contacts: [sent(day(-40), [['old', 'final']])],
      closedInvoices: [{ dueDate: day(-90), closedAt: `${day(-30)}T12:00:00Z` }],
    };
    const fresh = plan(debtor([{ dueDate: day(-2) }], history), defaultPolicy, now);
    expect(emailOf(fresh)).toMatchObject({ stepKey: 'reminder', rung: 0 });
    // While the old invoice was still unpaid when the new one fell overdue, it is the same journey.
    const overlapping = {
      ...history,
      closedInvoices: [{ dueDate: day(-90), closedAt: `${day(-1)}T12:00:00Z` }],
    };
    const continued = plan(debtor([{ dueDate: day(-2) }], overlapping), defaultPolicy, now);
    // Every rung was climbed: nothing more is sent, and the flag waits for its day.
    expect(continued.actions).toEqual([]);
    expect(continued.notes).toEqual(['nothing due today']);
  });
});

describe('nextSendingInstant: when an approved reminder may go', () => {
  it('is now inside the window, else the next opening in the debtor’s zone, skipping weekends and holidays', () => {
    const london = debtor([{ dueDate: day(-40) }], reliableHistory);
    expect(nextSendingInstant(london, defaultPolicy, now)).toEqual(now);
    // Friday 18:30 in London: Monday 9:00.
    expect(nextSendingInstant(london, defaultPolicy, new Date('2026-11-27T18:30:00Z')).toISOString()).toBe(
      '2026-11-30T09:00:00.000Z',
    );
    // Thursday 24 December 17:10 in Britain: Christmas and Boxing Day (a Saturday) pass, Monday the 28th
    // is the substitute Boxing Day holiday, so Tuesday 29 December at 9:00.
    const british = { ...london, debtorCountry: 'GB' };
    expect(nextSendingInstant(british, defaultPolicy, new Date('2026-12-24T17:10:00Z')).toISOString()).toBe(
      '2026-12-29T09:00:00.000Z',
    );
    // Kolkata is UTC+5:30: its 9:00 is 03:30 UTC.
    const kolkata = { ...london, debtorTimeZone: 'Asia/Kolkata' };
    expect(nextSendingInstant(kolkata, defaultPolicy, new Date('2026-11-24T14:00:00Z')).toISOString()).toBe(
      '2026-11-25T03:30:00.000Z',
    );
  });
});
