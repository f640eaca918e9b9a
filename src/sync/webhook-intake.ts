import type pg from 'pg';
import type { LedgerEvent, Vendor } from '../../connectors/ledger.js';
import { holdsUnstorable, storable } from '../domain/text.js';

interface Waiting {
  vendor: Vendor;
  events: LedgerEvent[];
  resolve: (stored: number) => void;
  reject: (error: unknown) => void;
}

const keyOf = (vendor: string, eventId: string) => `${vendor}\u0001${eventId}`;

/** One event as the inbox stores it. */
export interface InboxRow {
  vendor: Vendor;
  eventId: string;
  tenantId: string | null;
  payload: LedgerEvent;
}

/** Inserts rows, skipping events already stored; returns the rows that were new. */
export type InboxInsert = (rows: InboxRow[]) => Promise<Array<{ vendor: string; eventId: string }>>;

/**
 * The inbox INSERT as one named prepared statement: the same text whatever the number of events, so
 * each connection parses and plans it once (a multi-row VALUES list is a new statement per size).
 * The rows travel as one JSON array: one JSON.stringify, where four parameter arrays (the payloads
 * among them as JSON text, quoted again element by element) cost several times as much per event.
 */
export function inboxInsert(pool: pg.Pool): InboxInsert {
  return async (rows) => {
    const result = await pool.query<{ vendor: string; eventId: string }>({
      name: 'dunwell_webhook_inbox_insert_json',
      text: `insert into webhook_inbox (vendor, event_id, tenant_id, payload)
             select vendor, "eventId", "tenantId", payload
               from jsonb_to_recordset($1::jsonb)
                 as row (vendor ledger_vendor, "eventId" text, "tenantId" text, payload jsonb)
             on conflict (vendor, event_id) do nothing
             returning vendor, event_id as "eventId"`,
      values: [JSON.stringify(rows)],
    });
    return result.rows;
  };
}

/**
 * The webhook inbox's writer. Verified events are stored before the vendor gets its 200; an event
 * seen before (vendors deliver at least once) is dropped. The events of every request that arrives
 * in the same turn of the event loop go in one INSERT and one commit, and while `maxInFlight`
 * INSERTs are under way, what arrives meanwhile waits to go in the next one: the slower the commits,
 * the larger the batches, which is what lets a web process keep up with a vendor's burst. Each
 * request still waits for its own events to be stored. Resolves to how many of a request's events
 * were new.
 */
export function webhookInboxWriter(
  insert: InboxInsert,
  maxInFlight = 2,
): (vendor: Vendor, events: LedgerEvent[]) => Promise<number> {
  let waiting: Waiting[] = [];
  let inFlight = 0;
  let flushQueued = false;

  const flushSoon = () => {
    if (flushQueued || waiting.length === 0 || inFlight >= maxInFlight) return;
    flushQueued = true;
    setImmediate(() => {
      flushQueued = false;
      void flush();
    });
  };

  /** Stores the events of some requests in one statement; resolves each with its new events. */
  async function store(batch: Waiting[]): Promise<void> {
    const stored = await insert(
      batch.flatMap(({ vendor, events }) =>
        events.map((event) => ({ vendor, eventId: event.eventId, tenantId: event.tenantId, payload: event })),
      ),
    );
    const fresh = new Set(stored.map((row) => keyOf(row.vendor, row.eventId)));
    for (const request of batch) {
      request.resolve(
        request.events.filter((event) => fresh.has(keyOf(request.vendor, event.eventId))).length,
      );
    }
  }

  async function flush(): Promise<void> {
    if (waiting.length === 0 || inFlight >= maxInFlight) return;
    const batch = waiting;
    waiting = [];
    inFlight += 1;
    try {
      await store(batch);
    } catch (error) {
      if (batch.length === 1) batch[0]?.reject(error);
      // One request's events must not fail the others that happened to share its statement.
      else for (const request of batch) await store([request]).catch(request.reject);
    } finally {
      inFlight -= 1;
      flushSoon();
    }
  }

  return (vendor, events) => {
    if (events.length === 0) return Promise.resolve(0);
    return new Promise<number>((resolve, reject) => {
      // Vendor text is stored as PostgreSQL can take it (a NUL in a signed event is still an event).
      waiting.push({ vendor, events: holdsUnstorable(events) ? storable(events) : events, resolve, reject });
      flushSoon();
    });
  };
}
