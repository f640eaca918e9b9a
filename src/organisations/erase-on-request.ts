import type { LedgerContext } from '../ledger/context.js';
import type { ServiceContext } from '../services/context.js';
import { revokeAndEraseOrganisation } from './erase.js';
import { organisationOf } from './organisation-of.js';

/**
 * "Delete all our data", confirmed by typing the organisation's name: revokes the grants and erases
 * everything of it. Any other name erases nothing.
 */
export async function eraseOnRequest(
  ctx: ServiceContext,
  ledger: LedgerContext,
  confirmName: string,
): Promise<{ erased: true } | { erased: false; reason: 'name_mismatch' }> {
  const profile = await organisationOf(ctx);
  if (confirmName.trim() !== profile.name) return { erased: false, reason: 'name_mismatch' };
  await revokeAndEraseOrganisation(ledger, ctx.orgId);
  return { erased: true };
}
