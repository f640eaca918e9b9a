import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/collections/plan.js';
import { planClock } from '../../../src/collections/plan-clock.js';
import type { DebtorSnapshot, PastContact } from '../../../src/collections/snapshot.js';
import { defaultPolicy, type Policy } from '../../../src/domain/policy.js';
import { day, debtor } from './debtor.js';

const hourMs = 3_600_000;
const base = Date.parse('2026-11-24T00:00:00Z');
const zones = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland', 'Pacific/Honolulu'];
const ladder = ['heads-up', 'reminder', 'firm', 'firm-fees', 'demand', 'final'];
/** The default schedule with its firm reminder a call and its demand a letter: every channel a rung. */
const withCallsAndLetters: Policy = {
  ...defaultPolicy,
  steps: defaultPolicy.steps.map((step) =>
    step.key === 'firm'
      ? { ...step, action: 'call' as const }
      : step.key === 'demand'
        ? { ...step, action: 'letter' as const }
        : step,
  ),
};

const debtorArbitrary = fc.record({
  dueDays: fc.array(fc.integer({ min: -80, max: 10 }), { minLength: 1, maxLength: 3 }),
  zone: fc.option(fc.constantFrom(...zones), { nil: null }),
  contacts: fc.array(
    fc.record({
      hoursAgo: fc.integer({ min: 1, max: 24 * 40 }),
      step: fc.constantFrom(...ladder),
      kind: fc.constantFrom('email' as const, 'call' as const, 'letter' as const),
      /** Sent or made; waiting (an email unsent, a call or letter open); a call or letter dismissed. */
      state: fc.constantFrom('done', 'waiting', 'dismissed'),
    }),
    { maxLength: 3 },
  ),
  channels: fc.boolean(),
});

describe('planClock: what the planner reads of the clock', () => {
  it('gives the same plan at any two instants with the same key', () => {
    let sameKey = 0;
    fc.assert(
      fc.property(
        debtorArbitrary,
        fc.integer({ min: 0, max: 72 * 60 }),
        fc.integer({ min: 0, max: 72 * 60 }),
        (shape, first, second) => {
          const now = new Date(base + first * 60_000);
          const policy = shape.channels ? withCallsAndLetters : defaultPolicy;
          const contacts: PastContact[] = shape.contacts.map((contact) => ({
            at: new Date(now.getTime() - contact.hoursAgo * hourMs).toISOString(),
            kind: contact.kind,
            ...(contact.state === 'waiting'
              ? contact.kind === 'email'
                ? { unsent: true }
                : { open: true }
              : {}),
            ...(contact.state === 'dismissed' && contact.kind !== 'email' ? { dismissed: true } : {}),
            steps: [{ invoiceId: 'inv-1', stepKey: contact.step }],
          }));
          const snapshot = debtor(
            shape.dueDays.map((offset) => ({ dueDate: day(offset) })),
            { contacts },
            { debtorTimeZone: shape.zone },
          );
          const later = new Date(base + second * 60_000);
          if (planClock(snapshot, policy, now) !== planClock(snapshot, policy, later)) return;
          sameKey += 1;
          expect(plan(snapshot, policy, later)).toEqual(plan(snapshot, policy, now));
        },
      ),
      { numRuns: 3000 },
    );
    expect(sameKey).toBeGreaterThan(100);
  });

  it('changes when the sending window opens, the day turns or the contact cap runs out', () => {
    const sentOn = (at: string) =>
      debtor([{ dueDate: day(-10) }], {
        contacts: [{ at, kind: 'email', steps: [{ invoiceId: 'inv-1', stepKey: 'reminder' }] }],
      });
    const capOver = sentOn('2026-11-10T10:30:00.000Z');
    const key = (snapshot: DebtorSnapshot, iso: string) => planClock(snapshot, defaultPolicy, new Date(iso));
    expect(key(capOver, '2026-11-24T08:07:00Z')).not.toBe(key(capOver, '2026-11-24T09:07:00Z'));
    expect(key(capOver, '2026-11-24T09:07:00Z')).toBe(key(capOver, '2026-11-24T10:07:00Z'));
    expect(key(capOver, '2026-11-24T23:07:00Z')).not.toBe(key(capOver, '2026-11-25T00:07:00Z'));
    // While the cap holds no email can go, so the window opening changes nothing; its end does.
    const capHolds = sentOn('2026-11-17T10:30:00.000Z');
    expect(key(capHolds, '2026-11-24T08:07:00Z')).toBe(key(capHolds, '2026-11-24T09:07:00Z'));
    expect(key(capHolds, '2026-11-24T10:07:00Z')).not.toBe(key(capHolds, '2026-11-24T11:07:00Z'));
  });

  it('counts a call made like an email sent: the end of its cap changes the key (a shrunk failure)', () => {
    const now = new Date(base + 3421 * 60_000);
    const snapshot = debtor([{ dueDate: day(0) }], {
      contacts: [
        {
          at: new Date(now.getTime() - 168 * hourMs).toISOString(),
          kind: 'call',
          steps: [{ invoiceId: 'inv-1', stepKey: 'heads-up' }],
        },
      ],
    });
    const minuteBefore = new Date(now.getTime() - 60_000);
    expect(planClock(snapshot, defaultPolicy, minuteBefore)).not.toBe(
      planClock(snapshot, defaultPolicy, now),
    );
    expect(plan(snapshot, defaultPolicy, minuteBefore)).not.toEqual(plan(snapshot, defaultPolicy, now));
  });

  it('ignores the hour while an email waits for approval', () => {
    const waiting = debtor([{ dueDate: day(-10) }], {
      contacts: [
        {
          at: '2026-11-20T10:30:00.000Z',
          kind: 'email',
          unsent: true,
          steps: [{ invoiceId: 'inv-1', stepKey: 'reminder' }],
        },
      ],
    });
    const key = (iso: string) => planClock(waiting, defaultPolicy, new Date(iso));
    expect(key('2026-11-24T08:07:00Z')).toBe(key('2026-11-24T09:07:00Z'));
    expect(key('2026-11-24T23:07:00Z')).not.toBe(key('2026-11-25T00:07:00Z'));
  });
});
