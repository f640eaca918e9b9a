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

const timeoutWords = /timeout of \d+ms exceeded|timed out after \d+ ?ms/i;

/**
 * What a request that got no answer in time rejects with, in the words the client library used, or
 * null for any other failure: axios (node-quickbooks, intuit-oauth, xero-node) fails with code
 * ECONNABORTED and "timeout of 200ms exceeded" (ETIMEDOUT with clarifyTimeoutError); intuit-oauth
 * wraps that message into its `error`; xero-node's API methods reject with a JSON string whose `body`
 * is the message; openid-client (Xero's token calls) says "outgoing request timed out after 200ms".
 */
export function timedOut(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const record = error as {
    code?: unknown;
    message?: unknown;
    error?: unknown;
    originalMessage?: unknown;
    body?: unknown;
    response?: unknown;
  };
  const words = [record.message, record.error, record.originalMessage, record.body]
    .filter((value): value is string => typeof value === 'string')
    .find((value) => timeoutWords.test(value));
  const status = (record.response as { status?: unknown; statusCode?: unknown } | undefined) ?? {};
  const answered = Number(status.status ?? status.statusCode ?? 0) > 0;
  if (answered) return null;
  if (words) return `no answer in time: ${words}`;
  if (record.code === 'ECONNABORTED' || record.code === 'ETIMEDOUT') {
    return `no answer in time: ${String(record.code)} ${String(record.message ?? '')}`.trim();
  }
  return null;
}
