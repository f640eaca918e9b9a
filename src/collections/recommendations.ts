/**
 * What a flag recommends, with the arithmetic a person approving it can check (see choice-valuation.ts
 * for how each choice is valued). Pure; no clock, no I/O.
 */
import { formatPlainMoney, type Money } from '../domain/money.js';
import { type FlagChoice, type FlagInput, valuation } from './choice-valuation.js';
import { int, mul, type Rational, roundHalfUp, toNumber } from './rational.js';
import { type RecoveryAssumptions, resolveAssumptions } from './recovery-assumptions.js';

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
/** "90%", "63.33%": a probability or share as people read it. */
const percentFormat = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 2 });
function pct(x: Rational): string {
  return percentFormat.format(toNumber(x));
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
