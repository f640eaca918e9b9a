import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type FeeInput,
  type LateFeeRule,
  quoteLateFees,
  ukCompensationMinor,
  ukReferenceRateDate,
} from '../../../src/collections/fees.js';
import type { Money } from '../../../src/domain/money.js';

const gbp = (amountMinor: number): Money => ({ amountMinor, currency: 'GBP' });
const eur = (amountMinor: number): Money => ({ amountMinor, currency: 'EUR' });

function ukInput(overrides: Partial<FeeInput> = {}): FeeInput {
  return {
    balance: gbp(100_000),
    total: gbp(100_000),
    dueDate: '2024-01-31',
    asOf: '2024-03-16',
    debtorIsBusiness: true,
    rule: { kind: 'uk-late-payment', referenceRatePercent: 0.5 },
    ...overrides,
  };
}

describe('UK Late Payment of Commercial Debts (Interest) Act 1998', () => {
  it('charges (reference + 8)% a year, per day over 365, from the day after the due date, plus £40', () => {
    // 31 Jan → 16 Mar 2024: 29 days to 29 Feb (leap year) + 16 = 45 days.
    // £300 × 8.5% × 45 / 365 = 30000p × 8.5 × 45 / 36500 = 314.38p → 314p.
    const quote = quoteLateFees(ukInput({ balance: gbp(30_000), total: gbp(30_000) }));
    expect(quote).toEqual({
      interest: gbp(314),
      compensation: gbp(4_000),
      total: gbp(4_314),
      days: 45,
      explanation:
        'Statutory interest of 8.5% a year (8% above the Bank of England base rate of 0.5%) for 45 days, £3.14, plus £40 fixed compensation.',
      applies: true,
    });
  });

  it('charges interest on the outstanding balance but picks the band by the debt (invoice total)', () => {
    // 31 Dec 2023 → 31 Mar 2024: 31 + 29 + 31 = 91 days at 13.25%.
    // 250000p × 13.25 × 91 / 36500 = 301437500 / 36500 = 8258.56p → 8259p; £5,000 debt → £70.
    const quote = quoteLateFees(
      ukInput({
        balance: gbp(250_000),
        total: gbp(500_000),
        dueDate: '2023-12-31',
        asOf: '2024-03-31',
        rule: { kind: 'uk-late-payment', referenceRatePercent: 5.25 },
      }),
    );
    expect(quote.days).toBe(91);
    expect(quote.interest).toEqual(gbp(8_259));
    expect(quote.compensation).toEqual(gbp(7_000));
    expect(quote.total).toEqual(gbp(15_259));
    expect(quote.explanation).toBe(
      'Statutory interest of 13.25% a year (8% above the Bank of England base rate of 5.25%) for 91 days, £82.59, plus £70 fixed compensation.',
    );
  });

  it.each([
    [1, 4_000],
    [99_999, 4_000], // £999.99
    [100_000, 7_000], // £1,000
    [999_999, 7_000], // £9,999.99
    [1_000_000, 10_000], // £10,000
    [50_000_000, 10_000],
  ])('fixed compensation for a debt of %i pence is %i pence', (totalMinor, compensation) => {
    expect(ukCompensationMinor(totalMinor)).toBe(compensation);
    const quote = quoteLateFees(ukInput({ balance: gbp(1), total: gbp(totalMinor) }));
    expect(quote.compensation).toEqual(gbp(compensation));
  });

  it('counts 29 February in a leap year and divides by 365 in every year', () => {
    const days = (dueDate: string, asOf: string) => quoteLateFees(ukInput({ dueDate, asOf })).days;
    expect(days('2024-02-28', '2024-03-01')).toBe(2);
    expect(days('2023-02-28', '2023-03-01')).toBe(1);
    expect(days('2000-02-28', '2000-03-01')).toBe(2); // 2000 is a leap year
    expect(days('2100-02-28', '2100-03-01')).toBe(1); // 2100 is not
    const rule: LateFeeRule = { kind: 'uk-late-payment', referenceRatePercent: 0 };
    // A whole leap year: 100000p × 8 × 366 / 36500 = 8021.92p → 8022p; a common year: exactly 8000p.
    const leap = quoteLateFees(ukInput({ rule, dueDate: '2024-01-01', asOf: '2025-01-01' }));
    expect([leap.days, leap.interest.amountMinor]).toEqual([366, 8_022]);
    const common = quoteLateFees(ukInput({ rule, dueDate: '2023-01-01', asOf: '2024-01-01' }));
    expect([common.days, common.interest.amountMinor]).toEqual([365, 8_000]);
  });

  it('rounds the interest once, half up', () => {
    const oneDayAtTen = (balance: number) =>
      quoteLateFees(
        ukInput({
          balance: gbp(balance),
          dueDate: '2024-05-01',
          asOf: '2024-05-02',
          rule: { kind: 'uk-late-payment', referenceRatePercent: 2 },
        }),
      ).interest.amountMinor;
    expect(oneDayAtTen(1_824)).toBe(0); // 1824 × 10 / 36500 = 0.4997
    expect(oneDayAtTen(1_825)).toBe(1); // exactly 0.5 → 1 (banker's would give 0)
    expect(oneDayAtTen(9_125)).toBe(3); // exactly 2.5 → 3 (banker's would give 2)
  });

  it('starts on the day after the due date', () => {
    const onDue = quoteLateFees(ukInput({ dueDate: '2024-05-01', asOf: '2024-05-01' }));
    expect(onDue).toMatchObject({ applies: false, reason: 'not yet overdue', total: gbp(0), days: 0 });
    const before = quoteLateFees(ukInput({ dueDate: '2024-05-01', asOf: '2024-04-20' }));
    expect(before).toMatchObject({ applies: false, reason: 'not yet overdue', days: 0 });
    const dayAfter = quoteLateFees(ukInput({ dueDate: '2024-05-01', asOf: '2024-05-02' }));
    // 100000p × 8.5 / 36500 = 23.29p → 23p
    expect(dayAfter).toMatchObject({ applies: true, days: 1, interest: gbp(23), total: gbp(7_023) });
    expect(dayAfter.explanation).toContain('for 1 day,');
  });

  it('refuses a consumer debtor and a currency other than GBP', () => {
    const consumer = quoteLateFees(ukInput({ debtorIsBusiness: false }));
    expect(consumer).toMatchObject({ applies: false, reason: 'not a business debtor', total: gbp(0) });
    expect(consumer.explanation).toBe('No late fee or interest is charged: not a business debtor.');
    const euros = quoteLateFees(ukInput({ balance: eur(100_000), total: eur(100_000) }));
    expect(euros).toMatchObject({ applies: false, reason: 'currency is not GBP', total: eur(0) });
  });

  it('names the base-rate date for the half-year in which interest starts', () => {
    expect(ukReferenceRateDate('2024-06-29')).toBe('2023-12-31'); // starts 30 June
    expect(ukReferenceRateDate('2024-06-30')).toBe('2024-06-30'); // starts 1 July
    expect(ukReferenceRateDate('2024-12-31')).toBe('2024-12-31'); // starts 1 January 2025
    expect(ukReferenceRateDate('2025-03-15')).toBe('2024-12-31');
  });
});

describe('EU Late Payment Directive 2011/7/EU', () => {
  const euInput = (overrides: Partial<FeeInput> = {}): FeeInput => ({
    balance: eur(500_000),
    total: eur(500_000),
    dueDate: '2025-03-31',
    asOf: '2025-05-15',
    debtorIsBusiness: true,
    rule: { kind: 'eu-late-payment', referenceRatePercent: 2.15 },
    ...overrides,
  });

  it('charges ECB rate + 8 points from the day after the due date, plus €40', () => {
    // 31 Mar → 15 May 2025: 30 + 15 = 45 days. 500000c × 10.15 × 45 / 36500 = 6256.85c → 6257c.
    expect(quoteLateFees(euInput())).toEqual({
      interest: eur(6_257),
      compensation: eur(4_000),
      total: eur(10_257),
      days: 45,
      explanation:
        'Statutory interest of 10.15% a year (8 points above the European Central Bank main refinancing rate of 2.15%) for 45 days, €62.57, plus €40 fixed compensation.',
      applies: true,
    });
  });

  it('takes more than 8 points when the member state sets more, never fewer', () => {
    // 500000c × 11.15 × 45 / 36500 = 6873.29c → 6873c
    const nine = quoteLateFees(
      euInput({ rule: { kind: 'eu-late-payment', referenceRatePercent: 2.15, extraPoints: 9 } }),
    );
    expect(nine.interest).toEqual(eur(6_873));
    expect(nine.compensation).toEqual(eur(4_000));
    expect(() =>
      quoteLateFees(
        euInput({ rule: { kind: 'eu-late-payment', referenceRatePercent: 2.15, extraPoints: 7 } }),
      ),
    ).toThrow(RangeError);
  });

  it('keeps €40 whatever the size of the debt', () => {
    expect(quoteLateFees(euInput({ total: eur(5_000_000) })).compensation).toEqual(eur(4_000));
  });

  it('refuses a consumer debtor and a currency other than EUR', () => {
    expect(quoteLateFees(euInput({ debtorIsBusiness: false }))).toMatchObject({
      applies: false,
      reason: 'not a business debtor',
    });
    expect(quoteLateFees(euInput({ balance: gbp(500_000), total: gbp(500_000) }))).toMatchObject({
      applies: false,
      reason: 'currency is not EUR',
      total: gbp(0),
    });
  });
});

describe('contractual late fees', () => {
  const flat: LateFeeRule = { kind: 'flat', amountMinor: 2_500, graceDays: 14 };

  it('charges a flat fee once, only after the grace period', () => {
    const base = { balance: gbp(50_000), total: gbp(50_000), dueDate: '2024-06-01', debtorIsBusiness: false };
    expect(quoteLateFees({ ...base, asOf: '2024-06-15', rule: flat })).toMatchObject({
      applies: false,
      reason: 'not yet overdue past the grace period',
      total: gbp(0),
      days: 14,
    });
    expect(quoteLateFees({ ...base, asOf: '2024-06-16', rule: flat })).toEqual({
      interest: gbp(0),
      compensation: gbp(2_500),
      total: gbp(2_500),
      days: 15,
      explanation: 'A late fee of £25, charged once because the invoice is more than 14 days overdue.',
      applies: true,
    });
    expect(quoteLateFees({ ...base, asOf: '2025-06-16', rule: flat }).total).toEqual(gbp(2_500));
  });

  it('charges a flat fee in any currency, with no grace period', () => {
    const quote = quoteLateFees({
      balance: { amountMinor: 10_000, currency: 'USD' },
      total: { amountMinor: 10_000, currency: 'USD' },
      dueDate: '2024-06-01',
      asOf: '2024-06-02',
      debtorIsBusiness: true,
      rule: { kind: 'flat', amountMinor: 1_550, graceDays: 0 },
    });
    expect(quote.total).toEqual({ amountMinor: 1_550, currency: 'USD' });
    expect(quote.explanation).toBe('A late fee of $15.50, charged once because the invoice is overdue.');
  });

  it('charges percentage interest for the days beyond the grace period only', () => {
    const rule: LateFeeRule = { kind: 'percentage', annualRatePercent: 12, graceDays: 7 };
    const base = {
      balance: gbp(100_000),
      total: gbp(100_000),
      dueDate: '2024-03-01',
      debtorIsBusiness: true,
      rule,
    };
    expect(quoteLateFees({ ...base, asOf: '2024-03-08' })).toMatchObject({
      applies: false,
      reason: 'not yet overdue past the grace period',
    });
    // First charged day: 100000p × 12 / 36500 = 32.88p → 33p
    expect(quoteLateFees({ ...base, asOf: '2024-03-09' })).toMatchObject({ days: 1, interest: gbp(33) });
    // 1 Mar → 7 Apr = 37 days overdue, 30 charged: 100000 × 12 × 30 / 36500 = 986.30p → 986p
    expect(quoteLateFees({ ...base, asOf: '2024-04-07' })).toEqual({
      interest: gbp(986),
      compensation: gbp(0),
      total: gbp(986),
      days: 30,
      explanation:
        'Late payment interest of 12% a year on £1,000 for 30 days after the 7-day grace period, £9.86.',
      applies: true,
    });
  });

  it('uses the currency’s own minor unit (JPY has none)', () => {
    const yen = (amountMinor: number): Money => ({ amountMinor, currency: 'JPY' });
    const quote = quoteLateFees({
      balance: yen(100_000),
      total: yen(100_000),
      dueDate: '2024-03-01',
      asOf: '2024-03-31',
      debtorIsBusiness: true,
      rule: { kind: 'percentage', annualRatePercent: 12, graceDays: 0 },
    });
    // ¥100,000 × 12% × 30 / 365 = ¥986.30 → ¥986
    expect(quote.total).toEqual(yen(986));
    expect(quote.explanation).toContain('on ¥100,000 for 30 days, ¥986.');
  });
});

describe('nothing to charge', () => {
  const rules: LateFeeRule[] = [
    { kind: 'flat', amountMinor: 2_500, graceDays: 0 },
    { kind: 'percentage', annualRatePercent: 8, graceDays: 0 },
    { kind: 'uk-late-payment', referenceRatePercent: 4 },
  ];

  it.each([0, -500])('charges nothing on a balance of %i', (balance) => {
    for (const rule of rules) {
      expect(quoteLateFees(ukInput({ balance: gbp(balance), rule }))).toMatchObject({
        applies: false,
        reason: 'nothing is owed on this invoice',
        interest: gbp(0),
        compensation: gbp(0),
        total: gbp(0),
        days: 0,
      });
    }
  });

  it('charges nothing without a rule', () => {
    expect(quoteLateFees(ukInput({ rule: { kind: 'none' } }))).toMatchObject({
      applies: false,
      reason: 'no late fee rule is set',
      total: gbp(0),
    });
  });

  it('rejects malformed input', () => {
    expect(() => quoteLateFees(ukInput({ asOf: '2024-02-30' }))).toThrow(RangeError);
    expect(() => quoteLateFees(ukInput({ dueDate: '2024-1-31' }))).toThrow(RangeError);
    expect(() => quoteLateFees(ukInput({ balance: gbp(10.5) }))).toThrow(RangeError);
    expect(() => quoteLateFees(ukInput({ total: eur(100_000) }))).toThrow(RangeError);
    expect(() =>
      quoteLateFees(ukInput({ rule: { kind: 'percentage', annualRatePercent: -1, graceDays: 0 } })),
    ).toThrow(RangeError);
    expect(() => quoteLateFees(ukInput({ rule: { kind: 'flat', amountMinor: 100, graceDays: -1 } }))).toThrow(
      RangeError,
    );
  });
});

describe('properties', () => {
  const epoch = Date.UTC(2000, 0, 1);
  const isoDate = (offset: number) => new Date(epoch + offset * 86_400_000).toISOString().slice(0, 10);
  const rule: fc.Arbitrary<LateFeeRule> = fc.oneof(
    fc.constant<LateFeeRule>({ kind: 'none' }),
    fc.record({
      kind: fc.constant('flat' as const),
      amountMinor: fc.integer({ min: 0, max: 1_000_000 }),
      graceDays: fc.integer({ min: 0, max: 60 }),
    }),
    fc.record({
      kind: fc.constant('percentage' as const),
      annualRatePercent: fc.double({ min: 0, max: 50, noNaN: true }),
      graceDays: fc.integer({ min: 0, max: 60 }),
    }),
    fc.record({
      kind: fc.constant('uk-late-payment' as const),
      referenceRatePercent: fc.double({ min: 0, max: 15, noNaN: true }),
    }),
    fc.record(
      {
        kind: fc.constant('eu-late-payment' as const),
        referenceRatePercent: fc.double({ min: -0.5, max: 15, noNaN: true }),
        extraPoints: fc.double({ min: 8, max: 12, noNaN: true }),
      },
      { requiredKeys: ['kind', 'referenceRatePercent'] },
    ),
  );
  const input: fc.Arbitrary<FeeInput> = fc
    .record({
      balance: fc.integer({ min: -1_000_000, max: 1_000_000_000 }),
      total: fc.integer({ min: 0, max: 1_000_000_000 }),
      currency: fc.constantFrom('GBP', 'EUR', 'USD', 'JPY'),
      due: fc.integer({ min: 0, max: 10_000 }),
      overdue: fc.integer({ min: -100, max: 3_000 }),
      debtorIsBusiness: fc.boolean(),
      rule,
    })
    .map(({ balance, total, currency, due, overdue, debtorIsBusiness, rule }) => ({
      balance: { amountMinor: balance, currency },
      total: { amountMinor: total, currency },
      dueDate: isoDate(due),
      asOf: isoDate(due + overdue),
      debtorIsBusiness,
      rule,
    }));

  it('never charges a negative amount, and the total is interest plus compensation', () => {
    fc.assert(
      fc.property(input, (fee) => {
        const quote = quoteLateFees(fee);
        for (const part of [quote.interest, quote.compensation, quote.total]) {
          expect(Number.isSafeInteger(part.amountMinor)).toBe(true);
          expect(part.amountMinor).toBeGreaterThanOrEqual(0);
          expect(part.currency).toBe(fee.balance.currency);
        }
        expect(quote.total.amountMinor).toBe(quote.interest.amountMinor + quote.compensation.amountMinor);
        if (!quote.applies) {
          expect(quote.total.amountMinor).toBe(0);
          expect(quote.reason).toBeTruthy();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never charges anything on a paid (zero or credit) invoice', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: -1_000_000, max: 0 }), (fee, balance) => {
        const quote = quoteLateFees({ ...fee, balance: { ...fee.balance, amountMinor: balance } });
        expect(quote.applies).toBe(false);
        expect(quote.total.amountMinor).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('never charges less later', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 400 }), (fee, extra) => {
        const later = isoDate((Date.parse(fee.asOf) - epoch) / 86_400_000 + extra);
        const now = quoteLateFees(fee).total.amountMinor;
        expect(quoteLateFees({ ...fee, asOf: later }).total.amountMinor).toBeGreaterThanOrEqual(now);
      }),
      { numRuns: 300 },
    );
  });
});
