import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/collections/plan.js';
import { planClock } from '../../../src/collections/plan-clock.js';
import type { DebtorSnapshot, PastContact } from '../../../src/collections/snapshot.js';
import { defaultPolicy } from '../../../src/domain/policy.js';
import { day, debtor } from './debtor.js';

const hourMs = 3_600_000;
const base = Date.parse('2026-11-24T00:00:00Z');
const zones = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland', 'Pacific/Honolulu'];
const ladder = ['heads-up', 'reminder', 'firm', 'firm-fees', 'demand', 'final'];

const debtorArbitrary = fc.record({
  dueDays: fc.array(fc.integer({ min: -80, max: 10 }), { minLength: 1, maxLength: 3 }),
  zone: fc.option(fc.constantFrom(...zones), { nil: null }),
  contacts: fc.array(
    fc.record({
      hoursAgo: fc.integer({ min: 1, max: 24 * 40 }),
      step: fc.constantFrom(...ladder),
      unsent: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
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
          const contacts: PastContact[] = shape.contacts.map((contact) => ({
            at: new Date(now.getTime() - contact.hoursAgo * hourMs).toISOString(),
            kind: 'email',
            ...(contact.unsent ? { unsent: true } : {}),
            steps: [{ invoiceId: 'inv-1', stepKey: contact.step }],
          }));
          const snapshot = debtor(
            shape.dueDays.map((offset) => ({ dueDate: day(offset) })),
            { contacts },
            { debtorTimeZone: shape.zone },
          );
          const later = new Date(base + second * 60_000);
          if (planClock(snapshot, defaultPolicy, now) !== planClock(snapshot, defaultPolicy, later)) return;
          sameKey += 1;
          expect(plan(snapshot, defaultPolicy, later)).toEqual(plan(snapshot, defaultPolicy, now));
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
