import type { ServiceContext } from '../services/context.js';
import { policyHistory } from './policy-versions.js';

/** The saved versions of the organisation's policy, newest first: who saved each, and when. */
export function policyHistoryOf(ctx: ServiceContext) {
  return policyHistory(ctx.db, ctx.orgId);
}
