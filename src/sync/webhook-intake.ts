import type { LedgerEvent, Vendor } from '../../connectors/ledger.js';
import type { Database } from '../db/client.js';
import { webhookInbox } from '../db/schema/index.js';
import { storable } from '../domain/text.js';

interface Waiting {
  vendor: Vendor;
  events: LedgerEvent[];
  resolve: (stored: number) => void;
  reject: (error: unknown) => void;
}

const keyOf = (vendor: string, eventId: string) => `${vendor}\u0001${eventId}`;

/**
 * The webhook inbox's writer. Verified events are stored before the vendor gets its 200; an event
 * seen before (vendors deliver at least once) is dropped. The events of every request that arrives
 * in the same turn of the event loop go in one INSERT and one commit, which is what lets a web
 * process keep up with a vendor's burst: each request still waits for its own events to be stored.
 * Resolves to how many of a request's events were new.
 */
export function webhookInboxWriter(db: Database): (vendor: Vendor, events: LedgerEvent[]) => Promise<number> {
  let waiting: Waiting[] = [];

  /** Stores the events of some requests in one statement; resolves each with its new events. */
  async function store(batch: Waiting[]): Promise<void> {
    const stored = await db
      .insert(webhookInbox)
      .values(
        batch.flatMap(({ vendor, events }) =>
          events.map((event) => ({
            vendor,
            eventId: event.eventId,
            tenantId: event.tenantId,
            payload: { ...event },
          })),
        ),
      )
      .onConflictDoNothing({ target: [webhookInbox.vendor, webhookInbox.eventId] })
      .returning({ vendor: webhookInbox.vendor, eventId: webhookInbox.eventId });
    const fresh = new Set(stored.map((row) => keyOf(row.vendor, row.eventId)));
    for (const request of batch) {
      request.resolve(
        request.events.filter((event) => fresh.has(keyOf(request.vendor, event.eventId))).length,
      );
    }
  }

  async function flush(): Promise<void> {
    const batch = waiting;
    waiting = [];
    try {
      await store(batch);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One request's events must not fail the others that happened to share its statement.
      for (const request of batch) await store([request]).catch(request.reject);
    }
  }

  return (vendor, events) => {
    if (events.length === 0) return Promise.resolve(0);
    return new Promise<number>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(() => void flush());
      // Vendor text is stored as PostgreSQL can take it (a NUL in a signed event is still an event).
      waiting.push({ vendor, events: storable(events), resolve, reject });
    });
  };
}
