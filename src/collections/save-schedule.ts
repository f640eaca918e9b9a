import { actorKey } from '../domain/actor.js';
import { AppError } from '../errors.js';
import { organisationOf } from '../organisations/organisation-of.js';
import { saveTimeZone } from '../organisations/settings.js';
import type { ServiceContext } from '../services/context.js';
import { policyInForce, policyProblems, savePolicyIn } from './policy-versions.js';
import { problemsByPath } from './problems-by-path.js';
import type { PolicyEdit } from './schedule-page.js';

export interface ScheduleChange {
  edit: PolicyEdit;
  timeZone: string;
  /** The version the person edited: another saved since is a problem, not an overwrite. */
  basedOnVersion: number;
  /**
   * Fields the form checked itself, in its own words ("2026-02-30 is not a day on the calendar"):
   * what it found stands instead of the policy's problems there, and nothing is saved while any do.
   */
  checkedByForm?: ReadonlyMap<string, string[]>;
}

/** A zone the platform knows, checked without caching a formatter for every spelling typed. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

export type ScheduleSaved = { ok: true } | { ok: false; problems: Map<string, string[]> };

/**
 * The schedule page's change checked without saving it: the policy it makes of the one in force, or
 * every problem by field (the form's own checks standing for the fields they cover).
 */
export async function checkSchedule(ctx: ServiceContext, change: Omit<ScheduleChange, 'basedOnVersion'>) {
  const [profile, inForce] = await Promise.all([organisationOf(ctx), policyInForce(ctx.db, ctx.orgId)]);
  const checked = policyProblems(change.edit(inForce.policy, profile.currency));
  const problems = problemsByPath('problems' in checked ? checked.problems : []);
  for (const [field, found] of change.checkedByForm ?? []) {
    for (const path of [...problems.keys()])
      if (path === field || path.startsWith(`${field}.`)) problems.delete(path);
    if (found.length > 0) problems.set(field, found);
  }
  if (!isTimeZone(change.timeZone)) problems.set('timeZone', ['must be a time zone such as Europe/London']);
  if (problems.size > 0 || !('policy' in checked)) return { ok: false as const, problems };
  return { ok: true as const, policy: checked.policy, inForce, profile, problems };
}

/**
 * Saves the schedule page: a new version of the policy and the organisation's time zone, in one
 * transaction, or every problem by field and nothing saved.
 */
export async function saveSchedule(ctx: ServiceContext, change: ScheduleChange): Promise<ScheduleSaved> {
  const checked = await checkSchedule(ctx, change);
  if (!checked.ok) return checked;
  const { profile, problems } = checked;
  try {
    await ctx.db.transaction(async (tx) => {
      await savePolicyIn(tx, {
        orgId: ctx.orgId,
        basedOnVersion: change.basedOnVersion,
        policy: checked.policy,
        actor: actorKey(ctx.actor),
      });
      if (change.timeZone !== profile.timeZone) await saveTimeZone(tx, ctx.orgId, change.timeZone);
    });
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'policy_changed') throw error;
    problems.set('form', [error.message]);
    return { ok: false, problems };
  }
  return { ok: true };
}
