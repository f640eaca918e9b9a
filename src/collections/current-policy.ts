import type { ServiceContext } from '../services/context.js';
import { type PolicyInForce, policyInForce } from './policy-versions.js';

/** The organisation's collection policy in force, with its version (0: the defaults). */
export function currentPolicy(ctx: ServiceContext): Promise<PolicyInForce> {
  return policyInForce(ctx.db, ctx.orgId);
}
