import { defaultRecoverySettings, type RecoverySettings } from '../domain/policy.js';
import { add, div, mul, q, type Rational, sub } from './rational.js';

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

/** Fills in defaults and checks the result; throws a RangeError naming the first bad setting. */
export function resolveAssumptions(partial: Partial<RecoveryAssumptions> | undefined): RecoveryAssumptions {
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
export function recoveryProbability(curve: RecoveryAssumptions['recoveryByAge'], days: number): Rational {
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
