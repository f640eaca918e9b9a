import { policyOf } from '../collections/policy-versions.js';
import { localeOf } from '../domain/locale.js';
import type { Policy } from '../domain/policy.js';
import { organisationOf } from '../organisations/organisation-of.js';
import type { ServiceContext } from '../services/context.js';
import { type CustomersOverview, type CustomersSort, customersOverview } from './customers-overview.js';

export interface CustomersPage {
  overview: CustomersOverview;
  locale: string;
  /** The policy and zone the journey is explained with. */
  policy: Policy;
  timeZone: string;
}

/** The customers list: one page of them, with the policy that explains how each is chased. */
export async function customersPage(
  ctx: ServiceContext,
  query: { page: number; search: string; sort: CustomersSort },
): Promise<CustomersPage> {
  const [profile, policy, overview] = await Promise.all([
    organisationOf(ctx),
    policyOf(ctx.db, ctx.orgId),
    customersOverview(ctx.db, ctx.orgId, { now: ctx.now, ...query }),
  ]);
  return { overview, locale: localeOf(profile.country), policy, timeZone: profile.timeZone };
}
