import { describe, expect, it } from 'vitest';
import { changeDays, nextStep } from '../../../src/collections/next-step.js';
import { pauseGuard } from '../../../src/collections/pause-guard.js';
import { plan } from '../../../src/collections/plan.js';
import { defaultPolicy, type Step } from '../../../src/domain/policy.js';
import { day, debtor, tuesdayMorning } from './debtor.js';

const now = tuesdayMorning;
const sent = (at: string, steps: Array<[string, string]>) => ({
  at: `${at}T10:00:00.000Z`,
  kind: 'email' as const,
  steps: steps.map(([invoiceId, stepKey]) => ({ invoiceId, stepKey })),
});
const disputed = (invoiceId: string) => ({
  disputes: [{ invoiceIds: [invoiceId], status: 'open' as const, openedOn: day(-2) }],
});

describe('nextStep: what the planner does now', () => {
  it('names the step due now, with the planner’s reason', () => {
    const next = nextStep(debtor([{ dueDate: day(-8) }]), defaultPolicy, now);
    expect(next).toMatchObject({
      status: 'due',
      on: '2026-11-24',
      stepKey: 'firm',
      text: 'Firm reminder due now',
      guard: null,
    });
    expect(next.why).toContain('8 days overdue');
  });

  it('names a flag and an approval-gated step in words', () => {
    const flagged = nextStep(
      debtor([{ dueDate: day(-61) }], { contacts: [sent(day(-16), [['inv-1', 'final']])] }),
      defaultPolicy,
      now,
    );
    expect(flagged.text).toBe('Agency referral flag due now');
    const valuable = nextStep(
      debtor([{ dueDate: day(-31) }], {
        contacts: [sent(day(-10), [['inv-1', 'firm-fees']])],
        lifetimePaidMinor: 6_000_000,
      }),
      defaultPolicy,
      now,
    );
    expect(valuable.text).toBe('Formal demand with late-fee notice (for your approval) due now');
  });

  it('uses the plan result it is given instead of planning again', () => {
    const snapshot = debtor([{ dueDate: day(-8) }]);
    const planned = plan(snapshot, defaultPolicy, now);
    expect(nextStep(snapshot, defaultPolicy, now, { ...planned, actions: [] }).status).not.toBe('due');
  });
});

describe('nextStep: a step on a later day', () => {
  it('gives the first step’s date when nothing is due yet', () => {
    expect(nextStep(debtor([{ dueDate: day(10) }]), defaultPolicy, now)).toMatchObject({
      status: 'scheduled',
      on: '2026-12-01',
      stepKey: 'heads-up',
      text: 'Heads-up on 2026-12-01',
      guard: null,
    });
  });

  it('follows the customer’s own schedule', () => {
    const nudge: Step = {
      key: 'nudge',
      offsetDays: 3,
      action: 'email',
      template: 'reminder',
      tone: 'neutral',
      copyEscalationContacts: false,
      requiresApproval: false,
      lateFeeNotice: false,
    };
    const own = nextStep(
      debtor([{ dueDate: day(0) }], {}, { overrides: { steps: [nudge] } }),
      defaultPolicy,
      now,
    );
    expect(own).toMatchObject({ on: '2026-11-27', stepKey: 'nudge', text: 'Reminder on 2026-11-27' });
    expect(nextStep(debtor([{ dueDate: day(3) }]), defaultPolicy, now).text).toBe('Heads-up due now');
    // Due today, the heads-up three days before has had its day: skipped, the reminder comes next.
    expect(nextStep(debtor([{ dueDate: day(0) }]), defaultPolicy, now).text).toBe('Reminder on 2026-11-25');
  });

  it('holds a due message for the contact cap, and moves a Saturday to Monday, when the step has moved on', () => {
    const next = nextStep(
      debtor([{ dueDate: day(-8) }], { contacts: [sent(day(-3), [['inv-1', 'reminder']])] }),
      defaultPolicy,
      now,
    );
    expect(next).toMatchObject({
      status: 'scheduled',
      on: '2026-11-30',
      // The next rung after the reminder, however many days have passed: one rung at a time.
      stepKey: 'firm',
      guard: { kind: 'contact_cap', text: 'contact cap: last contact 3 days ago', until: '2026-11-27' },
      text: 'Firm reminder on 2026-11-30 (contact cap: last contact 3 days ago)',
    });
  });

  it('resumes after a promise lapses (its date plus the grace days)', () => {
    const promise = { invoiceIds: ['inv-1'], promisedDate: day(2), status: 'open' as const, madeOn: day(-1) };
    const next = nextStep(debtor([{ dueDate: day(-20) }], { promises: [promise] }), defaultPolicy, now);
    expect(next).toMatchObject({
      status: 'scheduled',
      on: '2026-11-30',
      guard: { kind: 'promise', until: '2026-11-26' },
      text: 'Firm reminder with late-fee notice on 2026-11-30 (paused: promised to pay by 2026-11-26)',
    });
  });

  it('reminds of a payment plan’s installment before its date', () => {
    const arrangement = {
      status: 'active' as const,
      invoiceIds: ['inv-1'],
      nextInstallment: { number: 1, of: 3, dueDate: day(10), amountMinor: 3_000, currency: 'GBP' },
    };
    expect(nextStep(debtor([{ dueDate: day(-20) }], { plan: arrangement }), defaultPolicy, now).text).toBe(
      'Installment reminder on 2026-12-01 (paused: payment plan, next installment due 2026-12-04)',
    );
  });

  it('names the disputed invoice when another one is still chased', () => {
    const next = nextStep(
      debtor([{ dueDate: day(-8) }, { dueDate: day(10) }], disputed('inv-1')),
      defaultPolicy,
      now,
    );
    expect(next.text).toBe('Heads-up on 2026-12-01 (paused for INV-1: dispute open)');
  });

  it('puts a debtor who opted out of emails to a person once, and is never flagged without a final notice', () => {
    const first = nextStep(debtor([{ dueDate: day(-8) }], { optedOut: true }), defaultPolicy, now);
    expect(first).toMatchObject({ status: 'due', stepKey: 'contact-another-way' });
    const task = {
      at: `${day(-1)}T10:00:00Z`,
      kind: 'task' as const,
      open: true,
      steps: [{ invoiceId: 'inv-1', stepKey: 'contact-another-way' }],
    };
    const later = nextStep(
      debtor([{ dueDate: day(-8) }], { optedOut: true, contacts: [task] }),
      defaultPolicy,
      now,
    );
    expect(later).toMatchObject({
      status: 'held',
      guard: { kind: 'opted_out' },
      text: 'Opted out of emails',
    });
  });
});

describe('nextStep: the sending window', () => {
  const snapshot = debtor([{ dueDate: day(-8) }]);

  it('is due today before the window opens on a working day', () => {
    expect(nextStep(snapshot, defaultPolicy, new Date('2026-11-24T07:00:00Z'))).toMatchObject({
      status: 'due',
      on: '2026-11-24',
      text: "Firm reminder due today, from 9:00 customer's time",
    });
  });

  it('goes the next working day after hours or at a weekend', () => {
    const evening = nextStep(snapshot, defaultPolicy, new Date('2026-11-24T20:00:00Z'));
    expect(evening).toMatchObject({
      status: 'scheduled',
      on: '2026-11-25',
      guard: { kind: 'sending_window' },
      text: "Firm reminder on 2026-11-25 (outside sending hours: 9:00–17:00 on weekdays, customer's time)",
    });
    const saturday = nextStep(snapshot, defaultPolicy, new Date('2026-11-28T10:00:00Z'));
    // By Monday the invoice is 14 days overdue: the step has moved on.
    expect(saturday).toMatchObject({ status: 'scheduled', on: '2026-11-30', stepKey: 'firm-fees' });
  });
});

describe('nextStep: held or nothing', () => {
  it('says a person excluded the customer or forbade contact, even with a step due', () => {
    const due = [{ dueDate: day(-8) }];
    expect(nextStep(debtor(due, {}, { overrides: { excluded: true } }), defaultPolicy, now)).toMatchObject({
      status: 'held',
      on: null,
      text: 'Excluded by you',
      guard: { kind: 'excluded' },
    });
    expect(
      nextStep(debtor(due, {}, { overrides: { excluded: true, doNotContact: true } }), defaultPolicy, now)
        .text,
    ).toBe('Do not contact: set by you');
  });

  it('holds a debtor whose every invoice is disputed', () => {
    const next = nextStep(debtor([{ dueDate: day(-8) }], disputed('inv-1')), defaultPolicy, now);
    expect(next).toMatchObject({ status: 'held', text: 'Paused: dispute open', guard: { kind: 'dispute' } });
    expect(next.why).toContain('paused while disputed');
  });

  it('holds balances below the minimum worth chasing', () => {
    const policy = { ...defaultPolicy, minimumBalanceMinor: 20_000 };
    expect(nextStep(debtor([{ dueDate: day(-8) }]), policy, now).text).toBe(
      'Not chased: balance below the minimum worth chasing',
    );
  });

  it('says when the schedule is finished, or nothing is owed', () => {
    const everyStep = defaultPolicy.steps.map((step): [string, string] => ['inv-1', step.key]);
    const finished = nextStep(
      debtor([{ dueDate: day(-200) }], { contacts: [sent(day(-100), everyStep)] }),
      defaultPolicy,
      now,
    );
    expect(finished).toMatchObject({ status: 'none', text: 'Nothing more scheduled' });
    const paid = nextStep(
      debtor([{ dueDate: day(-8), status: 'paid', balanceMinor: 0 }]),
      defaultPolicy,
      now,
    );
    expect(paid).toMatchObject({ status: 'none', text: 'Nothing owed' });
  });
});

describe('changeDays and pauseGuard', () => {
  it('lists future days in order, including every segment’s shifted flag days and a lapsing promise', () => {
    const promise = { invoiceIds: ['inv-1'], promisedDate: day(2), status: 'open' as const, madeOn: day(-1) };
    const days = changeDays(
      debtor([{ dueDate: day(-8) }], { promises: [promise] }),
      defaultPolicy,
      day(0),
      null,
    );
    expect(days).toEqual([...days].sort());
    expect(new Set(days).size).toBe(days.length);
    expect(days[0]).toBe(day(1));
    // The promise lapses on day 6; the unresponsive segment's agency flag is 15 days early (day 37).
    expect(days).toEqual(expect.arrayContaining([day(6), day(37), day(52)]));
    expect(days.every((candidate) => candidate > day(0))).toBe(true);
  });

  it('adds the first sending day after a change day that is not one', () => {
    const reminderOnly = {
      ...defaultPolicy,
      steps: defaultPolicy.steps.filter((step) => step.key === 'reminder'),
      segmentAdjustments: {},
    };
    // Due Saturday 2026-11-28: the reminder's day is Sunday the 29th, so it goes on Monday the 30th.
    expect(changeDays(debtor([{ dueDate: day(4) }]), reminderOnly, day(0), null)).toEqual([
      day(1),
      day(5),
      day(6),
    ]);
  });

  it('reports no pause for a debtor who is simply chased', () => {
    expect(pauseGuard(debtor([{ dueDate: day(-8) }]), defaultPolicy, day(0))).toBeNull();
  });
});
