import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateLocalKeyring } from '../../src/crypto/local-keyring.js';
import { createTokenCipher } from '../../src/crypto/token-cipher.js';

describe('local keyring (zero-setup mode)', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'dunwell-keys-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('creates a private key file once and reuses it, so tokens survive a restart', async () => {
    const first = await loadOrCreateLocalKeyring(dataDir);
    const sealed = createTokenCipher(first).encrypt('refresh-token', 'c1');
    const second = await loadOrCreateLocalKeyring(dataDir);
    expect(second.activeId).toBe(first.activeId);
    expect(createTokenCipher(second).decrypt(sealed, 'c1')).toBe('refresh-token');
    expect((await stat(path.join(dataDir, 'token-keys'))).mode & 0o777).toBe(0o600);
  });

  it('agrees on one key when many starts race', async () => {
    const keyrings = await Promise.all(Array.from({ length: 20 }, () => loadOrCreateLocalKeyring(dataDir)));
    expect(new Set(keyrings.map((ring) => ring.activeId)).size).toBe(1);
    expect((await readFile(path.join(dataDir, 'token-keys'), 'utf8')).trim().split('\n')).toHaveLength(1);
  });
});
