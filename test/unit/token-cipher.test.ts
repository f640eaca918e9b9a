import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatKeyEntry, type Keyring, parseKeyring } from '../../src/crypto/keyring.js';
import { createTokenCipher, TokenDecryptionError } from '../../src/crypto/token-cipher.js';

function keyring(...entries: Array<[string, Buffer]>): Keyring {
  const parsed = parseKeyring(entries.map(([id, key]) => formatKeyEntry(id, key)).join(','));
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.keyring;
}

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const refreshToken = 'AB11595011540tXdNGiKCHmTMAcBMXUMVXyu4v7s8VXOaeQHDZ';

/** Returns `sealed` with byte `index` (negative: from the end) of its `part`-th segment changed. */
function flipByte(sealed: string, part: number, index = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part] ?? '', 'base64url');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('token cipher', () => {
  const cipher = createTokenCipher(keyring(['old', oldKey]));

  it('round-trips a token and never shows it in the sealed form', () => {
    const sealed = cipher.encrypt(refreshToken, 'connection:1');
    expect(sealed).not.toContain(refreshToken);
    expect(sealed.startsWith('v1.old.')).toBe(true);
    expect(cipher.decrypt(sealed, 'connection:1')).toBe(refreshToken);
  });

  it('uses a fresh nonce for every encryption', () => {
    expect(cipher.encrypt(refreshToken, 'c')).not.toBe(cipher.encrypt(refreshToken, 'c'));
  });

  it('detects a changed ciphertext, nonce or tag', () => {
    const sealed = cipher.encrypt(refreshToken, 'connection:1');
    const nonce = flipByte(sealed, 2);
    const ciphertext = flipByte(sealed, 3);
    const tag = flipByte(sealed, 3, -1);
    for (const tampered of [nonce, ciphertext, tag]) {
      expect(tampered).not.toBe(sealed);
      expect(() => cipher.decrypt(tampered, 'connection:1')).toThrow(TokenDecryptionError);
    }
    expect(() => cipher.decrypt(sealed.slice(0, -4), 'connection:1')).toThrow(TokenDecryptionError);
  });

  it('refuses a token moved to another record', () => {
    const sealed = cipher.encrypt(refreshToken, 'connection:1');
    expect(() => cipher.decrypt(sealed, 'connection:2')).toThrow(/sealed for another record/);
  });

  it('refuses a token relabelled with another key id', () => {
    const both = createTokenCipher(keyring(['new', newKey], ['old', oldKey]));
    const sealed = both.encrypt(refreshToken, 'c');
    expect(() => both.decrypt(sealed.replace('v1.new.', 'v1.old.'), 'c')).toThrow(TokenDecryptionError);
  });

  it('refuses values that are not sealed tokens', () => {
    for (const value of ['', 'plain-token', 'v2.old.aaa.bbb', 'v1.old..bbb']) {
      expect(() => cipher.decrypt(value, 'c')).toThrow(TokenDecryptionError);
    }
  });

  describe('rotation', () => {
    const sealedWithOld = cipher.encrypt(refreshToken, 'connection:9');
    const rotated = createTokenCipher(keyring(['new', newKey], ['old', oldKey]));

    it('opens tokens sealed with the previous key and seals new ones with the new key', () => {
      expect(rotated.decrypt(sealedWithOld, 'connection:9')).toBe(refreshToken);
      const resealed = rotated.encrypt(rotated.decrypt(sealedWithOld, 'connection:9'), 'connection:9');
      expect(resealed.startsWith('v1.new.')).toBe(true);
      expect(rotated.needsReencryption(sealedWithOld)).toBe(true);
      expect(rotated.needsReencryption(resealed)).toBe(false);
    });

    it('after the old key is dropped, says which key is missing', () => {
      const newOnly = createTokenCipher(keyring(['new', newKey]));
      expect(() => newOnly.decrypt(sealedWithOld, 'connection:9')).toThrow(/key "old" is not in TOKEN_KEYS/);
    });
  });
});
