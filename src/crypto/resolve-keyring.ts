import type { Config } from '../config.js';
import type { Keyring } from './keyring.js';
import { loadOrCreateLocalKeyring } from './local-keyring.js';

/** TOKEN_KEYS when set; otherwise (never in production: config refuses) the data folder's keyring. */
export async function resolveKeyring(config: Config): Promise<Keyring> {
  return config.tokenKeys ?? loadOrCreateLocalKeyring(config.dataDir);
}
