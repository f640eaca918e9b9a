import { createHash } from 'node:crypto';
import nodeQuickBooks, { type QuickBooks as QuickBooksClient } from 'node-quickbooks';
import type { VendorFailure } from '../ledger.js';
import { timedOut, vendorFailure } from '../shared/failure.js';
import { retryAfterSeconds } from '../shared/headers.js';
import { defaultVendorHttpTimeoutMs, timeVendorRequests } from '../shared/http-timeout.js';
import { intuitEndpoints, minorVersion, type QuickBooksConfig } from './config.js';

// node-quickbooks is CommonJS (module.exports is the class) while its types declare an ES default.
const QuickBooks = nodeQuickBooks as unknown as typeof QuickBooksClient;

export type { QuickBooksClient };

/** A node-quickbooks client for one call; its endpoint is set on the instance, not globally. */
export function quickBooksClient(
  config: QuickBooksConfig,
  realmId: string,
  accessToken: string,
): QuickBooksClient {
  const client = new QuickBooks(
    config.clientId,
    config.clientSecret,
    accessToken,
    false,
    realmId,
    config.environment === 'sandbox',
    false,
    String(minorVersion),
    '2.0',
  );
  client.endpoint = (config.endpoints ?? intuitEndpoints(config.environment)).apiBase;
  return client;
}

/**
 * Puts the vendor HTTP timeout on every call to Intuit's hosts (or the emulator's): node-quickbooks's
 * API calls and intuit-oauth's token, revoke and user-info calls, which both make through axios without
 * a timeout of their own and no option to pass one (see shared/http-timeout.ts).
 */
export function timeQuickBooksRequests(config: QuickBooksConfig): void {
  const endpoints = config.endpoints ?? intuitEndpoints(config.environment);
  timeVendorRequests(Object.values(endpoints), config.httpTimeoutMs ?? defaultVendorHttpTimeoutMs);
}

type Callback<Result> = (error: unknown, result: Result) => void;

/** Wraps a node-quickbooks callback call in a promise that rejects with what the library reported. */
export function invoke<Result>(start: (callback: Callback<Result>) => void): Promise<Result> {
  return new Promise((resolve, reject) => {
    start((error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** Intuit's requestid is at most 50 characters; longer keys are hashed, deterministically. */
export function requestId(idempotencyKey: string): string {
  if (idempotencyKey.length <= 50) return idempotencyKey;
  return `h-${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 43)}`;
}

const throttleWaitSeconds = 60;

interface IntuitFault {
  Error?: Array<{ Message?: string; Detail?: string; code?: string }>;
  error?: Array<{ message?: string; detail?: string; code?: string }>;
  type?: string;
}

function faultOf(body: unknown): IntuitFault | null {
  if (!body || typeof body !== 'object') return null;
  const record = body as { Fault?: IntuitFault; fault?: IntuitFault };
  return record.Fault ?? record.fault ?? null;
}

function firstError(fault: IntuitFault): { code: string; text: string } {
  const upper = fault.Error?.[0];
  const lower = fault.error?.[0];
  const code = upper?.code ?? lower?.code ?? '';
  const text = [upper?.Message ?? lower?.message, upper?.Detail ?? lower?.detail].filter(Boolean).join(': ');
  return { code, text };
}

/**
 * Classifies what node-quickbooks (an AxiosError, or the Fault body of a 200) and intuit-oauth (an
 * Error with `error` = the OAuth error) reject with.
 */
export function classifyQuickBooksFailure(error: unknown): VendorFailure {
  const record = (error ?? {}) as {
    error?: unknown;
    error_description?: unknown;
    authResponse?: { response?: { status?: number } };
    response?: { status?: number; data?: unknown; headers?: unknown };
    code?: unknown;
    message?: unknown;
  };

  // No answer within the vendor HTTP timeout (shared/http-timeout.ts), from either library: an outage
  // to wait out, like a 5xx; a write retried after it repeats its requestid, so it cannot land twice.
  const timeout = timedOut(error);
  if (timeout) return vendorFailure(0, 'unavailable', timeout);

  // intuit-oauth: token endpoint errors carry the OAuth error name.
  if (typeof record.error === 'string' && record.error !== '') {
    const oauthStatus = record.authResponse?.response?.status ?? 400;
    if (
      record.error === 'invalid_grant' ||
      record.error === 'invalid_client' ||
      record.error === 'unauthorized_client'
    ) {
      return vendorFailure(
        oauthStatus,
        'reauth_required',
        `${record.error} ${String(record.error_description ?? '')}`.trim(),
      );
    }
    if (oauthStatus >= 500 || /ECONN|ETIMEDOUT|Network/i.test(record.error)) {
      return vendorFailure(oauthStatus, 'unavailable', record.error);
    }
  }

  // node-quickbooks reads the answer itself: a body not in the JSON shape it expects (XML, an empty
  // body) fails inside it as a TypeError. That is no outage to wait out.
  if (error instanceof TypeError && record.response === undefined) {
    return vendorFailure(0, 'unexpected', `the answer could not be read: ${error.message}`);
  }

  const response = record.response;
  const status = response?.status ?? (faultOf(error) ? 400 : 0);
  const body = response ? response.data : error;
  const fault = faultOf(body);
  const { code: faultCode, text } = fault ? firstError(fault) : { code: '', text: '' };
  const detail = text || (typeof body === 'string' ? body : String(record.message ?? 'no detail'));

  if (status === 0) {
    return vendorFailure(
      0,
      'unavailable',
      `${String(record.code ?? '')} ${String(record.message ?? '')}`.trim(),
    );
  }
  if (
    status === 429 ||
    faultCode === '3001' ||
    (typeof body === 'string' && body.includes('ThrottleExceeded'))
  ) {
    // Intuit sends no Retry-After; its limits page says to wait 60 seconds (the throttle is per minute).
    return vendorFailure(
      429,
      'rate_limited',
      detail,
      retryAfterSeconds(response?.headers) ?? throttleWaitSeconds,
    );
  }
  if (status === 401 || faultCode === '3200' || fault?.type === 'AUTHENTICATION') {
    return vendorFailure(401, 'reauth_required', detail);
  }
  if (status === 403) return vendorFailure(403, 'not_allowed', detail);
  if (faultCode === '5010') return vendorFailure(status, 'stale_version', detail);
  if (status === 404 || faultCode === '610') return vendorFailure(status, 'not_found', detail);
  if (status >= 500) return vendorFailure(status, 'unavailable', detail);
  if (status >= 400) return vendorFailure(status, 'rejected', detail);
  return vendorFailure(status, 'unexpected', detail);
}
