import type { CreditTargetOption } from '../../connectors/ledger.js';
import { actorKey } from '../domain/actor.js';
import { AppError } from '../errors.js';
import type { LedgerContext } from '../ledger/context.js';
import { organisationOf } from '../organisations/organisation-of.js';
import {
  type CreditTarget,
  organisationSettingsSchema,
  saveOrganisationSettings,
} from '../organisations/settings.js';
import type { ServiceContext } from '../services/context.js';
import { creditTargetChoices } from './money-page.js';
import { policyInForce, policyProblems, savePolicyIn } from './policy-versions.js';
import { problemsByPath } from './problems-by-path.js';
import type { PolicyEdit } from './schedule-page.js';

export interface MoneyMattersChange {
  edit: PolicyEdit;
  basedOnVersion: number;
  /** The refs chosen for write-offs and settlements ('' for none). */
  writeOffTarget: string;
  settlementTarget: string;
}

/** The option of the books with this ref; one no longer offered (the books unreadable) keeps the old choice. */
function chosenTarget(options: CreditTargetOption[], ref: string, current: CreditTarget | null) {
  if (ref === '') return null;
  const option = options.find((candidate) => candidate.ref === ref);
  if (option) return { ref: option.ref, description: option.name };
  return current?.ref === ref ? current : undefined;
}

/**
 * Saves the money matters page: a new version of the policy and the credit accounts, in one
 * transaction, or every problem by field and nothing saved.
 */
export async function saveMoneyMatters(
  ctx: ServiceContext,
  ledger: LedgerContext,
  change: MoneyMattersChange,
): Promise<{ ok: true } | { ok: false; problems: Map<string, string[]> }> {
  const [profile, inForce] = await Promise.all([organisationOf(ctx), policyInForce(ctx.db, ctx.orgId)]);
  const checked = policyProblems(change.edit(inForce.policy, profile.currency));
  const problems = problemsByPath('problems' in checked ? checked.problems : []);

  const targets = await creditTargetChoices(ctx, ledger);
  const options = targets.ok ? targets.options : [];
  const writeOffTarget = chosenTarget(options, change.writeOffTarget, profile.settings.writeOffTarget);
  const settlementTarget = chosenTarget(options, change.settlementTarget, profile.settings.settlementTarget);
  if (writeOffTarget === undefined)
    problems.set('writeOffTarget', ['is not an account or item of your books']);
  if (settlementTarget === undefined)
    problems.set('settlementTarget', ['is not an account or item of your books']);
  if (problems.size > 0 || !('policy' in checked)) return { ok: false, problems };

  try {
    await ctx.db.transaction(async (tx) => {
      await savePolicyIn(tx, {
        orgId: ctx.orgId,
        basedOnVersion: change.basedOnVersion,
        policy: checked.policy,
        actor: actorKey(ctx.actor),
      });
      await saveOrganisationSettings(
        tx,
        ctx.orgId,
        organisationSettingsSchema.parse({ ...profile.settings, writeOffTarget, settlementTarget }),
      );
    });
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'policy_changed') throw error;
    problems.set('form', [error.message]);
    return { ok: false, problems };
  }
  return { ok: true };
}
