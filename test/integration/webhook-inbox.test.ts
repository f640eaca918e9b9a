import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LedgerEvent } from '../../connectors/ledger.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { webhookInbox } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/logger.js';
import { type InboxInsert, inboxInsert, webhookInboxWriter } from '../../src/sync/webhook-intake.js';

const event = (eventId: string): LedgerEvent => ({
  eventId,
  tenantId: '9130355377384706',
  entity: 'invoice',
  entityId: '42',
  operation: 'updated',
  occurredAt: null,
});

describe('the webhook inbox writer', () => {
  let database: DatabaseHandle;
  let inserts = 0;
  let writer: ReturnType<typeof webhookInboxWriter>;

  beforeAll(() => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 4, logger: createLogger('silent') });
    // Counts the INSERT statements the writer makes.
    const insert = inboxInsert(database.pool);
    writer = webhookInboxWriter((rows) => {
      inserts += 1;
      return insert(rows);
    });
  });
  afterAll(() => database.pool.end());

  it('stores the events of requests arriving together in one INSERT, and tells each request its new ones', async () => {
    const ids = Array.from({ length: 6 }, () => `test-${randomUUID()}`);
    const [a = '', b = '', c = '', d = '', e = '', f = ''] = ids;
    inserts = 0;
    const counts = await Promise.all([
      writer('quickbooks', [event(a), event(b)]),
      writer('quickbooks', [event(c)]),
      writer('xero', [event(d), event(e), event(f)]),
      writer('quickbooks', []),
    ]);
    expect(counts).toEqual([2, 1, 3, 0]);
    expect(inserts).toBe(1);
    const stored = await database.db
      .select({ eventId: webhookInbox.eventId })
      .from(webhookInbox)
      .where(inArray(webhookInbox.eventId, ids));
    expect(stored.map((row) => row.eventId).sort()).toEqual([...ids].sort());
    // Each row keeps its vendor, tenant and the whole event as its payload.
    const [row] = await database.db
      .select({ vendor: webhookInbox.vendor, tenantId: webhookInbox.tenantId, payload: webhookInbox.payload })
      .from(webhookInbox)
      .where(inArray(webhookInbox.eventId, [d]));
    expect(row).toEqual({ vendor: 'xero', tenantId: '9130355377384706', payload: event(d) });

    // A redelivery (vendors deliver at least once) stores nothing new, and says so.
    expect(await writer('quickbooks', [event(a), event(`test-${randomUUID()}`)])).toBe(1);
    expect(await writer('xero', [event(d)])).toBe(0);
  });

  it('fails every request of a batch that could not be stored, so none is answered 200', async () => {
    const broken = webhookInboxWriter(async () => {
      throw new Error('database unavailable');
    });
    const results = await Promise.allSettled([
      broken('quickbooks', [event('x1')]),
      broken('xero', [event('x2')]),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('keeps one request whose events cannot be stored from failing the others of its statement', async () => {
    const statements: string[][] = [];
    // A database that refuses any statement holding the tenant "poison".
    const picky: InboxInsert = async (rows) => {
      statements.push(rows.map((row) => row.eventId));
      if (rows.some((row) => row.tenantId === 'poison')) throw new Error('refused');
      return rows.map(({ vendor, eventId }) => ({ vendor, eventId }));
    };
    const writer = webhookInboxWriter(picky);
    const results = await Promise.allSettled([
      writer('quickbooks', [event('good-1')]),
      writer('quickbooks', [{ ...event('bad-1'), tenantId: 'poison' }]),
      writer('xero', [event('good-2')]),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(statements[0]).toEqual(['good-1', 'bad-1', 'good-2']);
  });

  it('while INSERTs are under way, gathers what arrives meanwhile into the next one', async () => {
    const held: Array<() => void> = [];
    const statements: string[][] = [];
    const slow: InboxInsert = (rows) =>
      new Promise((resolve) => {
        statements.push(rows.map((row) => row.eventId));
        held.push(() => resolve(rows.map(({ vendor, eventId }) => ({ vendor, eventId }))));
      });
    const writer = webhookInboxWriter(slow, 2);
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const answers: Array<Promise<number>> = [];
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      answers.push(writer('quickbooks', [event(id)]));
      await turn();
    }
    // Two INSERTs under way (a, then b); c, d and e wait together.
    expect(statements).toEqual([['a'], ['b']]);
    held[0]?.();
    await turn();
    await turn();
    expect(statements).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
    for (const release of held.slice(1)) release();
    expect(await Promise.all(answers)).toEqual([1, 1, 1, 1, 1]);
  });
});
