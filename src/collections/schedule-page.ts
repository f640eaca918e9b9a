import type { Policy } from '../domain/policy.js';
import { organisationOf } from '../organisations/organisation-of.js';
import type { ServiceContext } from '../services/context.js';
import { type PolicyInForce, policyInForce } from './policy-versions.js';

/** A form's changes on top of the policy in force (what the form does not show is kept); unchecked. */
export type PolicyEdit = (current: Policy, currency: string) => Record<string, unknown>;

export interface SchedulePage {
  inForce: PolicyInForce;
  timeZone: string;
  currency: string;
  /** The edit applied to the policy in force, when one was given (a redrawn form). */
  edited: Record<string, unknown> | null;
}

/** The schedule page: the policy in force, the organisation's zone and currency, and an edit of it. */
export async function schedulePage(ctx: ServiceContext, edit?: PolicyEdit): Promise<SchedulePage> {
  const [profile, inForce] = await Promise.all([organisationOf(ctx), policyInForce(ctx.db, ctx.orgId)]);
  return {
    inForce,
    timeZone: profile.timeZone,
    currency: profile.currency,
    edited: edit ? edit(inForce.policy, profile.currency) : null,
  };
}
