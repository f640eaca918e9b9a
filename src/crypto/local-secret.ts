import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Zero-setup mode: a secret kept in the data folder, created once (mode 0600) by `make` and reused,
 * so what one start sealed or signed the next can read. Production passes secrets in the environment.
 */
export async function loadOrCreateLocalSecret(
  dataDir: string,
  fileName: string,
  make: () => string,
): Promise<string> {
  const file = path.join(dataDir, fileName);
  await mkdir(dataDir, { recursive: true });
  // Written aside, then hard-linked into place: link() is atomic and fails if the file exists, so
  // two processes starting at once agree on one secret and neither reads a half-written file.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, `${make()}\n`, { mode: 0o600 });
  try {
    await link(draft, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  } finally {
    await unlink(draft);
  }
  return (await readFile(file, 'utf8')).trim();
}
