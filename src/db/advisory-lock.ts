import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Database } from './client.js';

/** Separates Dunwell's advisory locks from any other user of the same database. */
const lockNamespace = 746_311;

/**
 * Runs `work` while holding a session advisory lock on `key`, so only one holder at a time in any
 * process on this database gets past it; others wait. The lock dies with its connection, so a
 * crashed holder never leaves it taken.
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: string, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('select pg_advisory_lock($1, hashtext($2))', [lockNamespace, key]);
    try {
      return await work();
    } finally {
      await client
        .query('select pg_advisory_unlock($1, hashtext($2))', [lockNamespace, key])
        .catch((error: Error) => {
          broken = error; // discarding the connection below releases the lock
        });
    }
  } finally {
    client.release(broken);
  }
}

/**
 * Whether some other session holds the advisory lock on `key` at this moment: the lock is tried and,
 * being a transaction lock in a statement of its own, let go at once. A holder that crashed has lost
 * its connection, so its lock reads as free.
 */
export async function advisoryLockHeld(db: Database, key: string): Promise<boolean> {
  const result = await db.execute<{ free: boolean }>(
    sql`select pg_try_advisory_xact_lock(${lockNamespace}, hashtext(${key})) as free`,
  );
  return result.rows[0]?.free === false;
}
