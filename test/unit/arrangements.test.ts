import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArrangementInputError,
  checkPromisedDate,
  planProgress,
  proposePlan,
} from '../../src/arrangements/proposals.js';
import { addMonths } from '../../src/domain/local-time.js';
import { defaultArrangementLimits } from '../../src/domain/policy.js';
import { portalLinks } from '../../src/domain/portal-links.js';

const limits = defaultArrangementLimits;
const today = '2026-11-23';

describe('payment plan proposals', () => {
  it('splits the balance into monthly installments that add up to it exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 10_000_000 }),
        fc.integer({ min: 2, max: 24 }),
        (balance, count) => {
          const { installments } = proposePlan({
            balanceMinor: balance,
            count,
            firstDate: '2026-12-01',
            today,
            limits,
          });
          expect(installments.reduce((sum, installment) => sum + installment.amountMinor, 0)).toBe(balance);
          const amounts = installments.map((installment) => installment.amountMinor);
          expect(Math.max(...amounts) - Math.min(...amounts)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('keeps the day of the month, or the month’s last day when it is shorter', () => {
    const { installments } = proposePlan({
      balanceMinor: 3_000,
      count: 3,
      firstDate: '2027-01-31',
      today: '2027-01-20',
      limits,
    });
    expect(installments.map((installment) => installment.dueDate)).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
    ]);
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
  });

  it('accepts a plan inside the limits, and says which limits a longer one is outside', () => {
    expect(
      proposePlan({ balanceMinor: 60_000, count: 6, firstDate: '2026-12-01', today, limits }).withinLimits,
    ).toBe(true);
    const long = proposePlan({ balanceMinor: 20_000, count: 12, firstDate: '2026-12-01', today, limits });
    expect(long.withinLimits).toBe(false);
    expect(long.reasons).toEqual([
      '12 payments is more than the 6 accepted at once',
      'each payment is smaller than the smallest accepted at once',
      'the plan runs 343 days, longer than the 186 accepted at once',
    ]);
  });

  it('refuses what cannot be a plan at all', () => {
    const bad = (input: Partial<Parameters<typeof proposePlan>[0]>) => () =>
      proposePlan({ balanceMinor: 60_000, count: 3, firstDate: '2026-12-01', today, limits, ...input });
    expect(bad({ balanceMinor: 0 })).toThrow(ArrangementInputError);
    expect(bad({ count: 1 })).toThrow(/between 2 and 24/);
    expect(bad({ firstDate: '2026-11-01' })).toThrow(/past/);
    expect(bad({ firstDate: '2027-01-30' })).toThrow(/within 31 days/);
    expect(bad({ firstDate: '2026-02-30' })).toThrow(/Choose the date/);
  });

  it('measures progress by what was paid against the installments in order', () => {
    const installments = [
      { dueDate: '2026-12-01', amountMinor: 400 },
      { dueDate: '2027-01-01', amountMinor: 300 },
    ];
    expect(planProgress(installments, 0)).toMatchObject({
      next: { number: 1, dueDate: '2026-12-01' },
      shortMinor: 400,
    });
    expect(planProgress(installments, 450)).toMatchObject({ next: { number: 2, of: 2 }, shortMinor: 250 });
    expect(planProgress(installments, 700)).toMatchObject({ complete: true, next: null });
  });
});

describe('promised dates', () => {
  it('takes a date within the limit and refuses one beyond it or in the past', () => {
    expect(checkPromisedDate('2026-12-07', today, limits)).toBe('2026-12-07');
    expect(() => checkPromisedDate('2026-12-08', today, limits)).toThrow(/within 14 days \(by 2026-12-07\)/);
    expect(() => checkPromisedDate('2026-11-22', today, limits)).toThrow(/past/);
  });
});

describe('portal links', () => {
  const links = portalLinks('a-server-secret-of-at-least-32-characters', 'https://app.dunwell.example/');
  const target = {
    orgId: '11111111-1111-4111-8111-111111111111',
    customerId: '22222222-2222-4222-8222-222222222222',
  };
  const now = new Date('2026-11-23T10:00:00Z');

  it('opens the debtor it was made for until it expires, then says whose it was', async () => {
    const url = links.urlFor(target, new Date('2026-12-23T10:00:00Z'));
    expect(url).toMatch(/^https:\/\/app\.dunwell\.example\/portal\/[\w-]+\.[\w-]+\.[\w-]+$/);
    const token = url.split('/').at(-1) ?? '';
    expect(await links.check(token, now)).toMatchObject({ ok: true, ...target });
    expect(await links.check(token, new Date('2026-12-24T10:00:00Z'))).toEqual({
      ok: false,
      reason: 'expired',
      ...target,
    });
  });

  it('refuses a link signed with another key, or altered in any character', async () => {
    const token = links.tokenFor(target, new Date('2026-12-23T10:00:00Z'));
    const other = portalLinks('another-server-secret-of-32-characters!!', 'https://x.example');
    expect(await other.check(token, now)).toEqual({ ok: false, reason: 'invalid' });
    for (const index of [5, 40, token.length - 3]) {
      const altered = `${token.slice(0, index)}${token[index] === 'A' ? 'B' : 'A'}${token.slice(index + 1)}`;
      expect(await links.check(altered, now)).toEqual({ ok: false, reason: 'invalid' });
    }
  });
});
