import { type Vendor, vendors } from '../../connectors/vendors.js';
import { AppError } from '../errors.js';
import type { LedgerContext } from '../ledger/context.js';
import { connectorFor } from './connect.js';

/**
 * Runs the code-for-tokens exchange of an OAuth callback. A code the vendor refuses (used already, a
 * replayed callback, expired) is the person's to retry: a "start again" answer, not a 500.
 */
export async function exchangeOrStartAgain<Result>(
  ledger: LedgerContext,
  vendor: Vendor,
  startAgain: string,
  exchange: () => Promise<Result>,
): Promise<Result> {
  try {
    return await exchange();
  } catch (error) {
    if (error instanceof AppError) throw error;
    const failure = connectorFor(ledger, vendor).classifyFailure(error);
    const name = vendors[vendor].name;
    if (failure.code === 'unavailable' || failure.code === 'rate_limited')
      throw new AppError(
        503,
        'vendor_unavailable',
        `${name} did not answer. Please start again in a minute.`,
        {
          startAgain,
        },
      );
    throw new AppError(
      400,
      'oauth_failed',
      `${name} did not accept this sign-in: it may have been used already or have expired. Please start again.`,
      { startAgain },
    );
  }
}
