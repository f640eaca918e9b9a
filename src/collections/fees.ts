/**
 * Late fees and statutory interest on an overdue invoice: pure arithmetic, no clock (`asOf` is passed in).
 *
 * Money stays in integer minor units. Rates are read as the decimal the caller wrote (5.25 is 525/100,
 * never the nearest binary float), every product is exact (BigInt), and the interest is rounded once, at
 * the end, to a whole minor unit by **round half up** (a tie goes to the larger amount: 0.5p → 1p).
 *
 * Sources (stored public copies, found with the search tool):
 * - UK: Late Payment of Commercial Debts (Interest) Act 1998, applies only where supplier and purchaser
 *   both act in the course of a business (s. 2; Cripps, "Statutory remedies for late payment of
 *   commercial debts", https://www.cripps.co.uk/statutory-remedies-late-payment-commercial-debts/).
 *   Statutory interest is simple interest at 8% over the Bank of England's official dealing rate (the Late
 *   Payment of Commercial Debts (Rate of Interest) (No. 3) Order 2002, SI 2002/1675,
 *   https://www.legislation.gov.uk/uksi/2002/1675), running from the day after the payment was due
 *   (s. 4(2)). The reference rate is the base rate in force on 31 December (for 1 January–30 June) or
 *   30 June (for 1 July–31 December) and is fixed for the debt by when interest starts to run
 *   (https://www.payontime.co.uk/late-payment-legislation-interest-calculators; Penningtons Manches Cooper,
 *   "Late Payment of Commercial Debts (Interest) Act 1998 – the rate of statutory interest", 17/10/2024).
 *   Daily interest is (reference + 8)% × debt ÷ 365 (https://statutory-interest.pages.dev; Paidnice's worked
 *   example, https://support.paidnice.com/en/articles/11600906). Fixed compensation, s. 5A(2)
 *   (https://www.legislation.gov.uk/ukpga/1998/20/section/5A): £40 for a debt less than £1,000, £70 for
 *   £1,000 or more but less than £10,000, £100 for £10,000 or more.
 * - EU: Directive 2011/7/EU on combating late payment in commercial transactions (summary at
 *   https://eur-lex.europa.eu/legal-content/EN/ALL/?uri=LEGISSUM:mi0074): business-to-business and
 *   business-to-public-authority only; interest of at least 8 percentage points above the ECB reference
 *   rate (its main refinancing rate) from the day following the due date; a minimum fixed sum of €40.
 *
 * Day count: actual calendar days (a leap year's 29 February counts), divided by 365 in every year, as the
 * UK guidance quoted above does. The Directive does not prescribe a day-count basis; 365 is used for it too.
 */
import { formatPlainMoney, type Money } from '../domain/money.js';

export type LateFeeRule =
  | { kind: 'none' }
  /** A fixed late fee, charged once per invoice when it is more than `graceDays` overdue. */
  | { kind: 'flat'; amountMinor: number; graceDays: number }
  /**
   * Contractual simple interest at `annualRatePercent` a year on the balance, for the days beyond the
   * grace period only (the grace days themselves are never charged).
   */
  | { kind: 'percentage'; annualRatePercent: number; graceDays: number }
  /** UK statutory interest and compensation; GBP only; business debtors only. */
  | { kind: 'uk-late-payment'; referenceRatePercent: number }
  /** EU Late Payment Directive interest (ECB rate + `extraPoints`, ≥ 8, default 8) and €40; EUR only; B2B only. */
  | { kind: 'eu-late-payment'; referenceRatePercent: number; extraPoints?: number };

export interface FeeInput {
  /** What is still owed: interest runs on this. */
  balance: Money;
  /** The invoice total: the UK compensation band is chosen by this ("the debt"). */
  total: Money;
  dueDate: string;
  asOf: string;
  debtorIsBusiness: boolean;
  rule: LateFeeRule;
}

export interface FeeQuote {
  interest: Money;
  /** Fixed compensation (UK/EU) or the flat late fee. */
  compensation: Money;
  total: Money;
  /** Days the charge covers: interest days for interest rules, days overdue for a flat fee, else days overdue (≥ 0). */
  days: number;
  /** One plain sentence a debtor can read. */
  explanation: string;
  applies: boolean;
  /** Why nothing applies, when `applies` is false. */
  reason?: string;
}

/** UK statutory interest is this many points above the reference rate (SI 2002/1675). */
export const ukStatutoryMarginPercent = 8;
/** The Directive's minimum margin over the ECB reference rate (Art. 2(6)). */
export const euMinimumMarginPercent = 8;

/** UK fixed compensation by the size of the debt, in pence (s. 5A(2) of the 1998 Act). */
export function ukCompensationMinor(debtMinor: number): number {
  if (debtMinor < 100_000) return 4_000;
  if (debtMinor < 1_000_000) return 7_000;
  return 10_000;
}

/** The Directive's minimum fixed sum for recovery costs, in euro cents (Art. 6(1)). */
export const euCompensationMinor = 4_000;

/**
 * The date whose Bank of England base rate is the UK reference rate for an invoice due on `dueDate`:
 * 31 December before the half-year in which interest starts to run (the day after the due date) for
 * January–June, 30 June for July–December. The caller looks the rate up and passes it in the rule.
 */
export function ukReferenceRateDate(dueDate: string): string {
  const start = new Date(parseIsoDate(dueDate, 'dueDate') + DAY_MS);
  const year = start.getUTCFullYear();
  return start.getUTCMonth() < 6 ? `${year - 1}-12-31` : `${year}-06-30`;
}

export function quoteLateFees(input: FeeInput): FeeQuote {
  const { balance, total, rule } = input;
  requireMinor(balance, 'balance');
  requireMinor(total, 'total');
  if (balance.currency.toUpperCase() !== total.currency.toUpperCase()) {
    throw new RangeError(`balance is in ${balance.currency} but total is in ${total.currency}`);
  }
  validateRule(rule);
  const currency = balance.currency.toUpperCase();
  const overdue = Math.max(
    0,
    (parseIsoDate(input.asOf, 'asOf') - parseIsoDate(input.dueDate, 'dueDate')) / DAY_MS,
  );
  const refuse = (reason: string, days = overdue): FeeQuote => nothing(currency, days, reason);

  if (rule.kind === 'none') return refuse('no late fee rule is set');
  if (balance.amountMinor <= 0) return refuse('nothing is owed on this invoice', 0);

  switch (rule.kind) {
    case 'flat': {
      if (overdue <= rule.graceDays) return refuse('not yet overdue past the grace period');
      const fee = money(rule.amountMinor, currency);
      const grace = rule.graceDays > 0 ? `more than ${plural(rule.graceDays, 'day')} overdue` : 'overdue';
      return {
        interest: money(0, currency),
        compensation: fee,
        total: fee,
        days: overdue,
        explanation: `A late fee of ${formatPlainMoney(fee)}, charged once because the invoice is ${grace}.`,
        applies: true,
      };
    }
    case 'percentage': {
      if (overdue <= rule.graceDays) return refuse('not yet overdue past the grace period');
      const days = overdue - rule.graceDays;
      const rate = decimal(rule.annualRatePercent);
      const interest = money(simpleInterestMinor(balance.amountMinor, rate, days), currency);
      const after = rule.graceDays > 0 ? ` after the ${rule.graceDays}-day grace period` : '';
      return {
        interest,
        compensation: money(0, currency),
        total: interest,
        days,
        explanation: `Late payment interest of ${formatDecimal(rate)}% a year on ${formatPlainMoney(balance)} for ${plural(days, 'day')}${after}, ${formatPlainMoney(interest)}.`,
        applies: true,
      };
    }
    case 'uk-late-payment':
    case 'eu-late-payment': {
      const uk = rule.kind === 'uk-late-payment';
      const required = uk ? 'GBP' : 'EUR';
      if (currency !== required) return refuse(`currency is not ${required}`);
      if (!input.debtorIsBusiness) return refuse('not a business debtor');
      if (overdue <= 0) return refuse('not yet overdue');
      const reference = decimal(rule.referenceRatePercent);
      const margin = decimal(uk ? ukStatutoryMarginPercent : (rule.extraPoints ?? euMinimumMarginPercent));
      const rate = addDecimal(reference, margin);
      const interest = money(simpleInterestMinor(balance.amountMinor, rate, overdue), currency);
      const compensation = money(uk ? ukCompensationMinor(total.amountMinor) : euCompensationMinor, currency);
      const why = uk
        ? `${formatDecimal(margin)}% above the Bank of England base rate of ${formatDecimal(reference)}%`
        : `${formatDecimal(margin)} points above the European Central Bank main refinancing rate of ${formatDecimal(reference)}%`;
      return {
        interest,
        compensation,
        total: money(interest.amountMinor + compensation.amountMinor, currency),
        days: overdue,
        explanation: `Statutory interest of ${formatDecimal(rate)}% a year (${why}) for ${plural(overdue, 'day')}, ${formatPlainMoney(interest)}, plus ${formatPlainMoney(compensation)} fixed compensation.`,
        applies: true,
      };
    }
  }
}

const DAY_MS = 86_400_000;

function nothing(currency: string, days: number, reason: string): FeeQuote {
  const zero = money(0, currency);
  return {
    interest: zero,
    compensation: zero,
    total: zero,
    days,
    explanation: `No late fee or interest is charged: ${reason}.`,
    applies: false,
    reason,
  };
}

function money(amountMinor: number, currency: string): Money {
  return { amountMinor, currency };
}

function requireMinor(value: Money, name: string): void {
  if (!Number.isSafeInteger(value.amountMinor)) {
    throw new RangeError(`${name} must be whole minor units: ${value.amountMinor}`);
  }
}

function validateRule(rule: LateFeeRule): void {
  const fail = (message: string): never => {
    throw new RangeError(`${rule.kind} rule: ${message}`);
  };
  const graceDays = (days: number) => {
    if (!Number.isSafeInteger(days) || days < 0) fail(`graceDays must be a whole number ≥ 0: ${days}`);
  };
  switch (rule.kind) {
    case 'none':
      return;
    case 'flat':
      if (!Number.isSafeInteger(rule.amountMinor) || rule.amountMinor < 0) {
        fail(`amountMinor must be whole minor units ≥ 0: ${rule.amountMinor}`);
      }
      graceDays(rule.graceDays);
      return;
    case 'percentage':
      if (!Number.isFinite(rule.annualRatePercent) || rule.annualRatePercent < 0) {
        fail(`annualRatePercent must be ≥ 0: ${rule.annualRatePercent}`);
      }
      graceDays(rule.graceDays);
      return;
    case 'uk-late-payment':
    case 'eu-late-payment': {
      if (!Number.isFinite(rule.referenceRatePercent)) {
        fail(`referenceRatePercent must be a number: ${rule.referenceRatePercent}`);
      }
      const margin =
        rule.kind === 'uk-late-payment'
          ? ukStatutoryMarginPercent
          : (rule.extraPoints ?? euMinimumMarginPercent);
      if (!Number.isFinite(margin) || margin < euMinimumMarginPercent) {
        fail(`extraPoints must be at least ${euMinimumMarginPercent} (Directive 2011/7/EU): ${margin}`);
      }
      if (rule.referenceRatePercent + margin < 0) fail('the resulting interest rate is negative');
      return;
    }
  }
}

/** Parses a strict `YYYY-MM-DD` calendar date to UTC milliseconds. */
function parseIsoDate(value: string, name: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [, y, m, d] = match ?? [];
  const time = Date.UTC(Number(y), Number(m) - 1, Number(d));
  if (!match || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    throw new RangeError(`${name} is not a YYYY-MM-DD date: ${value}`);
  }
  return time;
}

/** A decimal number held exactly: `units / 10^scale`. */
interface Decimal {
  units: bigint;
  scale: number;
}

/** Reads a number as the decimal it prints as (5.25 → 525/10², 1e-7 → 1/10⁷). */
function decimal(value: number): Decimal {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new RangeError(`Not a finite number: ${value}`);
  const [, sign = '', whole = '0', fraction = '', exponent = '0'] = match;
  let units = BigInt(`${sign}${whole}${fraction}`);
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units, scale };
}

function addDecimal(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return {
    units: a.units * 10n ** BigInt(scale - a.scale) + b.units * 10n ** BigInt(scale - b.scale),
    scale,
  };
}

/** Prints a decimal exactly, without trailing zeros (13.250 → "13.25", 8 → "8"). */
function formatDecimal(value: Decimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * Simple interest in minor units: balance × rate% × days / 365, computed exactly and rounded once,
 * half up (ties toward the larger amount). Never negative: a zero rate or zero days gives zero.
 */
function simpleInterestMinor(balanceMinor: number, ratePercent: Decimal, days: number): number {
  const numerator = BigInt(balanceMinor) * ratePercent.units * BigInt(days);
  const denominator = 100n * 365n * 10n ** BigInt(ratePercent.scale);
  const rounded = floorDiv(2n * numerator + denominator, 2n * denominator);
  const result = Number(rounded);
  if (!Number.isSafeInteger(result)) throw new RangeError('interest is too large to represent');
  return Math.max(0, result);
}

function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n !== d < 0n ? q - 1n : q;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
