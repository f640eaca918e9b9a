import type { VendorFailure } from '../ledger.js';

/** A classified vendor failure; the vendor's words are cut to a loggable length. */
export function vendorFailure(
  status: number,
  code: VendorFailure['code'],
  detail: string,
  retryAfterSeconds: number | null = null,
): VendorFailure {
  return { status, code, detail: detail.slice(0, 500), retryAfterSeconds };
}
