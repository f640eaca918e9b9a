import { and, inArray, lt } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { inboundEmails } from '../db/schema/index.js';

/**
 * Deletes inbound emails dealt with before `olderThan`: matched ones (their reply is kept in
 * `debtor_replies`), unmatched ones nobody claimed or a person dismissed, and duplicates (SendGrid
 * retries within three days, so a month is ample to recognise one). Emails still waiting to be
 * processed are kept.
 */
export async function pruneInboundEmails(db: Database, olderThan: Date): Promise<number> {
  const deleted = await db
    .delete(inboundEmails)
    .where(
      and(
        inArray(inboundEmails.status, ['matched', 'unmatched', 'duplicate', 'dismissed']),
        lt(inboundEmails.receivedAt, olderThan),
      ),
    )
    .returning({ id: inboundEmails.id });
  return deleted.length;
}
