import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { ledgerConnections, type SyncProgress } from '../db/schema/index.js';

/** Saves where a sync is, so a page can show "Importing invoices: 4,000 so far". */
export async function recordProgress(
  db: Database,
  connectionId: string,
  progress: SyncProgress,
): Promise<void> {
  await db
    .update(ledgerConnections)
    .set({ syncProgress: progress })
    .where(eq(ledgerConnections.id, connectionId));
}

/** Marks the sync failed with a message a person can act on, keeping the counts reached so far. */
export async function recordFailure(db: Database, connectionId: string, message: string): Promise<void> {
  await db
    .update(ledgerConnections)
    .set({
      syncProgress: sql`coalesce(${ledgerConnections.syncProgress}, '{}'::jsonb) || ${JSON.stringify({ phase: 'failed', error: message.slice(0, 500) })}::jsonb`,
      lastError: message.slice(0, 500),
    })
    .where(eq(ledgerConnections.id, connectionId));
}
