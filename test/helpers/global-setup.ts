import type { TestProject } from 'vitest/node';
import { runMigrations } from '../../src/db/migrate.js';
import { createScratchDatabase } from './databases.js';
import { openTestServer } from './test-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated database made for this run and dropped after it. */
    databaseUrl: string;
    /** The server's maintenance database, for tests that make databases of their own. */
    adminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await openTestServer(process.env);
  const database = await createScratchDatabase(server.adminUrl, 'test');
  await runMigrations(database.url);
  project.provide('databaseUrl', database.url);
  project.provide('adminUrl', server.adminUrl);
  return async () => {
    await database.drop();
    await server.stop();
  };
}
