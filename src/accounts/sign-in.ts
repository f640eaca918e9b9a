import type { Vendor } from '../../connectors/vendors.js';
import { connectorFor } from '../connections/connect.js';
import { exchangeOrStartAgain } from '../connections/vendor-exchange.js';
import { AppError } from '../errors.js';
import type { LedgerContext } from '../ledger/context.js';
import { knownUser } from './users.js';

/**
 * Finishes "Sign in with …" from the vendor's callback: who signed in, when the vendor vouches for
 * their email address; null when the login was never seen (signing in never creates an account).
 */
export async function signInWithVendor(
  ledger: LedgerContext,
  request: {
    vendor: Vendor;
    callback: { callbackUrl: string; redirectUri: string; codeVerifier?: string };
    /** Where the person starts again when the vendor refuses the callback. */
    startAgain: string;
  },
): Promise<string | null> {
  const identity = await exchangeOrStartAgain(ledger, request.vendor, request.startAgain, () =>
    connectorFor(ledger, request.vendor).identify(request.callback),
  );
  if (!identity.email || !identity.emailVerified)
    throw new AppError(
      403,
      'email_not_verified',
      'Your sign-in has no verified email address. Please verify it with your accounting package and try again.',
    );
  return knownUser(ledger.db, request.vendor, identity.subject);
}
