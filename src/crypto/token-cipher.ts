import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.js';

const algorithm = 'aes-256-gcm';
const version = 'v1';
const ivBytes = 12;
const tagBytes = 16;

export class TokenDecryptionError extends Error {
  constructor(reason: string) {
    super(`Cannot decrypt a stored token: ${reason}`);
    this.name = 'TokenDecryptionError';
  }
}

export interface TokenCipher {
  /** Seals `plaintext` with the active key; `context` (e.g. a connection id) must match on decrypt. */
  encrypt(plaintext: string, context: string): string;
  /** Opens a sealed value with whichever key sealed it; throws TokenDecryptionError if tampered. */
  decrypt(sealed: string, context: string): string;
  /** True when the value was sealed with a key other than the active one. */
  needsReencryption(sealed: string): boolean;
}

/**
 * Sealed format: `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url). The key id is stored so keys can
 * rotate; it and the caller's context are bound as associated data, so a sealed value cannot be
 * moved to another row or relabelled with another key id without failing authentication.
 */
export function createTokenCipher(keyring: Keyring): TokenCipher {
  const activeKey = keyring.keys.get(keyring.activeId);
  if (!activeKey) throw new Error('keyring has no active key');

  return {
    encrypt(plaintext, context) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv(algorithm, activeKey, iv, { authTagLength: tagBytes });
      cipher.setAAD(associatedData(keyring.activeId, context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return [version, keyring.activeId, iv.toString('base64url'), body.toString('base64url')].join('.');
    },

    decrypt(sealed, context) {
      const { keyId, iv, body } = split(sealed);
      const key = keyring.keys.get(keyId);
      if (!key) throw new TokenDecryptionError(`key "${keyId}" is not in TOKEN_KEYS`);
      if (body.length < tagBytes) throw new TokenDecryptionError('value is truncated');
      const decipher = createDecipheriv(algorithm, key, iv, { authTagLength: tagBytes });
      decipher.setAAD(associatedData(keyId, context));
      decipher.setAuthTag(body.subarray(body.length - tagBytes));
      try {
        return Buffer.concat([
          decipher.update(body.subarray(0, body.length - tagBytes)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new TokenDecryptionError('authentication failed (tampered, or sealed for another record)');
      }
    },

    needsReencryption(sealed) {
      return split(sealed).keyId !== keyring.activeId;
    },
  };
}

function split(sealed: string): { keyId: string; iv: Buffer; body: Buffer } {
  const parts = sealed.split('.');
  const [prefix, keyId, iv, body] = parts;
  if (parts.length !== 4 || prefix !== version || !keyId || !iv || !body) {
    throw new TokenDecryptionError('not a sealed token');
  }
  const ivBuffer = Buffer.from(iv, 'base64url');
  if (ivBuffer.length !== ivBytes) throw new TokenDecryptionError('bad nonce');
  return { keyId, iv: ivBuffer, body: Buffer.from(body, 'base64url') };
}

function associatedData(keyId: string, context: string): Buffer {
  return Buffer.from(`dunwell:${version}:${keyId}:${context}`, 'utf8');
}
