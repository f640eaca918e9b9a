import { actorKey } from '../domain/actor.js';
import type { ServiceContext } from '../services/context.js';
import { type PolicyInForce, savePolicy } from './policy-versions.js';

/**
 * Saves a new version of the collection policy, by whom the context says; 400 with every problem
 * when it is not valid, 409 when another version was saved since `basedOnVersion`.
 */
export function savePolicyVersion(
  ctx: ServiceContext,
  request: { basedOnVersion: number; policy: unknown },
): Promise<PolicyInForce> {
  return savePolicy(ctx.db, { orgId: ctx.orgId, ...request, actor: actorKey(ctx.actor) });
}
