import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { ledgerConnections, webhookInbox } from '../db/schema/index.js';
import type { SyncRequests } from './sync-requests.js';

const batchSize = 500;

/**
 * Takes received webhook events, finds the connection each one is about, and asks for one
 * incremental sync per connection: the sync re-reads what changed (events can be late, repeated
 * or out of order, so they are a trigger, never the data). Events for unknown tenants are ignored.
 */
export async function routeWebhookEvents(
  db: Database,
  requests: SyncRequests,
): Promise<{ routed: number; ignored: number }> {
  const requested = new Set<string>();
  let routed = 0;
  let ignored = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const events = await tx
        .select({ id: webhookInbox.id, vendor: webhookInbox.vendor, tenantId: webhookInbox.tenantId })
        .from(webhookInbox)
        .where(eq(webhookInbox.status, 'received'))
        .orderBy(asc(webhookInbox.receivedAt))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (events.length === 0) return 0;
      const tenants = [...new Set(events.flatMap((event) => event.tenantId ?? []))];
      const connections = tenants.length
        ? await tx
            .select({
              id: ledgerConnections.id,
              orgId: ledgerConnections.orgId,
              vendor: ledgerConnections.vendor,
              tenantId: ledgerConnections.tenantId,
            })
            .from(ledgerConnections)
            .where(and(inArray(ledgerConnections.tenantId, tenants), eq(ledgerConnections.status, 'active')))
        : [];
      for (const event of events) {
        const matches = connections.filter((c) => c.vendor === event.vendor && c.tenantId === event.tenantId);
        const first = matches[0];
        // Requested before the events are marked done: a crash in between repeats a sync (absorbed
        // by the queue's dedupe) rather than losing one.
        for (const match of matches) {
          if (!requested.has(match.id)) await requests.sync(match.id, 'incremental');
          requested.add(match.id);
        }
        await tx
          .update(webhookInbox)
          .set({
            status: first ? 'processed' : 'ignored',
            orgId: first?.orgId ?? null,
            processedAt: sql`now()`,
            attempts: sql`${webhookInbox.attempts} + 1`,
          })
          .where(eq(webhookInbox.id, event.id));
        if (first) routed += 1;
        else ignored += 1;
      }
      return events.length;
    });
    if (batch < batchSize) break;
  }
  return { routed, ignored };
}
