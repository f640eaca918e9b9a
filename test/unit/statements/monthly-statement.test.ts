import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/collections/plan.js';
import { defaultPolicy } from '../../../src/domain/policy.js';
import { organisationSettingsSchema } from '../../../src/organisations/settings.js';
import { chooseStatement, recipientsOf, statementMonth } from '../../../src/statements/monthly-choice.js';
import { monthlyStatementStepKey } from '../../../src/statements/monthly-keys.js';
import { problemsInWords } from '../../../src/words/problems.js';
import { settingsFieldWords } from '../../../src/words/settings-fields.js';
import { day, debtor, tuesdayMorning } from '../collections/debtor.js';

const now = tuesdayMorning; // Tuesday 2026-11-24, 10:00 in London
const owing = () => debtor([{ dueDate: day(-20) }, { dueDate: day(10), balanceMinor: 5_000 }]);
const statementSent = (at: string) => ({
  at,
  kind: 'email' as const,
  steps: [{ invoiceId: 'inv-1', stepKey: monthlyStatementStepKey }],
});

describe('the monthly statement setting', () => {
  const problemsOf = (monthlyStatement: unknown) => {
    const parsed = organisationSettingsSchema.safeParse({ monthlyStatement });
    return parsed.success ? null : problemsInWords(parsed.error.issues, settingsFieldWords);
  };

  it('is off by default, on day 1, and kept for settings stored before it existed', () => {
    expect(organisationSettingsSchema.parse({}).monthlyStatement).toEqual({ enabled: false, day: 1 });
  });

  it('takes any day from 1 to 28', () => {
    for (const day of [1, 15, 28]) expect(problemsOf({ enabled: true, day })).toBeNull();
  });

  it('refuses a day not every month has, or none, in words that name the field', () => {
    const sentence = 'The day of the month must be a whole number from 1 to 28 (every month has it).';
    for (const day of [0, 29, 31, 2.5, Number.NaN, -1])
      expect(problemsOf({ enabled: true, day })?.get('monthlyStatement.day')).toEqual([sentence]);
  });
});

describe('the statement day, in the organisation’s time zone', () => {
  const on = { enabled: true, day: 24 };

  it('has come from its day to the end of the month, not before', () => {
    expect(statementMonth(now, 'Europe/London', on)).toEqual({ month: '2026-11', due: true });
    expect(statementMonth(now, 'Europe/London', { ...on, day: 25 })).toEqual({
      month: '2026-11',
      due: false,
    });
    expect(statementMonth(new Date('2026-11-30T23:30:00Z'), 'Europe/London', on).due).toBe(true);
  });

  it('is the local date: 23:30 UTC on the 23rd is already the 24th in Auckland, not yet in New York', () => {
    const lateOn23rd = new Date('2026-11-23T23:30:00Z');
    expect(statementMonth(lateOn23rd, 'Pacific/Auckland', on).due).toBe(true);
    expect(statementMonth(lateOn23rd, 'America/New_York', on).due).toBe(false);
    // The first of the month in Auckland is still last month in UTC.
    expect(statementMonth(new Date('2026-11-30T12:00:00Z'), 'Pacific/Auckland', on).month).toBe('2026-12');
  });

  it('never comes while statements are off', () => {
    expect(statementMonth(now, 'Europe/London', { enabled: false, day: 1 }).due).toBe(false);
  });
});

describe('who gets a statement', () => {
  it('a debtor who owes something, at their billing address, listing what is owed', () => {
    expect(chooseStatement(owing(), defaultPolicy, now)).toEqual({
      kind: 'send',
      to: [{ email: 'ap@coolcars.example', name: 'Grace', role: 'billing', bounced: false }],
      invoiceIds: ['inv-1', 'inv-2'],
    });
  });

  it('not a debtor who owes nothing: no open balance, or credits that cover it', () => {
    expect(chooseStatement(debtor([]), defaultPolicy, now).kind).toBe('skip');
    expect(chooseStatement(debtor([{ dueDate: day(-5), balanceMinor: 0 }]), defaultPolicy, now).kind).toBe(
      'skip',
    );
    const covered = debtor(
      [{ dueDate: day(-5) }],
      {},
      { credits: [{ currency: 'GBP', amountMinor: 10_000 }] },
    );
    expect(chooseStatement(covered, defaultPolicy, now)).toEqual({
      kind: 'skip',
      why: 'owes nothing, credits counted',
    });
    // A credit in another currency pays nothing of this one.
    const elsewhere = debtor(
      [{ dueDate: day(-5) }],
      {},
      { credits: [{ currency: 'EUR', amountMinor: 99_000 }] },
    );
    expect(chooseStatement(elsewhere, defaultPolicy, now).kind).toBe('send');
  });

  it('not a debtor set to do-not-contact, excluded, or opted out of emails', () => {
    const held = [
      debtor([{ dueDate: day(-5) }], {}, { overrides: { doNotContact: true } }),
      debtor([{ dueDate: day(-5) }], {}, { overrides: { excluded: true } }),
      debtor([{ dueDate: day(-5) }], { optedOut: true }),
    ];
    expect(held.map((snapshot) => chooseStatement(snapshot, defaultPolicy, now))).toEqual([
      { kind: 'skip', why: 'set to do-not-contact' },
      { kind: 'skip', why: 'excluded from automatic chasing' },
      { kind: 'skip', why: 'opted out of emails' },
    ]);
  });

  it('never to a bounced address; none left, no statement', () => {
    const bounced = debtor(
      [{ dueDate: day(-5) }],
      {},
      {
        contacts: [
          { email: 'old@coolcars.example', name: null, role: 'billing', bounced: true },
          { email: 'ap@coolcars.example', name: 'Grace', role: 'billing', bounced: false },
        ],
      },
    );
    expect(recipientsOf(bounced).map((contact) => contact.email)).toEqual(['ap@coolcars.example']);
    const allBounced = debtor(
      [{ dueDate: day(-5) }],
      {},
      {
        contacts: [{ email: 'old@coolcars.example', name: null, role: 'billing', bounced: true }],
      },
    );
    expect(chooseStatement(allBounced, defaultPolicy, now)).toEqual({
      kind: 'skip',
      why: 'no deliverable email address',
    });
  });

  it('to the addresses a person chose, else the invoices’ own bill-to address', () => {
    const chosen = debtor(
      [{ dueDate: day(-5), billEmail: 'bills@coolcars.example' }],
      {},
      {
        overrides: { recipients: ['boss@coolcars.example'] },
      },
    );
    expect(recipientsOf(chosen).map((contact) => contact.email)).toEqual(['boss@coolcars.example']);
    const billTo = debtor([{ dueDate: day(-5), billEmail: 'bills@coolcars.example' }]);
    expect(recipientsOf(billTo).map((contact) => contact.email)).toEqual(['bills@coolcars.example']);
  });

  it('waits while the contact cap holds, and goes the day it allows', () => {
    const policy = { ...defaultPolicy, minDaysBetweenContacts: 7 };
    const reminded = (daysAgo: number) =>
      debtor([{ dueDate: day(-20) }], {
        contacts: [
          {
            at: `${day(-daysAgo)}T10:00:00.000Z`,
            kind: 'email',
            steps: [{ invoiceId: 'inv-1', stepKey: 'reminder' }],
          },
        ],
      });
    expect(chooseStatement(reminded(3), policy, now)).toMatchObject({ kind: 'wait' });
    expect(chooseStatement(reminded(6), policy, now).kind).toBe('wait');
    expect(chooseStatement(reminded(7), policy, now).kind).toBe('send');
  });

  it('waits while another contact waits to go, or a reply is unread, or a person paused the customer', () => {
    const waiting = debtor([{ dueDate: day(-20) }], {
      contacts: [{ at: now.toISOString(), kind: 'email', unsent: true, steps: [] }],
    });
    expect(chooseStatement(waiting, defaultPolicy, now)).toEqual({
      kind: 'wait',
      why: 'another contact is waiting to go',
    });
    const replied = debtor([{ dueDate: day(-20) }], {
      unreadReplies: [{ receivedOn: day(-1), outOfOffice: false, returnsOn: null }],
    });
    expect(chooseStatement(replied, defaultPolicy, now).kind).toBe('wait');
    const paused = debtor([{ dueDate: day(-20) }], {}, { overrides: { pausedUntil: day(3) } });
    expect(chooseStatement(paused, defaultPolicy, now).kind).toBe('wait');
  });

  it('waits outside the sending window (a Saturday, or 7:00), in the debtor’s time', () => {
    expect(chooseStatement(owing(), defaultPolicy, new Date('2026-11-28T10:00:00Z')).kind).toBe('wait');
    expect(chooseStatement(owing(), defaultPolicy, new Date('2026-11-24T07:00:00Z')).kind).toBe('wait');
  });
});

describe('a statement is a contact the planner counts', () => {
  it('holds the next reminder for the days between contacts', () => {
    const policy = { ...defaultPolicy, minDaysBetweenContacts: 7 };
    const overdue = (contacts: ReturnType<typeof statementSent>[]) =>
      debtor([{ dueDate: day(-4) }], { contacts });
    const free = plan(overdue([]), policy, now);
    expect(free.actions.some((action) => action.kind === 'email')).toBe(true);
    const held = plan(overdue([statementSent(`${day(-1)}T10:00:00.000Z`)]), policy, now);
    expect(held.actions).toEqual([]);
    expect(held.nextContactOn).toBe(day(6));
  });
});
