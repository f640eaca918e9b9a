import { type Vendor, vendors } from '../../connectors/vendors.js';
import { joinOrganisation, userForIdentity } from '../accounts/users.js';
import { AppError } from '../errors.js';
import type { LedgerContext } from '../ledger/context.js';
import { offerOwnerDefaults } from '../organisations/owner-defaults.js';
import type { SyncRequests } from '../sync/sync-requests.js';
import { type ConnectOutcome, completeConnect } from './connect.js';
import { exchangeOrStartAgain } from './vendor-exchange.js';

/**
 * Finishes "Connect" from the vendor's callback: the person who consented becomes (or stays) a user,
 * joined to the browser's user when signed in; one company is connected and they join its
 * organisation (a new one takes their verified address as its defaults); several are kept aside for
 * them to choose from.
 */
export async function connectBooks(
  ledger: LedgerContext,
  requests: SyncRequests,
  request: {
    vendor: Vendor;
    callback: { callbackUrl: string; redirectUri: string; codeVerifier?: string };
    signedInUserId: string | null;
    /** Where the person starts again when the vendor refuses the callback. */
    startAgain: string;
  },
): Promise<ConnectOutcome> {
  const { vendor } = request;
  const outcome = await exchangeOrStartAgain(ledger, vendor, request.startAgain, () =>
    completeConnect(ledger, requests, vendor, request.callback, async (identity) => {
      if (!identity)
        throw new AppError(
          403,
          'no_identity',
          `${vendors[vendor].name} did not say who you are. Please try again.`,
        );
      return userForIdentity(ledger.db, vendor, identity, request.signedInUserId);
    }),
  );
  if (outcome.kind === 'connected') {
    await joinOrganisation(ledger.db, outcome.userId, outcome.orgId);
    if (!outcome.reconnected) await offerOwnerDefaults(ledger.db, outcome.orgId, outcome.userId);
  }
  return outcome;
}
