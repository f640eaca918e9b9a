import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/collections/plan.js';
import { defaultPolicy, type Policy, type Step } from '../../../src/domain/policy.js';
import { day, debtor, tuesdayMorning } from './debtor.js';

/** A time on `days` from Tuesday 2026-11-24, 10:00 in London. */
const on = (days: number) => new Date(tuesdayMorning.getTime() + days * 86_400_000);
const headsUps = (result: ReturnType<typeof plan>) =>
  result.actions
    .filter((action) => action.kind === 'email' && action.rung === null)
    .map((action) => action.stepKey);
const sentHeadsUp = (at: string, invoiceId: string, stepKey = 'heads-up') => ({
  at: `${at}T10:00:00.000Z`,
  kind: 'email' as const,
  steps: [{ invoiceId, stepKey }],
});

describe('steps before the due date: on their day, skipped once it has passed, never late', () => {
  it('goes on its day (three days before the due date)', () => {
    const result = plan(debtor([{ dueDate: day(3) }]), defaultPolicy, on(0));
    expect(headsUps(result)).toEqual(['heads-up']);
    expect(result.skipped).toBeUndefined();
  });

  it('is skipped, with the reason, for an invoice that came in after its day, and never goes late', () => {
    // Due Thursday: the heads-up was for Monday; the invoice first shows up on Tuesday.
    const snapshot = debtor([{ dueDate: day(2) }]);
    for (const offset of [0, 1, 2]) {
      const result = plan(snapshot, defaultPolicy, on(offset));
      expect(headsUps(result), `day ${offset}`).toEqual([]);
      expect(result.skipped, `day ${offset}`).toEqual([
        {
          invoiceId: 'inv-1',
          stepKey: 'heads-up',
          key: `skip:inv-1:heads-up:${day(2)}`,
          why: expect.stringContaining(`its day was ${day(-1)} and had passed, so it is not sent late`),
        },
      ]);
    }
    // The day after the due date the journey moves on to its first reminder, as usual.
    expect(plan(snapshot, defaultPolicy, on(3)).actions.map((action) => action.stepKey)).toEqual([
      'reminder',
    ]);
  });

  it('after a schedule change that moves the heads-up’s day into the past, is skipped, not sent the day after the due date', () => {
    // The heads-up moved from 3 days before to 5 days before: for an invoice due in 2 days, its day is gone.
    const steps = defaultPolicy.steps.map((step) =>
      step.key === 'heads-up' ? { ...step, offsetDays: -5 } : step,
    );
    const policy: Policy = { ...defaultPolicy, steps };
    const snapshot = debtor([{ dueDate: day(2) }]);
    for (const offset of [0, 1, 2, 3])
      expect(headsUps(plan(snapshot, policy, on(offset))), `day ${offset}`).toEqual([]);
    expect(plan(snapshot, policy, on(0)).skipped?.map((entry) => entry.stepKey)).toEqual(['heads-up']);
  });

  it('waits over a weekend: a heads-up whose day is a Saturday goes on Monday, and is skipped on Tuesday', () => {
    // Due Tuesday 1 December: three days before is Saturday 28 November.
    const snapshot = debtor([{ dueDate: day(7) }]);
    expect(headsUps(plan(snapshot, defaultPolicy, on(4)))).toEqual([]); // Saturday: not a sending day
    expect(headsUps(plan(snapshot, defaultPolicy, on(6)))).toEqual(['heads-up']); // Monday
    const tuesday = plan(snapshot, defaultPolicy, on(7));
    expect(headsUps(tuesday)).toEqual([]);
    expect(tuesday.skipped).toHaveLength(1);
  });

  it('with two heads-ups, a late invoice gets the later one, and a sent one is not skipped', () => {
    const early: Step = {
      ...(defaultPolicy.steps[0] as Step),
      key: 'week-before',
      name: 'A week before',
      offsetDays: -7,
    };
    const policy: Policy = { ...defaultPolicy, steps: [early, ...defaultPolicy.steps] };
    // Due in 3 days: "a week before" has had its time (the later heads-up's day has come): the later one goes.
    const late = plan(debtor([{ dueDate: day(3) }]), policy, on(0));
    expect(headsUps(late)).toEqual(['heads-up']);
    expect(late.skipped).toBeUndefined();
    // Sent a week before: nothing more, nothing skipped.
    const done = plan(
      debtor([{ dueDate: day(3) }], { contacts: [sentHeadsUp(day(-4), 'inv-1', 'week-before')] }),
      policy,
      on(0),
    );
    expect(headsUps(done)).toEqual([]);
    expect(done.skipped).toBeUndefined();
  });

  it('an "on the due date" step goes that day only', () => {
    const steps = defaultPolicy.steps.map((step) =>
      step.key === 'heads-up' ? { ...step, offsetDays: 0 } : step,
    );
    const policy: Policy = { ...defaultPolicy, steps };
    expect(headsUps(plan(debtor([{ dueDate: day(0) }]), policy, on(0)))).toEqual(['heads-up']);
    expect(headsUps(plan(debtor([{ dueDate: day(-1) }]), policy, on(0)))).toEqual([]);
  });
});
