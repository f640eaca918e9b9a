/**
 * The expected money from each of the four choices for an overdue balance, best first.
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
import type { Money } from '../domain/money.js';
import { compare, int, mul, q, type Rational, roundHalfUp, sub } from './rational.js';
import {
  agencyProbabilityCap,
  type RecoveryAssumptions,
  recoveryProbability,
  resolveAssumptions,
} from './recovery-assumptions.js';

export type FlagChoice = 'keep_chasing' | 'settlement_offer' | 'agency_referral' | 'write_off';

export interface FlagInput {
  balance: Money;
  daysOverdue: number;
  assumptions?: Partial<RecoveryAssumptions>;
}

/** Gentlest first: the tie-break order. */
const gentleness: readonly FlagChoice[] = [
  'keep_chasing',
  'settlement_offer',
  'agency_referral',
  'write_off',
];

/** The numbers behind a recommendation: every choice's expected money, and the factors it came from. */
export interface Valuation {
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

export function valuation(input: FlagInput, assumptions: RecoveryAssumptions): Valuation {
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
