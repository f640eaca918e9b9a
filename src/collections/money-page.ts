import { LedgerError } from '../../connectors/errors.js';
import type { CreditTargetOption } from '../../connectors/ledger.js';
import { AppError } from '../errors.js';
import type { LedgerContext } from '../ledger/context.js';
import { creditTargetsOf } from '../organisations/credit-targets.js';
import { organisationOf } from '../organisations/organisation-of.js';
import type { CreditTarget } from '../organisations/settings.js';
import type { ServiceContext } from '../services/context.js';
import { type PolicyInForce, policyInForce } from './policy-versions.js';

/** The ledger's accounts or items to book credits against, or why they could not be read. */
export type CreditTargetChoices =
  | { ok: true; options: CreditTargetOption[] }
  | { ok: false; problem: string };

export interface MoneyPage {
  inForce: PolicyInForce;
  currency: string;
  targets: CreditTargetChoices;
  writeOffTarget: CreditTarget | null;
  settlementTarget: CreditTarget | null;
}

/** The accounts and items of the organisation's books; a ledger that cannot be read now is a problem to show. */
export async function creditTargetChoices(
  ctx: ServiceContext,
  ledger: LedgerContext,
): Promise<CreditTargetChoices> {
  try {
    return { ok: true, options: await creditTargetsOf(ledger, ctx.orgId) };
  } catch (error) {
    if (error instanceof AppError || error instanceof LedgerError)
      return { ok: false, problem: `Your books’ accounts could not be read: ${error.message}` };
    throw error;
  }
}

/**
 * Money matters: late fees, recovery assumptions, plan limits and the value gate (the policy in
 * force), and where write-offs and settlements are booked (read from the books now).
 */
export async function moneyPage(ctx: ServiceContext, ledger: LedgerContext): Promise<MoneyPage> {
  const [profile, inForce, targets] = await Promise.all([
    organisationOf(ctx),
    policyInForce(ctx.db, ctx.orgId),
    creditTargetChoices(ctx, ledger),
  ]);
  return {
    inForce,
    currency: profile.currency,
    targets,
    writeOffTarget: profile.settings.writeOffTarget,
    settlementTarget: profile.settings.settlementTarget,
  };
}
