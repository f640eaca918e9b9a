import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/collections/plan.js';
import type { PlannedEmail } from '../../../src/collections/send-or-hold.js';
import { defaultPolicy, type Policy, type ReminderVia } from '../../../src/domain/policy.js';
import { day, debtor, tuesdayMorning } from './debtor.js';

/** The default schedule with every email step going `via`. */
const policyVia = (via: ReminderVia): Policy => ({
  ...defaultPolicy,
  steps: defaultPolicy.steps.map((step) => (step.action === 'email' ? { ...step, via } : step)),
});
const overdue = [{ dueDate: day(-3) }];
const reminderOf = (result: ReturnType<typeof plan>): PlannedEmail => {
  const email = result.actions.find((action) => action.kind === 'email');
  if (email?.kind !== 'email') throw new Error(`no reminder planned: ${result.notes.join('; ')}`);
  return email;
};

describe('a reminder goes by the channel its step chooses, where the debtor can receive it', () => {
  it('goes by text, keeping the addresses to fall back to, when the debtor has a consented number', () => {
    const email = reminderOf(
      plan(debtor(overdue, {}, { textable: true }), policyVia('text'), tuesdayMorning),
    );
    expect(email.via).toBe('text');
    expect(email.to.map((contact) => contact.email)).toEqual(['ap@coolcars.example']);
    expect(email.why).not.toContain('by email');
  });

  it('goes by email and text at once as one reminder', () => {
    const result = plan(debtor(overdue, {}, { textable: true }), policyVia('both'), tuesdayMorning);
    expect(result.actions.filter((action) => action.kind === 'email')).toHaveLength(1);
    expect(reminderOf(result).via).toBe('both');
  });

  it('goes by email, saying why, when no number has consent on record', () => {
    for (const via of ['text', 'both'] as const) {
      const email = reminderOf(plan(debtor(overdue), policyVia(via), tuesdayMorning));
      expect(email.via).toBe('email');
      expect(email.why).toContain('by email: no mobile number with consent to texts on record');
    }
  });

  it('reaches a debtor who opted out of emails by text alone, with no address to fall back to', () => {
    const email = reminderOf(
      plan(debtor(overdue, { optedOut: true }, { textable: true }), policyVia('both'), tuesdayMorning),
    );
    expect(email).toMatchObject({ via: 'text', to: [], cc: [] });
    expect(email.why).toContain('by text: the customer opted out of emails');
  });

  it('reaches a debtor with no deliverable address by text instead of raising a task', () => {
    const email = reminderOf(
      plan(debtor(overdue, {}, { textable: true, contacts: [] }), policyVia('text'), tuesdayMorning),
    );
    expect(email).toMatchObject({ via: 'text', to: [] });
    expect(email.why).toContain('by text: no deliverable email address');
  });

  it('never texts when the step asks for email, even a debtor who opted out of emails', () => {
    const result = plan(
      debtor(overdue, { optedOut: true }, { textable: true }),
      defaultPolicy,
      tuesdayMorning,
    );
    expect(result.actions.some((action) => action.kind === 'email')).toBe(false);
    expect(result.notes).toContain('the debtor opted out of emails: no automatic message');
  });

  it('holds a text like an email: outside the sending window and under the contact cap', () => {
    const evening = new Date('2026-11-24T21:00:00Z');
    const closed = plan(debtor(overdue, {}, { textable: true }), policyVia('text'), evening);
    expect(closed.actions).toEqual([]);
    expect(closed.heldByWindow).toBe(true);
    const justTexted = debtor(
      overdue,
      {
        contacts: [
          {
            at: new Date(tuesdayMorning.getTime() - 3_600_000).toISOString(),
            kind: 'email',
            steps: [{ invoiceId: 'inv-1', stepKey: 'heads-up' }],
          },
        ],
      },
      { textable: true },
    );
    const capped = plan(justTexted, policyVia('text'), tuesdayMorning);
    expect(capped.actions).toEqual([]);
    expect(capped.notes.join(' ')).toContain('contact cap');
  });
});
