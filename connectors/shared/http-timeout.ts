import { createRequire } from 'node:module';
import type { AxiosStatic } from 'axios';

/**
 * How long a vendor call may go without an answer before it is given up, unless the settings say
 * otherwise (VENDOR_HTTP_TIMEOUT_MS). Well above the slowest page the vendors serve, well below the
 * job expiries, so a call to a vendor that accepted the connection and never answers cannot hold a
 * sync or a delivery for ever.
 */
export const defaultVendorHttpTimeoutMs = 30_000;

// node-quickbooks, intuit-oauth and xero-node all require() axios and call its default instance, the
// CommonJS build: an ES import would be another instance, so the interceptor goes on this one.
const axios = createRequire(import.meta.url)('axios') as AxiosStatic;

/** The timeout of each vendor origin (`https://quickbooks.api.intuit.com`, an emulator's base). */
const timeouts = new Map<string, number>();
let interceptorInstalled = false;

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Gives every request to these URLs' origins axios's own `timeout` (milliseconds without an answer).
 *
 * Why an interceptor: none of the three client libraries takes a timeout for its calls. node-quickbooks
 * builds each request itself and calls `axios(opts)` with no way to add options; intuit-oauth's token
 * calls do the same (its `timeout` is only for `makeApiCall`, which Dunwell does not use); xero-node's
 * `httpTimeout` only reaches openid-client, and only through `initialize()`, which Dunwell does not
 * call. All three use the process's one default axios instance, so one request interceptor there sets
 * the option axios already has, on vendor requests only (SendGrid and others are left alone).
 *
 * Process-wide, like the libraries' own shared state: the connector configured last for an origin
 * sets its timeout. A request the library already gave a timeout keeps it.
 *
 * A timed-out call rejects with axios's ECONNABORTED error; each connector's `classifyFailure` makes it
 * `unavailable` (see `timedOut` in failure.ts), which the connection layer retries with backoff and the
 * jobs retry after that. That is safe for writes too, even when the vendor applied the write and only
 * its answer was lost: every write carries an idempotency key (QuickBooks `requestid`, Xero
 * `Idempotency-Key`) and a retry sends the same key, so the vendor answers the retry with the first
 * result instead of writing again (the connection layer's retries come within seconds; how long Intuit
 * keeps a requestid is not documented, Xero keeps a key for minutes); Xero credits are also looked up by their tag before a new credit
 * note is made, and a credit is capped at what the ledger still says is owed. The one gap: Xero keeps
 * an Idempotency-Key for minutes only and a note (invoice History) is not looked up before it is
 * appended, so a note whose answer was lost and whose retries all fail until that window has passed
 * (job retries 1, 2 and 4 minutes apart) may land twice.
 */
export function timeVendorRequests(urls: readonly string[], timeoutMs: number): void {
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`A vendor HTTP timeout must be a positive number of milliseconds, not ${timeoutMs}`);
  }
  for (const url of urls) {
    const origin = originOf(url);
    if (origin) timeouts.set(origin, timeoutMs);
  }
  if (interceptorInstalled) return;
  interceptorInstalled = true;
  axios.interceptors.request.use((request) => {
    if (request.timeout || !request.url) return request;
    const origin = originOf(request.url);
    const timeoutMs = origin ? timeouts.get(origin) : undefined;
    if (timeoutMs !== undefined) request.timeout = timeoutMs;
    return request;
  });
}
