import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';

/**
 * Keeps the planner's statistics up with an evaluation's own bulk writes. Each batch reads the steps
 * and messages of its debtors; on tables an evaluation has just filled (a first evaluation over a
 * large backlog, or a large new organisation beside small ones) PostgreSQL has no statistics for
 * the organisation yet, takes it for a few rows, and reads all of them for every batch instead of
 * each debtor's (0.5 s a batch instead of 20 ms at a million invoices). Autovacuum catches up only a
 * minute or more later, and not at all where it is off, so the evaluation asks for an ANALYZE after
 * every doubling of what it wrote (5 times for a million invoices, a fraction of a second each).
 */
export function statisticsKeeper(db: Database, firstAfterRows = 20_000) {
  let written = 0;
  let nextAt = firstAfterRows;
  let running: Promise<unknown> | null = null;
  return async (rows: number) => {
    written += rows;
    if (written < nextAt || running) return;
    nextAt = written * 2;
    // Statistics only speed reads up: a refused ANALYZE (no ownership) leaves the plans as they were.
    running = db.execute(sql`analyze collection_steps, outbound_messages`).catch(() => undefined);
    await running;
    running = null;
  };
}
