import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/collections/plan.js';
import type { PastContact } from '../../../src/collections/snapshot.js';
import { defaultPolicy, type Policy, type Step } from '../../../src/domain/policy.js';
import { day, debtor, tuesdayMorning } from './debtor.js';

const step = (key: string, offsetDays: number, action: Step['action'], tone: Step['tone']): Step => ({
  key,
  name: key === 'call' ? 'Phone call' : key === 'demand-letter' ? 'Letter of demand' : undefined,
  offsetDays,
  action,
  template: tone,
  tone,
  copyEscalationContacts: false,
  requiresApproval: false,
  lateFeeNotice: false,
});
/** A reminder, a call, a letter of demand, then a flag: calls and letters are rungs like emails. */
const policy: Policy = {
  ...defaultPolicy,
  steps: [
    step('reminder', 1, 'email', 'neutral'),
    step('call', 10, 'call', 'firm'),
    step('demand-letter', 20, 'letter', 'final'),
    { ...step('refer', 40, 'flag', 'final'), flags: ['agency_referral'] },
  ],
};
const hour = 3_600_000;
const daysAgo = (days: number) => new Date(tuesdayMorning.getTime() - days * 24 * hour).toISOString();
const contact = (
  kind: PastContact['kind'],
  stepKey: string,
  at: string,
  rest: Partial<PastContact> = {},
) => ({
  at,
  kind,
  steps: [{ invoiceId: 'inv-1', stepKey }],
  ...rest,
});

describe('calls and letters are rungs of the journey, under the one contact cap', () => {
  it("plans the call when its day comes, with a script drawn from the debtor's situation", () => {
    const snapshot = debtor([{ dueDate: day(-12), balanceMinor: 123_456 }], {
      contacts: [contact('email', 'reminder', daysAgo(11))],
    });
    const result = plan(snapshot, policy, tuesdayMorning);
    expect(result.actions).toHaveLength(1);
    const [call] = result.actions;
    expect(call).toMatchObject({ kind: 'task', channel: 'call', stepKey: 'call' });
    if (call?.kind !== 'task') throw new Error('not a task');
    expect(call.task).toContain('Call Cool Cars (1 overdue invoice, £1,234.56, the oldest 12 days overdue)');
    expect(call.task).toContain('Record how the call went');
  });

  it('waits while the call is still to be made: nothing else reaches the debtor', () => {
    const snapshot = debtor([{ dueDate: day(-25) }], {
      contacts: [
        contact('email', 'reminder', daysAgo(24)),
        contact('call', 'call', daysAgo(15), { open: true }),
      ],
    });
    const result = plan(snapshot, policy, tuesdayMorning);
    expect(result.actions).toEqual([]);
    expect(result.notes).toContain(
      'a call is still to be made: nothing more until a person records how it went',
    );
  });

  it('counts a call made toward the contact cap, then plans the letter', () => {
    const madeTwoDaysAgo = debtor([{ dueDate: day(-25) }], {
      contacts: [contact('email', 'reminder', daysAgo(24)), contact('call', 'call', daysAgo(2))],
    });
    const held = plan(madeTwoDaysAgo, policy, tuesdayMorning);
    expect(held.actions).toEqual([]);
    expect(held.notes.some((note) => note.startsWith('contact cap'))).toBe(true);

    const madeEightDaysAgo = debtor([{ dueDate: day(-25) }], {
      contacts: [contact('email', 'reminder', daysAgo(24)), contact('call', 'call', daysAgo(8))],
    });
    const [letter] = plan(madeEightDaysAgo, policy, tuesdayMorning).actions;
    expect(letter).toMatchObject({ kind: 'task', channel: 'letter', stepKey: 'demand-letter' });
    if (letter?.kind !== 'task') throw new Error('not a task');
    expect(letter.task).toContain('Post the Letter of demand to Cool Cars');
  });

  it('holds the next email for the cap after a letter posted, whatever the channel', () => {
    const withEmailAfter: Policy = {
      ...policy,
      steps: [...policy.steps, step('last-email', 30, 'email', 'final')],
    };
    const snapshot = debtor([{ dueDate: day(-31) }], {
      contacts: [
        contact('email', 'reminder', daysAgo(30)),
        contact('call', 'call', daysAgo(20)),
        contact('letter', 'demand-letter', daysAgo(3)),
      ],
    });
    const result = plan(snapshot, withEmailAfter, tuesdayMorning);
    expect(result.actions.filter((action) => action.kind === 'email')).toEqual([]);
    expect(result.notes.some((note) => note.startsWith('contact cap'))).toBe(true);
  });

  it('still calls a debtor who opted out of emails, but never one a person set to do-not-contact', () => {
    const history = { contacts: [contact('email', 'reminder', daysAgo(11))], optedOut: true };
    const optedOut = debtor([{ dueDate: day(-12) }], history);
    expect(plan(optedOut, policy, tuesdayMorning).actions).toMatchObject([{ channel: 'call' }]);
    const doNotContact = debtor([{ dueDate: day(-12) }], history, { overrides: { doNotContact: true } });
    expect(plan(doNotContact, policy, tuesdayMorning).actions).toEqual([]);
  });

  it('moves past a call a person chose not to make, without counting it as a contact', () => {
    const snapshot = debtor([{ dueDate: day(-21) }], {
      contacts: [
        contact('email', 'reminder', daysAgo(20)),
        contact('call', 'call', daysAgo(1), { dismissed: true }),
      ],
    });
    // The reminder went 20 days ago and the call never happened: the letter is due and the cap is over.
    expect(plan(snapshot, policy, tuesdayMorning).actions).toMatchObject([{ channel: 'letter' }]);
  });

  it('flags after the final letter was posted and its grace ran out, not before it was posted', () => {
    const posted = (at: string, rest: Partial<PastContact> = {}) =>
      debtor([{ dueDate: day(-45) }], {
        contacts: [
          contact('email', 'reminder', daysAgo(44)),
          contact('call', 'call', daysAgo(35)),
          contact('letter', 'demand-letter', at, rest),
        ],
      });
    const flagged = plan(posted(daysAgo(20)), policy, tuesdayMorning);
    expect(flagged.actions).toMatchObject([{ kind: 'flag' }]);
    const notPosted = plan(posted(daysAgo(20), { open: true }), policy, tuesdayMorning);
    expect(notPosted.actions.filter((action) => action.kind === 'flag')).toEqual([]);
  });
});
