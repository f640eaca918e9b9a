import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/** Each secret as a key object, made once: HMAC under a string secret imports it on every call. */
const keys = new Map<string, KeyObject>();

function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (key === undefined) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/** True when `signature` is the base64 HMAC-SHA256 of the raw body under `secret`; compared in constant time. */
export function hasValidHmacSignature(
  rawBody: Buffer,
  signature: string | undefined,
  secret: string,
): boolean {
  if (!signature || !secret) return false;
  const expected = createHmac('sha256', keyOf(secret)).update(rawBody).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
