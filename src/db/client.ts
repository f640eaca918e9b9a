import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Logger } from '../logger.js';
import * as schema from './schema/index.js';

export type Database = NodePgDatabase<typeof schema>;

export interface DatabaseHandle {
  db: Database;
  pool: pg.Pool;
}

// Return bigint (int8) and numeric counts as numbers: minor units stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export function connectDatabase(url: string, options: { poolMax: number; logger: Logger }): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax,
    connectionTimeoutMillis: 5_000,
    application_name: 'dunwell',
  });
  // An idle client that loses its server emits 'error' on the pool; unhandled, it would end the process.
  // Only the message and code: the error carries the client, with its connection parameters.
  pool.on('error', (error: Error & { code?: string }) =>
    options.logger.warn({ error: error.message, code: error.code }, 'idle database connection lost'),
  );
  return { db: drizzle(pool, { schema }), pool };
}

/** A transaction of `Database`, for helpers that run inside one. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Either: a helper that writes works alone or inside a caller's transaction. */
export type Writer = Database | Transaction;
