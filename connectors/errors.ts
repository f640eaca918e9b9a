import type { LedgerErrorCode, Vendor } from './ledger.js';

const vendorNames: Record<Vendor, string> = { quickbooks: 'QuickBooks', xero: 'Xero' };

/** What a person can do about each kind of failure; shown on the settings page and in summaries. */
const guidance: Record<LedgerErrorCode, (vendor: string) => string> = {
  reauth_required: (vendor) =>
    `${vendor} no longer accepts Dunwell's access (it was disconnected or expired). Reconnect ${vendor} in Settings; nothing has been lost.`,
  rate_limited: (vendor) => `${vendor} asked Dunwell to slow down. It will try again shortly; nothing to do.`,
  stale_version: (vendor) =>
    `The record changed in ${vendor} while Dunwell was updating it. Dunwell re-reads and retries.`,
  not_found: (vendor) => `The record no longer exists in ${vendor} (it may have been deleted).`,
  rejected: (vendor) => `${vendor} refused the change as invalid. The details are in the activity log.`,
  not_allowed: (vendor) => `${vendor} does not allow this change for this record.`,
  unavailable: (vendor) => `${vendor} is not answering right now. Dunwell will try again.`,
  unexpected: (vendor) => `${vendor} answered in a way Dunwell did not expect. It has been logged.`,
};

/** The one error type that leaves a connector: a closed code, an actionable message, the vendor's detail. */
export class LedgerError extends Error {
  readonly code: LedgerErrorCode;
  readonly vendor: Vendor;
  /** The vendor's own words, for logs; never contains tokens. */
  readonly detail: string;
  readonly status: number;
  /** For rate_limited: how long the vendor asked us to wait before calling again. */
  readonly retryAfterSeconds: number | null;

  constructor(
    vendor: Vendor,
    code: LedgerErrorCode,
    detail: string,
    status = 0,
    retryAfterSeconds: number | null = null,
  ) {
    super(guidance[code](vendorNames[vendor]));
    this.name = 'LedgerError';
    this.vendor = vendor;
    this.code = code;
    this.detail = detail;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
