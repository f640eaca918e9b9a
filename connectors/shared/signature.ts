import { createHmac, timingSafeEqual } from 'node:crypto';

/** True when `signature` is the base64 HMAC-SHA256 of the raw body under `secret`; compared in constant time. */
export function hasValidHmacSignature(
  rawBody: Buffer,
  signature: string | undefined,
  secret: string,
): boolean {
  if (!signature || !secret) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
