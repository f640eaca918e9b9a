import type { LedgerEvent, Vendor } from '../../connectors/ledger.js';
import type { Database } from '../db/client.js';
import { webhookInbox } from '../db/schema/index.js';

/** Stores verified events in the inbox; an event seen before (vendors deliver at least once) is dropped. */
export async function storeWebhookEvents(
  db: Database,
  vendor: Vendor,
  events: LedgerEvent[],
): Promise<number> {
  if (events.length === 0) return 0;
  const stored = await db
    .insert(webhookInbox)
    .values(
      events.map((event) => ({
        vendor,
        eventId: event.eventId,
        tenantId: event.tenantId,
        payload: { ...event },
      })),
    )
    .onConflictDoNothing({ target: [webhookInbox.vendor, webhookInbox.eventId] })
    .returning({ id: webhookInbox.id });
  return stored.length;
}
