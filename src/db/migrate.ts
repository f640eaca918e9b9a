import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { projectRoot } from '../paths.js';

export const migrationsFolder = path.join(projectRoot(), 'drizzle');

// Any constant shared by every Dunwell process; it only names the advisory lock.
const migrationLockKey = 746_311_001;

/**
 * Applies the SQL migrations in `drizzle/`. Processes starting together (web and worker, or several
 * machines) take turns on an advisory lock, so each migration runs once.
 */
export async function runMigrations(databaseUrl: string, folder = migrationsFolder): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'dunwell-migrate' });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [migrationLockKey]);
    await migrate(drizzle(client), { migrationsFolder: folder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    await client.end();
  }
}
