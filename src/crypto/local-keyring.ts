import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatKeyEntry, type Keyring, parseKeyring } from './keyring.js';

const fileName = 'token-keys';

/**
 * Zero-setup mode: the token keyring lives in the data folder, created once (mode 0600) and reused,
 * so tokens stored by one start can be read by the next. Production passes TOKEN_KEYS instead.
 */
export async function loadOrCreateLocalKeyring(dataDir: string): Promise<Keyring> {
  const file = path.join(dataDir, fileName);
  await mkdir(dataDir, { recursive: true });
  const entry = formatKeyEntry(`local-${Date.now().toString(36)}`, randomBytes(32));
  // Written aside, then hard-linked into place: link() is atomic and fails if the file exists, so
  // two processes starting at once agree on one key and neither reads a half-written file.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, `${entry}\n`, { mode: 0o600 });
  try {
    await link(draft, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  } finally {
    await unlink(draft);
  }
  const parsed = parseKeyring((await readFile(file, 'utf8')).trim());
  if (!parsed.ok) throw new Error(`${file} is not a valid keyring: ${parsed.problems.join('; ')}`);
  return parsed.keyring;
}
