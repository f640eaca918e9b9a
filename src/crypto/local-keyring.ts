import { randomBytes } from 'node:crypto';
import { formatKeyEntry, type Keyring, parseKeyring } from './keyring.js';
import { loadOrCreateLocalSecret } from './local-secret.js';

const fileName = 'token-keys';

/** Zero-setup mode: the token keyring lives in the data folder, created once and reused. */
export async function loadOrCreateLocalKeyring(dataDir: string): Promise<Keyring> {
  const text = await loadOrCreateLocalSecret(dataDir, fileName, () =>
    formatKeyEntry(`local-${Date.now().toString(36)}`, randomBytes(32)),
  );
  const parsed = parseKeyring(text);
  if (!parsed.ok)
    throw new Error(`${fileName} in ${dataDir} is not a valid keyring: ${parsed.problems.join('; ')}`);
  return parsed.keyring;
}
