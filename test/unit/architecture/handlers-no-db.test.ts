import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot, typeScriptFiles } from '../../helpers/source-files.js';

const webRoot = path.join(repositoryRoot, 'src/web');

/** What a file of the web layer must not do: reach the database itself instead of through a service. */
const rules: Array<{ pattern: RegExp; says: string }> = [
  { pattern: /from\s+['"]drizzle-orm(\/[^'"]*)?['"]/, says: 'imports drizzle-orm' },
  { pattern: /from\s+['"][^'"]*\/db\/[^'"]*['"]/, says: 'imports from src/db (the schema or the client)' },
  { pattern: /\.ledger\.db\b/, says: 'reaches the database through services.ledger.db' },
];

describe('the web layer reaches the database only through services', () => {
  it('has no handler that imports drizzle or the schema, or touches services.ledger.db', () => {
    const files = typeScriptFiles(webRoot);
    expect(files.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      for (const [index, line] of lines.entries())
        for (const rule of rules)
          if (rule.pattern.test(line))
            offenders.push(`src/web/${path.relative(webRoot, file)}:${index + 1} ${rule.says}`);
    }
    // Each of these should call a service (src/<domain>/…) that takes a ServiceContext instead.
    expect(offenders).toEqual([]);
  });
});
