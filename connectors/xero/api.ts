import type { VendorFailure } from '../ledger.js';
import { timedOut, vendorFailure } from '../shared/failure.js';
import { headerValue, retryAfterSeconds } from '../shared/headers.js';

interface XeroErrorBody {
  Type?: string;
  Message?: string;
  Detail?: string;
  Title?: string;
  /** Xero's problem+json answers (401, 403) write their keys in lower case. */
  title?: string;
  detail?: string;
  Elements?: Array<{ ValidationErrors?: Array<{ Message?: string }> }>;
}

/** The validation messages of a ValidationException, or the message/detail Xero gave. */
export function xeroMessages(body: unknown): string {
  const parsed = (typeof body === 'string' ? safeJson(body) : body) as XeroErrorBody | null;
  if (!parsed || typeof parsed !== 'object') return typeof body === 'string' ? body : '';
  const validation = (parsed.Elements ?? []).flatMap((element) =>
    (element.ValidationErrors ?? []).flatMap((error) => (error.Message ? [error.Message] : [])),
  );
  return validation.length > 0
    ? validation.join('; ')
    : [parsed.Title ?? parsed.title, parsed.Message, parsed.Detail ?? parsed.detail]
        .filter(Boolean)
        .join(': ');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Classifies what the Xero stack rejects with: xero-node's API methods reject with a JSON string of
 * `{response: {statusCode, body, headers}, body}`; XeroClient with axios errors or `{response, body}`;
 * openid-client with an OPError carrying the OAuth `error`.
 */
export function classifyXeroFailure(error: unknown): VendorFailure {
  const record = ((typeof error === 'string' ? safeJson(error) : error) ?? {}) as {
    error?: unknown;
    error_description?: unknown;
    name?: unknown;
    message?: unknown;
    code?: unknown;
    body?: unknown;
    response?: { statusCode?: number; status?: number; body?: unknown; data?: unknown; headers?: unknown };
  };

  // No answer within the vendor HTTP timeout (shared/http-timeout.ts), from xero-node or openid-client:
  // an outage to wait out; a write retried after it repeats its Idempotency-Key.
  const timeout = timedOut(record);
  if (timeout) return vendorFailure(0, 'unavailable', timeout);

  // openid-client (token endpoint): the OAuth error name.
  if (typeof record.error === 'string' && record.error !== '') {
    const status = record.response?.statusCode ?? 400;
    if (['invalid_grant', 'invalid_client', 'unauthorized_client', 'access_denied'].includes(record.error)) {
      return vendorFailure(
        status,
        'reauth_required',
        `${record.error} ${String(record.error_description ?? '')}`.trim(),
      );
    }
    if (status >= 500) return vendorFailure(status, 'unavailable', record.error);
  }

  const response = record.response;
  const status = response?.statusCode ?? response?.status ?? 0;
  const body = record.body ?? response?.body ?? response?.data;
  const detail = xeroMessages(body) || String(record.message ?? record.code ?? 'no detail');
  if (status === 0) return vendorFailure(0, 'unavailable', detail);
  if (status === 429) {
    const problem = headerValue(response?.headers, 'x-rate-limit-problem') ?? 'unknown';
    return vendorFailure(
      429,
      'rate_limited',
      `${problem} limit: ${detail}`,
      retryAfterSeconds(response?.headers) ?? 60,
    );
  }
  if (status === 401) return vendorFailure(401, 'reauth_required', detail);
  // 403 for a tenant: the organisation removed the app (or never granted it): a reconnect is needed.
  if (status === 403) return vendorFailure(403, 'reauth_required', detail);
  if (status === 404) return vendorFailure(404, 'not_found', detail);
  if (status >= 500) return vendorFailure(status, 'unavailable', detail);
  if (status >= 400) return vendorFailure(status, 'rejected', detail);
  return vendorFailure(status, 'unexpected', detail);
}
