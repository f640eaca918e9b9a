import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Keyring } from './keyring.js';
import { loadOrCreateLocalKeyring } from './local-keyring.js';
import { loadOrCreateLocalSecret } from './local-secret.js';

/** TOKEN_KEYS when set; otherwise (never in production: config refuses) the data folder's keyring. */
export async function resolveKeyring(config: Config): Promise<Keyring> {
  return config.tokenKeys ?? loadOrCreateLocalKeyring(config.dataDir);
}

/** SESSION_SECRET when set; otherwise (never in production) one kept in the data folder. */
export async function resolveSessionSecret(config: Config): Promise<string> {
  return (
    config.sessionSecret ??
    loadOrCreateLocalSecret(config.dataDir, 'session-secret', () => randomBytes(32).toString('base64url'))
  );
}
