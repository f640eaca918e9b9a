import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { createLogger } from '../../src/logger.js';

export interface TestServer {
  /** URL of a maintenance database on a server where this run may create and drop databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * The PostgreSQL server tests use: TEST_DATABASE_URL when given (CI's local server), otherwise an
 * embedded one in a temporary folder, so `npm test` passes on a machine with nothing installed.
 */
export async function openTestServer(environment: NodeJS.ProcessEnv): Promise<TestServer> {
  const given = environment['TEST_DATABASE_URL'];
  if (given) return { adminUrl: given, stop: async () => undefined };
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dunwell-test-pg-'));
  await chmod(dataDir, 0o755); // the server may run as the `postgres` user, who must reach it
  const embedded = await startEmbeddedPostgres({
    dataDir,
    logger: createLogger('warn'),
    database: 'postgres',
  });
  return {
    adminUrl: embedded.adminUrl,
    async stop() {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
