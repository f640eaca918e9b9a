import { and, inArray, lt } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { webhookInbox } from '../db/schema/index.js';

/** Deletes webhook events that were dealt with before `olderThan`; unprocessed events are kept. */
export async function pruneWebhookInbox(db: Database, olderThan: Date): Promise<number> {
  const deleted = await db
    .delete(webhookInbox)
    .where(
      and(inArray(webhookInbox.status, ['processed', 'ignored']), lt(webhookInbox.receivedAt, olderThan)),
    )
    .returning({ id: webhookInbox.id });
  return deleted.length;
}
