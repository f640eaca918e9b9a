import type { Vendor } from '../../connectors/vendors.js';
import { joinOrganisation } from '../accounts/users.js';
import type { LedgerContext } from '../ledger/context.js';
import { offerOwnerDefaults } from '../organisations/owner-defaults.js';
import type { SyncRequests } from '../sync/sync-requests.js';
import { type ConnectResult, completeChoice } from './connect.js';

/** Connects the company the person chose from a grant that covered several, and makes them its member. */
export async function chooseCompany(
  ledger: LedgerContext,
  requests: SyncRequests,
  request: { vendor: Vendor; choiceId: string; tenantId: string; userId: string },
): Promise<ConnectResult> {
  const result = await completeChoice(ledger, requests, request.vendor, request.choiceId, request.tenantId);
  await joinOrganisation(ledger.db, request.userId, result.orgId);
  if (!result.reconnected) await offerOwnerDefaults(ledger.db, result.orgId, request.userId);
  return result;
}
