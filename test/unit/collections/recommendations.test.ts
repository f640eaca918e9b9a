import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FlagChoice, recommendedChoiceUnder } from '../../../src/collections/choice-valuation.js';
import { shareOfMinor } from '../../../src/collections/rational.js';
import { flagArithmetic, recommend } from '../../../src/collections/recommendations.js';
import {
  defaultRecoveryAssumptions,
  type RecoveryAssumptions,
  recoveryAssumptions,
} from '../../../src/collections/recovery-assumptions.js';
import type { Money } from '../../../src/domain/money.js';
import { defaultPolicy, defaultRecoverySettings, type RecoverySettings } from '../../../src/domain/policy.js';

const gbp = (amountMinor: number): Money => ({ amountMinor, currency: 'GBP' });
const thousandPounds = gbp(100_000);

/** The expected value of each choice, in pence, keyed by choice. */
function expectedByChoice(
  daysOverdue: number,
  balance = thousandPounds,
  assumptions?: Partial<RecoveryAssumptions>,
) {
  const result = recommend({ balance, daysOverdue, assumptions });
  return {
    recommended: result.recommended,
    order: result.options.map((option) => option.choice),
    expected: Object.fromEntries(
      result.options.map((option) => [option.choice, option.expected.amountMinor]),
    ),
  };
}

// Hand-computed, for a £1,000 balance with the default assumptions (curve 0→94%, 30→90%, 90→70%,
// 180→50%, 365→25%, 730→10%; agency ×1.3 capped at 95%, 30% fee; settlement 55% × 75%; chasing £25):
//   settlement at any age: 0.55 × 100000 × 0.75 = 41250
describe('recommend at several ages (defaults, £1,000)', () => {
  it('just overdue: keep chasing', () => {
    // keep:   p(30) = 0.90 → 90000 − 2500 = 87500
    // agency: p(0) = 0.94 × 1.3 = 1.222 → capped 0.95 → 0.95 × 70000 = 66500
    expect(expectedByChoice(0)).toEqual({
      recommended: 'keep_chasing',
      order: ['keep_chasing', 'agency_referral', 'settlement_offer', 'write_off'],
      expected: { keep_chasing: 87_500, agency_referral: 66_500, settlement_offer: 41_250, write_off: 0 },
    });
  });

  it('60 days: keep chasing, narrowly', () => {
    // keep:   p(90) = 0.70 → 70000 − 2500 = 67500
    // agency: p(60) = 0.90 − 0.20 × 30/60 = 0.80; × 1.3 = 1.04 → capped 0.95 → 66500
    expect(expectedByChoice(60).expected).toEqual({
      keep_chasing: 67_500,
      agency_referral: 66_500,
      settlement_offer: 41_250,
      write_off: 0,
    });
    expect(expectedByChoice(60).recommended).toBe('keep_chasing');
  });

  it('90 days: refer to an agency, with its arithmetic in the summary', () => {
    // keep:   p(120) = 0.70 − 0.20 × 30/90 = 0.63333… → 63333.33 − 2500 = 60833.33 → 60833
    // agency: p(90) = 0.70 × 1.3 = 0.91 → 0.91 × 70000 = 63700
    const result = recommend({ balance: thousandPounds, daysOverdue: 90 });
    expect(result.recommended).toBe('agency_referral');
    expect(result.options.map((option) => [option.choice, option.expected.amountMinor])).toEqual([
      ['agency_referral', 63_700],
      ['keep_chasing', 60_833],
      ['settlement_offer', 41_250],
      ['write_off', 0],
    ]);
    expect(result.summary).toBe(
      'Refer to an agency: expected £637 (91% × £700 after a 30% fee) vs £608.33 by chasing another month, £412.50 by a settlement offer, £0 by writing off.',
    );
    const byChoice = Object.fromEntries(result.options.map((option) => [option.choice, option]));
    // costs: chasing 2500; settlement 0.55 × 25000 forgiven = 13750; agency 0.91 × 30000 fee = 27300; write-off 100000
    expect(byChoice['keep_chasing']).toMatchObject({ cost: gbp(2_500) });
    expect(byChoice['keep_chasing']?.explanation).toBe(
      'Keep chasing for another month: 63.33% likely to be collected by chasing at that age (£633.33 expected of £1,000), less £25 of staff time.',
    );
    expect(byChoice['keep_chasing']?.probability).toBeCloseTo(0.633333, 6);
    expect(byChoice['settlement_offer']).toMatchObject({ cost: gbp(13_750), probability: 0.55 });
    expect(byChoice['agency_referral']).toMatchObject({ cost: gbp(27_300), probability: 0.91 });
    expect(byChoice['write_off']).toMatchObject({ cost: gbp(100_000), probability: 0, expected: gbp(0) });
    expect(byChoice['agency_referral']?.explanation).toBe(
      'Refer to an agency: 91% likely to collect, leaving £700 of £1,000 after its 30% fee, £637 expected.',
    );
  });

  it('180 days: agency', () => {
    // keep:   p(210) = 0.50 − 0.25 × 30/185 = 0.459459… → 45945.95 − 2500 = 43445.95 → 43446
    // agency: 0.50 × 1.3 = 0.65 × 70000 = 45500
    expect(expectedByChoice(180)).toMatchObject({
      recommended: 'agency_referral',
      expected: { keep_chasing: 43_446, agency_referral: 45_500, settlement_offer: 41_250, write_off: 0 },
    });
  });

  it('a year: offer a settlement', () => {
    // keep:   p(395) = 0.25 − 0.15 × 30/365 = 0.237671… → 23767.12 − 2500 = 21267.12 → 21267
    // agency: 0.25 × 1.3 = 0.325 × 70000 = 22750
    const result = recommend({ balance: thousandPounds, daysOverdue: 365 });
    expect(result.recommended).toBe('settlement_offer');
    expect(result.options.map((option) => option.expected.amountMinor)).toEqual([41_250, 22_750, 21_267, 0]);
    expect(result.summary).toBe(
      'Offer a settlement: expected £412.50 (55% × £750 after a 25% discount) vs £227.50 by an agency referral, £212.67 by chasing another month, £0 by writing off.',
    );
  });

  it('beyond the last point the curve is flat', () => {
    // keep: 0.10 × 100000 − 2500 = 7500; agency: 0.13 × 70000 = 9100
    expect(expectedByChoice(1_000).expected).toEqual(expectedByChoice(5_000).expected);
    expect(expectedByChoice(1_000).expected).toMatchObject({ keep_chasing: 7_500, agency_referral: 9_100 });
  });

  it('formats other currencies with their own minor units', () => {
    const result = recommend({ balance: { amountMinor: 100_000, currency: 'JPY' }, daysOverdue: 90 });
    expect(result.summary).toContain('expected ¥63,700 (91% × ¥70,000 after a 30% fee)');
  });
});

describe('tie-breaking and write-off', () => {
  const flat = (probability: number): Partial<RecoveryAssumptions> => ({
    recoveryByAge: [{ daysOverdue: 0, probability }],
    agencyRecoveryFactor: 1,
    agencyFeeShare: 0,
    settlementAcceptance: 0.5,
    settlementDiscount: 0,
  });

  it('prefers the gentler choice when the expected values are equal', () => {
    // every choice: 0.5 × 1000 = 500 (chasing costs nothing)
    expect(expectedByChoice(10, gbp(1_000), { ...flat(0.5), chasingCostPerMonthMinor: 0 })).toEqual({
      recommended: 'keep_chasing',
      order: ['keep_chasing', 'settlement_offer', 'agency_referral', 'write_off'],
      expected: { keep_chasing: 500, settlement_offer: 500, agency_referral: 500, write_off: 0 },
    });
    // chasing now costs 100: settlement and agency tie at 500 → settlement first
    expect(expectedByChoice(10, gbp(1_000), { ...flat(0.5), chasingCostPerMonthMinor: 100 }).order).toEqual([
      'settlement_offer',
      'agency_referral',
      'keep_chasing',
      'write_off',
    ]);
  });

  it('recommends a write-off when nothing else is expected to bring anything in', () => {
    const result = recommend({
      balance: thousandPounds,
      daysOverdue: 400,
      assumptions: { ...flat(0), settlementAcceptance: 0 },
    });
    expect(result.recommended).toBe('write_off');
    expect(result.options.map((option) => [option.choice, option.expected.amountMinor])).toEqual([
      ['write_off', 0],
      ['settlement_offer', 0],
      ['agency_referral', 0],
      ['keep_chasing', -2_500],
    ]);
    expect(result.summary).toBe(
      'Write off £1,000: no other choice is expected to bring anything in (£0 by a settlement offer, £0 by an agency referral, -£25 by chasing another month).',
    );
  });

  it('does not write off while anything is expected, however small', () => {
    // agency: 0.01 × 1 × 100000 = 1000 > 0; settlement 0 ties write-off 0 (gentler first); keep 1000 − 2500
    const result = recommend({
      balance: thousandPounds,
      daysOverdue: 400,
      assumptions: { ...flat(0.01), settlementAcceptance: 0 },
    });
    expect(result.recommended).toBe('agency_referral');
    expect(result.options.map((option) => [option.choice, option.expected.amountMinor])).toEqual([
      ['agency_referral', 1_000],
      ['settlement_offer', 0],
      ['write_off', 0],
      ['keep_chasing', -1_500],
    ]);
  });

  it('has nothing to recover on a zero or credit balance', () => {
    for (const balance of [0, -5_000]) {
      const result = recommend({ balance: gbp(balance), daysOverdue: 90 });
      expect(result.recommended).toBe('write_off');
      expect(result.summary).toBe(
        'Nothing is owed on this invoice, so there is nothing to recover: close the flag.',
      );
      expect(result.options.every((option) => option.expected.amountMinor <= 0)).toBe(true);
    }
  });

  it('rounds each option once, half up', () => {
    // settlement: 0.5 × 1 × 1 = 0.5 → 1; 0.5 × 3 = 1.5 → 2; agency 0.5 × 0.5 = 0.25 → 0
    const settle = (balance: number) =>
      expectedByChoice(0, gbp(balance), { ...flat(0.5), agencyFeeShare: 0.5 }).expected['settlement_offer'];
    expect(settle(1)).toBe(1);
    expect(settle(3)).toBe(2);
    expect(
      expectedByChoice(0, gbp(1), { ...flat(0.5), agencyFeeShare: 0.5 }).expected['agency_referral'],
    ).toBe(0);
  });
});

describe('assumptions', () => {
  it('overrides only what is given', () => {
    // 90 days with a 50% agency fee: agency 0.91 × 50000 = 45500; keep stays 60833 → keep chasing
    expect(expectedByChoice(90, thousandPounds, { agencyFeeShare: 0.5 })).toMatchObject({
      recommended: 'keep_chasing',
      expected: { keep_chasing: 60_833, agency_referral: 45_500, settlement_offer: 41_250 },
    });
    // an explicit undefined keeps the default
    expect(
      expectedByChoice(90, thousandPounds, { agencyFeeShare: undefined }).expected['agency_referral'],
    ).toBe(63_700);
    // a cheaper month of chasing: 63333 − 500 = 62833
    expect(
      expectedByChoice(90, thousandPounds, { chasingCostPerMonthMinor: 500 }).expected['keep_chasing'],
    ).toBe(62_833);
    expect(defaultRecoveryAssumptions.agencyFeeShare).toBe(0.3);
  });

  it('sorts a custom curve and interpolates it linearly', () => {
    // points given out of order: 100→0.2, 0→0.6; p(40) = 0.6 − 0.4 × 0.4 = 0.44; agency 0.44 × 70000 = 30800
    const assumptions = {
      recoveryByAge: [
        { daysOverdue: 100, probability: 0.2 },
        { daysOverdue: 0, probability: 0.6 },
      ],
      agencyRecoveryFactor: 1,
    };
    expect(expectedByChoice(40, thousandPounds, assumptions).expected['agency_referral']).toBe(30_800);
    // keep: p(70) = 0.6 − 0.4 × 0.7 = 0.32 → 32000 − 2500 = 29500
    expect(expectedByChoice(40, thousandPounds, assumptions).expected['keep_chasing']).toBe(29_500);
  });

  it('rejects impossible settings', () => {
    const bad: Array<Partial<RecoveryAssumptions>> = [
      { agencyFeeShare: 1.5 },
      { settlementAcceptance: -0.1 },
      { agencyRecoveryFactor: Number.NaN },
      { chasingCostPerMonthMinor: 12.5 },
      { recoveryByAge: [] },
      { recoveryByAge: [{ daysOverdue: 0, probability: 1.2 }] },
      {
        recoveryByAge: [
          { daysOverdue: 30, probability: 0.5 },
          { daysOverdue: 30, probability: 0.4 },
        ],
      },
    ];
    for (const assumptions of bad) {
      expect(() => recommend({ balance: thousandPounds, daysOverdue: 30, assumptions })).toThrow(RangeError);
    }
    expect(() => recommend({ balance: gbp(1.5), daysOverdue: 30 })).toThrow(RangeError);
  });
});

describe("the organisation's recovery settings", () => {
  const settings = (changes: Partial<RecoverySettings>): RecoverySettings => ({
    ...defaultRecoverySettings,
    ...changes,
  });

  it('are the defaults of the arithmetic, beside the documented curve', () => {
    expect(defaultPolicy.recovery).toEqual(defaultRecoverySettings);
    expect(defaultRecoveryAssumptions).toEqual({
      recoveryByAge: defaultRecoveryAssumptions.recoveryByAge,
      ...recoveryAssumptions(defaultRecoverySettings),
    });
    expect(defaultRecoveryAssumptions.recoveryByAge).toHaveLength(6);
  });

  it('change the arithmetic when a whole policy `recovery` is passed (its limit is not an assumption)', () => {
    // 90 days, £1,000: agency 0.91 × (1 − fee); settlement acceptance × (1 − discount); keep 60833
    const defaults = expectedByChoice(90, thousandPounds, defaultRecoverySettings);
    expect(defaults).toMatchObject({
      recommended: 'agency_referral',
      expected: { agency_referral: 63_700, settlement_offer: 41_250, keep_chasing: 60_833 },
    });
    // a 50% agency fee: 0.91 × 50000 = 45500 → keep chasing
    expect(expectedByChoice(90, thousandPounds, settings({ agencyFeeShare: 0.5 }))).toMatchObject({
      recommended: 'keep_chasing',
      expected: { agency_referral: 45_500, keep_chasing: 60_833 },
    });
    // a 10% discount taken 90% of the time: 0.9 × 90000 = 81000 → settle
    expect(
      expectedByChoice(
        90,
        thousandPounds,
        settings({ settlementDiscount: 0.1, settlementAcceptance: 0.9, maxSettlementDiscount: 0.1 }),
      ),
    ).toMatchObject({ recommended: 'settlement_offer', expected: { settlement_offer: 81_000 } });
    // an agency half as good again: min(0.95, 0.7 × 1.5) = 0.95 → 66500; chasing free: 63333
    expect(
      expectedByChoice(
        90,
        thousandPounds,
        settings({ agencyRecoveryFactor: 1.5, chasingCostPerMonthMinor: 0 }),
      ).expected,
    ).toMatchObject({ agency_referral: 66_500, keep_chasing: 63_333 });
  });

  it("recompute a stored flag's arithmetic and choice under the settings in force", () => {
    const stored = { recommended: 'agency_referral', balance: thousandPounds, otherCurrencies: [] };
    const before = flagArithmetic(stored, 90) as { recommended: FlagChoice; summary: string };
    expect(before.recommended).toBe('agency_referral');
    expect(before.summary).toContain('after a 30% fee');
    const after = flagArithmetic(stored, 90, settings({ agencyFeeShare: 0.5 })) as {
      recommended: FlagChoice;
      options: Array<{ choice: FlagChoice; explanation: string }>;
    };
    expect(after.recommended).toBe('keep_chasing');
    expect(after.options.find((option) => option.choice === 'agency_referral')?.explanation).toContain(
      'its 50% fee',
    );
    // a flag made by hand, with no balance, is left as it is
    expect(flagArithmetic({ recommended: 'write_off' }, 90, settings({}))).toEqual({
      recommended: 'write_off',
    });
  });

  it('give the forgiven part of a settlement exactly, rounded half up once', () => {
    expect(shareOfMinor(100_000, 0.25)).toBe(25_000);
    expect(shareOfMinor(100_001, 0.1)).toBe(10_000); // 10000.1
    expect(shareOfMinor(5, 0.1)).toBe(1); // 0.5 → 1
    expect(shareOfMinor(333, 0.3)).toBe(100); // 99.9
    expect(shareOfMinor(1_000, 0.123)).toBe(123); // read as 123/1000, not the nearest float
    expect(shareOfMinor(77, 0)).toBe(0);
    expect(() => shareOfMinor(100, 1.5)).toThrow(RangeError);
    expect(() => shareOfMinor(10.5, 0.1)).toThrow(RangeError);
  });
});

describe('properties', () => {
  const gentleness: FlagChoice[] = ['keep_chasing', 'settlement_offer', 'agency_referral', 'write_off'];
  const share = (min: number, max: number) => fc.double({ min, max, noNaN: true });
  const assumptions: fc.Arbitrary<Partial<RecoveryAssumptions>> = fc.record(
    {
      recoveryByAge: fc.uniqueArray(
        fc.record({ daysOverdue: fc.integer({ min: 0, max: 1_000 }), probability: share(0, 1) }),
        { minLength: 1, maxLength: 6, selector: (point) => point.daysOverdue },
      ),
      agencyFeeShare: share(0.25, 0.5),
      agencyRecoveryFactor: share(0, 2),
      settlementDiscount: share(0, 1),
      settlementAcceptance: share(0, 1),
      chasingCostPerMonthMinor: fc.integer({ min: 0, max: 100_000 }),
    },
    { requiredKeys: [] },
  );
  const input = fc.record({
    balance: fc.integer({ min: 0, max: 1_000_000_000 }).map(gbp),
    daysOverdue: fc.integer({ min: -30, max: 2_000 }),
    assumptions,
  });

  it('recommends the highest expected value, or a write-off only when nothing else is above zero', () => {
    fc.assert(
      fc.property(input, (flag) => {
        const result = recommend(flag);
        const values = result.options.map((option) => option.expected.amountMinor);
        const best = result.options[0];
        expect(best?.choice).toBe(result.recommended);
        expect(best?.expected.amountMinor).toBe(Math.max(...values));
        const others = result.options.filter((option) => option.choice !== 'write_off');
        const nothingElse = others.every((option) => option.expected.amountMinor <= 0);
        expect(result.recommended === 'write_off').toBe(nothingElse);
        if (result.recommended !== 'write_off') {
          // ties among the best go to the gentlest
          const tied = result.options.filter(
            (option) => option.expected.amountMinor === best?.expected.amountMinor,
          );
          const gentlest = Math.min(...tied.map((option) => gentleness.indexOf(option.choice)));
          expect(result.recommended).toBe(gentleness[gentlest]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('makes the same choice without its explanations (what a new flag stores)', () => {
    fc.assert(
      fc.property(input, (flag) => {
        const choose = recommendedChoiceUnder(flag.assumptions);
        expect(choose(flag.balance, flag.daysOverdue)).toBe(recommend(flag).recommended);
      }),
      { numRuns: 500 },
    );
  });

  it('lists all four choices once, best first, in whole minor units', () => {
    fc.assert(
      fc.property(input, (flag) => {
        const { options } = recommend(flag);
        expect(options.map((option) => option.choice).sort()).toEqual([...gentleness].sort());
        const ranked = options[0]?.choice === 'write_off' ? options.slice(1) : options;
        for (let i = 1; i < ranked.length; i++) {
          expect(ranked[i - 1]?.expected.amountMinor ?? 0).toBeGreaterThanOrEqual(
            ranked[i]?.expected.amountMinor ?? 0,
          );
        }
        for (const option of options) {
          expect(Number.isSafeInteger(option.expected.amountMinor)).toBe(true);
          expect(Number.isSafeInteger(option.cost.amountMinor)).toBe(true);
          expect(option.cost.amountMinor).toBeGreaterThanOrEqual(0);
          expect(option.probability).toBeGreaterThanOrEqual(0);
          expect(option.probability).toBeLessThanOrEqual(1);
          expect(option.explanation.length).toBeGreaterThan(0);
        }
        const agency = options.find((option) => option.choice === 'agency_referral');
        expect(agency?.probability).toBeLessThanOrEqual(0.95);
      }),
      { numRuns: 500 },
    );
  });
});
