/**
 * What a flag recommends, with the arithmetic a person approving it can check: the expected money from
 * each of the four choices for an overdue balance, best first. Pure; no clock, no I/O.
 *
 * Expected values (B = balance, p(d) = in-house recovery probability at d days overdue):
 * - keep_chasing:     p(age + 30) × B − one month's chasing cost
 * - settlement_offer: acceptance × B × (1 − discount)
 * - agency_referral:  min(0.95, p(age) × agency factor) × B × (1 − agency fee share)
 * - write_off:        0 (it frees the books; recommended only when every other choice is ≤ 0)
 * Ties go to the gentler choice: keep_chasing, then settlement_offer, then agency_referral, then write_off.
 *
 * Rounding: every factor is read as the decimal it prints as (0.3 is 3/10, not the nearest binary float),
 * products are exact rationals (BigInt), and each option's money is rounded once to a whole minor unit by
 * **round half up** (ties toward +∞: 412.5 → 413; the chasing cost is whole minor units, so subtracting it
 * commutes with the rounding).
 */
import { formatPlainMoney, type Money } from '../domain/money.js';
import { defaultRecoverySettings, type RecoverySettings } from './policy.js';

export type FlagChoice = 'keep_chasing' | 'settlement_offer' | 'agency_referral' | 'write_off';

export interface RecoveryAssumptions {
  /**
   * Probability of collecting by continued in-house chasing, by days overdue. Interpolated linearly
   * between points, flat before the first point and beyond the last.
   */
  recoveryByAge: Array<{ daysOverdue: number; probability: number }>;
  /** Share of what an agency recovers that it keeps (commonly 0.25–0.5). */
  agencyFeeShare: number;
  /** How much more likely an agency collects than in-house at the same age (capped at 0.95). */
  agencyRecoveryFactor: number;
  /** Share of the balance forgiven when settling. */
  settlementDiscount: number;
  /** Probability the debtor takes a settlement offer. */
  settlementAcceptance: number;
  /** Cost of a further month of in-house chasing (staff time), in the balance's minor units. */
  chasingCostPerMonthMinor: number;
}

/** An agency is never assumed more than this likely to collect. */
export const agencyProbabilityCap = 0.95;

/**
 * Defaults. The curve rounds the commonly quoted collection-industry survey figures, almost all from the
 * Commercial Collection Agency Association (CCAA) of the Commercial Law League of America, which polls its
 * member agencies on the probability of collecting a delinquent commercial account by its age:
 * - current (0 days): "over 94%" (CCAA survey, quoted by Caine & Weiner,
 *   https://old.caine-weiner.com/client-access/reference-information/recovery-percentage-based-on-age-of-debt/) → 0.94
 * - 30 days: "collectability of accounts within the first 60 days is 90%" (Agency of Credit Control,
 *   https://www.getitpaid.com/author/agency-of-credit-control/) → 0.90
 * - 90 days: "just under 74%" (CCAA via Caine & Weiner; Kaplan, "74% of receivables 3 months past due",
 *   https://www.kaplancollectionagency.com/resource-center/hiring-a-collection-agency/collection-analysis/),
 *   69.6% (CCAA via https://rossgelfandlaw.blogspot.com/2012/08/commercial-collection-trendsincreasing.html),
 *   68.9% (Commercial Collection Agencies of America via https://www.cstworldwide.com/resources-collection-statistics.html),
 *   72.2% (CLLA section survey, http://ccicollects.com/the-proof/) → 0.70
 * - 6 months: 52.1% (CCAA, Gelfand), 51.3% / "$0.51" (CST Worldwide), "almost 44%" (ccicollects) → 0.50
 * - 1 year: 22.8% (CCAA, Gelfand), 28.6% (ccicollects), "$0.21" (CST Worldwide) → 0.25
 * - 2 years: "$0.09" on the dollar (CST Worldwide) → 0.10, flat beyond.
 * The other figures are each organisation's policy settings (`recovery` in policy.ts, with their sources
 * and bounds); these are their defaults.
 */
export const defaultRecoveryAssumptions: RecoveryAssumptions = {
  recoveryByAge: [
    { daysOverdue: 0, probability: 0.94 },
    { daysOverdue: 30, probability: 0.9 },
    { daysOverdue: 90, probability: 0.7 },
    { daysOverdue: 180, probability: 0.5 },
    { daysOverdue: 365, probability: 0.25 },
    { daysOverdue: 730, probability: 0.1 },
  ],
  ...recoveryAssumptions(defaultRecoverySettings),
};

/** The assumptions an organisation's policy sets (everything but the curve). */
export function recoveryAssumptions(settings: RecoverySettings): Omit<RecoveryAssumptions, 'recoveryByAge'> {
  return {
    agencyFeeShare: settings.agencyFeeShare,
    agencyRecoveryFactor: settings.agencyRecoveryFactor,
    settlementDiscount: settings.settlementDiscount,
    settlementAcceptance: settings.settlementAcceptance,
    chasingCostPerMonthMinor: settings.chasingCostPerMonthMinor,
  };
}

export interface FlagInput {
  balance: Money;
  daysOverdue: number;
  assumptions?: Partial<RecoveryAssumptions>;
}

export interface ChoiceValue {
  choice: FlagChoice;
  /** Expected money in (minor units), rounded once. */
  expected: Money;
  /** keep_chasing: p(age + 30); settlement_offer: acceptance; agency_referral: capped agency p; write_off: 0. */
  probability: number;
  /**
   * What the choice spends or gives up, in expectation: keep_chasing one month's chasing cost;
   * settlement_offer the amount forgiven × acceptance; agency_referral the agency's fee × its probability;
   * write_off the whole balance.
   */
  cost: Money;
  explanation: string;
}

export interface Recommendation {
  recommended: FlagChoice;
  /** All four choices, best first. */
  options: ChoiceValue[];
  summary: string;
}

/** Gentlest first: the tie-break order. */
const gentleness: readonly FlagChoice[] = [
  'keep_chasing',
  'settlement_offer',
  'agency_referral',
  'write_off',
];

const headline: Record<FlagChoice, string> = {
  keep_chasing: 'Keep chasing',
  settlement_offer: 'Offer a settlement',
  agency_referral: 'Refer to an agency',
  write_off: 'Write off',
};

const byPhrase: Record<FlagChoice, string> = {
  keep_chasing: 'chasing another month',
  settlement_offer: 'a settlement offer',
  agency_referral: 'an agency referral',
  write_off: 'writing off',
};

/** The numbers behind a recommendation: every choice's expected money, and the factors it came from. */
interface Valuation {
  currency: string;
  owedMinor: number;
  chasingCost: number;
  keepP: Rational;
  keepGross: number;
  acceptance: Rational;
  discount: Rational;
  settledFor: Rational;
  agencyP: Rational;
  fee: Rational;
  netOfFee: Rational;
  /** Best first (see the tie-break order), write-off first when nothing else brings money in. */
  ranked: Array<{ choice: FlagChoice; expectedMinor: number }>;
}

function valuation(input: FlagInput, assumptions: RecoveryAssumptions): Valuation {
  if (!Number.isSafeInteger(input.balance.amountMinor)) {
    throw new RangeError(`balance must be whole minor units: ${input.balance.amountMinor}`);
  }
  if (!Number.isFinite(input.daysOverdue))
    throw new RangeError(`daysOverdue must be a number: ${input.daysOverdue}`);
  // A credit or zero balance has nothing to recover: value every choice on nothing owed.
  const owedMinor = Math.max(0, input.balance.amountMinor);
  const owed = int(owedMinor);

  const keepP = recoveryProbability(assumptions.recoveryByAge, input.daysOverdue + 30);
  const chasingCost = assumptions.chasingCostPerMonthMinor;
  const keepGross = roundHalfUp(mul(keepP, owed));

  const acceptance = q(assumptions.settlementAcceptance);
  const discount = q(assumptions.settlementDiscount);
  const settledFor = mul(owed, sub(int(1), discount));

  const agencyRaw = mul(
    recoveryProbability(assumptions.recoveryByAge, input.daysOverdue),
    q(assumptions.agencyRecoveryFactor),
  );
  const cap = q(agencyProbabilityCap);
  const agencyP = compare(agencyRaw, cap) > 0 ? cap : agencyRaw;
  const fee = q(assumptions.agencyFeeShare);
  const netOfFee = mul(owed, sub(int(1), fee));

  type Ranked = Valuation['ranked'][number];
  const rank = (a: Ranked, b: Ranked) =>
    b.expectedMinor - a.expectedMinor || gentleness.indexOf(a.choice) - gentleness.indexOf(b.choice);
  const others: Ranked[] = [
    { choice: 'keep_chasing', expectedMinor: keepGross - chasingCost },
    { choice: 'settlement_offer', expectedMinor: roundHalfUp(mul(acceptance, settledFor)) },
    { choice: 'agency_referral', expectedMinor: roundHalfUp(mul(agencyP, netOfFee)) },
  ];
  others.sort(rank);
  const writeOff: Ranked = { choice: 'write_off', expectedMinor: 0 };
  const allWorthless = others.every((option) => option.expectedMinor <= 0);
  const ranked = allWorthless ? [writeOff, ...others] : [...others, writeOff].sort(rank);
  return {
    currency: input.balance.currency,
    owedMinor,
    chasingCost,
    keepP,
    keepGross,
    acceptance,
    discount,
    settledFor,
    agencyP,
    fee,
    netOfFee,
    ranked,
  };
}

/**
 * The choice `recommend` would make under these assumptions, without its explanations: what a new
 * flag stores. The assumptions are checked once, for the many flags of an evaluation.
 */
export function recommendedChoiceUnder(
  assumptions?: Partial<RecoveryAssumptions>,
): (balance: Money, daysOverdue: number) => FlagChoice {
  const resolved = resolveAssumptions(assumptions);
  return (balance, daysOverdue) => {
    const [best] = valuation({ balance, daysOverdue }, resolved).ranked;
    return best?.choice ?? 'write_off';
  };
}

export function recommend(input: FlagInput): Recommendation {
  const value = valuation(input, resolveAssumptions(input.assumptions));
  const { currency, owedMinor, chasingCost, keepP, keepGross, acceptance, discount, settledFor } = value;
  const { agencyP, fee, netOfFee } = value;
  const owed = int(owedMinor);
  const at = (amount: number): Money => ({ amountMinor: amount, currency });
  const fmt = (amount: number) => formatPlainMoney(at(amount));
  const expectedOf = (choice: FlagChoice) =>
    value.ranked.find((option) => option.choice === choice)?.expectedMinor ?? 0;
  const settlementMinor = expectedOf('settlement_offer');
  const agencyMinor = expectedOf('agency_referral');

  const details: Record<FlagChoice, Omit<ChoiceValue, 'choice' | 'expected'>> = {
    keep_chasing: {
      probability: toNumber(keepP),
      cost: at(chasingCost),
      explanation: `${headline.keep_chasing} for another month: ${pct(keepP)} likely to be collected by chasing at that age (${fmt(keepGross)} expected of ${fmt(owedMinor)}), less ${fmt(chasingCost)} of staff time.`,
    },
    settlement_offer: {
      probability: toNumber(acceptance),
      cost: at(roundHalfUp(mul(acceptance, mul(owed, discount)))),
      explanation: `${headline.settlement_offer} of ${fmt(roundHalfUp(settledFor))} (${pct(discount)} off ${fmt(owedMinor)}): ${pct(acceptance)} likely to be accepted, ${fmt(settlementMinor)} expected.`,
    },
    agency_referral: {
      probability: toNumber(agencyP),
      cost: at(roundHalfUp(mul(agencyP, mul(owed, fee)))),
      explanation: `${headline.agency_referral}: ${pct(agencyP)} likely to collect, leaving ${fmt(roundHalfUp(netOfFee))} of ${fmt(owedMinor)} after its ${pct(fee)} fee, ${fmt(agencyMinor)} expected.`,
    },
    write_off: {
      probability: 0,
      cost: at(owedMinor),
      explanation:
        owedMinor > 0
          ? `${headline.write_off} ${fmt(owedMinor)}: nothing more is collected, but the books show what will really come in.`
          : 'Nothing is owed, so there is nothing to write off.',
    },
  };
  const options: ChoiceValue[] = value.ranked.map(({ choice, expectedMinor }) => ({
    choice,
    expected: at(expectedMinor),
    ...details[choice],
  }));
  const [best, ...rest] = options as [ChoiceValue, ...ChoiceValue[]];

  const arithmetic: Record<FlagChoice, string> = {
    keep_chasing: `${pct(keepP)} × ${fmt(owedMinor)}, less ${fmt(chasingCost)} of chasing`,
    settlement_offer: `${pct(acceptance)} × ${fmt(roundHalfUp(settledFor))} after a ${pct(discount)} discount`,
    agency_referral: `${pct(agencyP)} × ${fmt(roundHalfUp(netOfFee))} after a ${pct(fee)} fee`,
    write_off: 'nothing more collected',
  };
  const versus = rest
    .map((option) => `${fmt(option.expected.amountMinor)} by ${byPhrase[option.choice]}`)
    .join(', ');
  let summary: string;
  if (owedMinor === 0) {
    summary = 'Nothing is owed on this invoice, so there is nothing to recover: close the flag.';
  } else if (best.choice === 'write_off') {
    summary = `${headline.write_off} ${fmt(owedMinor)}: no other choice is expected to bring anything in (${versus}).`;
  } else {
    summary = `${headline[best.choice]}: expected ${fmt(best.expected.amountMinor)} (${arithmetic[best.choice]}) vs ${versus}.`;
  }
  return { recommended: best.choice, options, summary };
}

/** Fills in defaults and checks the result; throws a RangeError naming the first bad setting. */
function resolveAssumptions(partial: Partial<RecoveryAssumptions> | undefined): RecoveryAssumptions {
  const merged: RecoveryAssumptions = { ...defaultRecoveryAssumptions };
  // Only the assumptions' own keys: a whole policy `recovery` object may be passed (it has more).
  for (const key of Object.keys(merged) as Array<keyof RecoveryAssumptions>) {
    const value = partial?.[key];
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  const share = (name: keyof RecoveryAssumptions, value: number) => {
    if (!Number.isFinite(value) || value < 0 || value > 1)
      throw new RangeError(`${name} must be within 0–1: ${value}`);
  };
  share('agencyFeeShare', merged.agencyFeeShare);
  share('settlementDiscount', merged.settlementDiscount);
  share('settlementAcceptance', merged.settlementAcceptance);
  if (!Number.isFinite(merged.agencyRecoveryFactor) || merged.agencyRecoveryFactor < 0) {
    throw new RangeError(`agencyRecoveryFactor must be ≥ 0: ${merged.agencyRecoveryFactor}`);
  }
  if (!Number.isSafeInteger(merged.chasingCostPerMonthMinor) || merged.chasingCostPerMonthMinor < 0) {
    throw new RangeError(
      `chasingCostPerMonthMinor must be whole minor units ≥ 0: ${merged.chasingCostPerMonthMinor}`,
    );
  }
  if (merged.recoveryByAge.length === 0) throw new RangeError('recoveryByAge needs at least one point');
  const curve = [...merged.recoveryByAge].sort((a, b) => a.daysOverdue - b.daysOverdue);
  curve.forEach((point, index) => {
    if (!Number.isFinite(point.daysOverdue))
      throw new RangeError(`recoveryByAge: bad daysOverdue ${point.daysOverdue}`);
    share('recoveryByAge', point.probability);
    if (index > 0 && curve[index - 1]?.daysOverdue === point.daysOverdue) {
      throw new RangeError(`recoveryByAge: two points at ${point.daysOverdue} days`);
    }
  });
  return { ...merged, recoveryByAge: curve };
}

/** In-house recovery probability at `days` overdue: linear between points, flat outside them. */
function recoveryProbability(curve: RecoveryAssumptions['recoveryByAge'], days: number): Rational {
  const first = curve[0];
  const last = curve[curve.length - 1];
  if (!first || !last) throw new RangeError('recoveryByAge needs at least one point');
  if (days <= first.daysOverdue) return q(first.probability);
  if (days >= last.daysOverdue) return q(last.probability);
  for (let i = 1; i < curve.length; i++) {
    const left = curve[i - 1];
    const right = curve[i];
    if (!left || !right || days > right.daysOverdue) continue;
    const p0 = q(left.probability);
    const fraction = div(sub(q(days), q(left.daysOverdue)), sub(q(right.daysOverdue), q(left.daysOverdue)));
    return add(p0, mul(sub(q(right.probability), p0), fraction));
  }
  return q(last.probability);
}

/**
 * `share` (0.25 = a quarter) of whole minor units, reading the share as the decimal it prints as and
 * rounding half up once, as the recommendation does: what a settlement forgives.
 */
export function shareOfMinor(amountMinor: number, share: number): number {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`not whole minor units: ${amountMinor}`);
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new RangeError(`share must be within 0–1: ${share}`);
  return roundHalfUp(mul(int(amountMinor), q(share)));
}

/** An exact fraction n/d with d > 0. */
interface Rational {
  n: bigint;
  d: bigint;
}

function int(value: number): Rational {
  return { n: BigInt(value), d: 1n };
}

/** Decimals already read (probabilities and shares recur in every flag); rationals are never mutated. */
const decimals = new Map<number, Rational>();

/** Reads a number as the decimal it prints as (0.3 → 3/10, 1e-7 → 1/10⁷). */
function q(value: number): Rational {
  if (Number.isSafeInteger(value)) return int(value);
  const known = decimals.get(value);
  if (known) return known;
  const read = readDecimal(value);
  if (decimals.size >= 1_000) decimals.clear();
  decimals.set(value, read);
  return read;
}

function readDecimal(value: number): Rational {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new RangeError(`Not a finite number: ${value}`);
  const [, sign = '', whole = '0', fraction = '', exponent = '0'] = match;
  const scale = fraction.length - Number(exponent);
  const n = BigInt(`${sign}${whole}${fraction}`);
  return scale >= 0 ? { n, d: 10n ** BigInt(scale) } : { n: n * 10n ** BigInt(-scale), d: 1n };
}

function add(a: Rational, b: Rational): Rational {
  return { n: a.n * b.d + b.n * a.d, d: a.d * b.d };
}

function sub(a: Rational, b: Rational): Rational {
  return { n: a.n * b.d - b.n * a.d, d: a.d * b.d };
}

function mul(a: Rational, b: Rational): Rational {
  return { n: a.n * b.n, d: a.d * b.d };
}

function div(a: Rational, b: Rational): Rational {
  if (b.n === 0n) throw new RangeError('division by zero');
  return b.n < 0n ? { n: -a.n * b.d, d: a.d * -b.n } : { n: a.n * b.d, d: a.d * b.n };
}

function compare(a: Rational, b: Rational): number {
  const diff = a.n * b.d - b.n * a.d;
  return diff > 0n ? 1 : diff < 0n ? -1 : 0;
}

/** floor(x + ½): round half up, ties toward +∞. */
function roundHalfUp(x: Rational): number {
  const numerator = 2n * x.n + x.d;
  const denominator = 2n * x.d;
  const quotient = numerator / denominator;
  const floored = numerator % denominator !== 0n && numerator < 0n ? quotient - 1n : quotient;
  const result = Number(floored);
  if (!Number.isSafeInteger(result)) throw new RangeError('amount is too large to represent');
  return result;
}

function toNumber(x: Rational): number {
  // Scale to 12 decimal places exactly, then convert: enough for a probability shown to people.
  const scaled = (x.n * 10n ** 12n) / x.d;
  return Number(scaled) / 1e12;
}

/** "90%", "63.33%": a probability or share as people read it. */
const percentFormat = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 2 });
function pct(x: Rational): string {
  return percentFormat.format(toNumber(x));
}

/**
 * What a flag keeps of its recommendation: the choice and the inputs. The arithmetic (every option's
 * expected value and its explanation) is a pure function of them, so it is recomputed when a person
 * looks (`flagArithmetic`) rather than stored a quarter of a million times in a large evaluation.
 */
export interface StoredRecommendation {
  recommended: FlagChoice;
  /** What is owed in the organisation's currency. */
  balance: Money;
  /** Balances in other currencies, listed beside the arithmetic. */
  otherCurrencies: Money[];
}

/**
 * A flag's full arithmetic from what it stored (flags made by hand may store only the choice), under the
 * organisation's assumptions as they are now: a changed fee share changes what a pending flag recommends.
 */
export function flagArithmetic(
  stored: Record<string, unknown>,
  daysOverdue: number,
  assumptions?: Partial<RecoveryAssumptions>,
): Record<string, unknown> {
  const balance = stored['balance'] as Money | undefined;
  if (!balance || !Number.isSafeInteger(balance.amountMinor)) return stored;
  return {
    ...recommend({ balance, daysOverdue, ...(assumptions ? { assumptions } : {}) }),
    otherCurrencies: stored['otherCurrencies'] ?? [],
    balance,
  };
}
