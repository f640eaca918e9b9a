import { readdirSync } from 'node:fs';
import path from 'node:path';

/** The repository's root, for tests that read its own source. */
export const repositoryRoot = path.resolve(import.meta.dirname, '../..');

/** Every TypeScript file under a folder, at any depth. */
export function typeScriptFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}
