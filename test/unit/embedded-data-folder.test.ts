import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { createLogger } from '../../src/logger.js';

describe('a data folder the embedded database cannot use', () => {
  let scratch = '';
  afterAll(() => (scratch ? rm(scratch, { recursive: true, force: true }) : undefined));

  it('says which setting to change, not what initdb or mkdir said', async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'dunwell-data-'));
    // A file where the folder should be: nothing can be made under it.
    const inTheWay = path.join(scratch, 'not-a-folder');
    await writeFile(inTheWay, 'a file');
    const dataDir = path.join(inTheWay, 'data');
    const error = await startEmbeddedPostgres({ dataDir, logger: createLogger('silent') }).then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain(`DATA_DIR (${dataDir})`);
    expect(message).toContain('cannot use this folder');
    expect(message).toContain('DATABASE_URL');
  });
});
