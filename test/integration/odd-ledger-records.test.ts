import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LedgerCustomer, LedgerEvent, LedgerInvoice } from '../../connectors/ledger.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { customers, invoices, webhookInbox } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/logger.js';
import { upsertCustomers, upsertInvoices } from '../../src/sync/mirror.js';
import { storableDay, storableStamp } from '../../src/sync/storable-records.js';
import { inboxInsert, webhookInboxWriter } from '../../src/sync/webhook-intake.js';
import { createSummaryOrganisation } from '../helpers/summary-org.js';

const nul = String.fromCharCode(0);
const customer = (externalId: string, updatedAt: string | null): LedgerCustomer => ({
  externalId,
  name: `Customer ${externalId}`,
  active: true,
  currency: 'GBP',
  contacts: [],
  updatedAt,
});
const invoice = (
  externalId: string,
  dates: { issueDate: string | null; dueDate: string },
): LedgerInvoice => ({
  externalId,
  customerExternalId: 'c1',
  number: externalId,
  currency: 'GBP',
  totalMinor: 1_000,
  balanceMinor: 1_000,
  ...dates,
  status: 'open',
  version: '0',
  paymentUrl: null,
  billEmail: null,
  updatedAt: '2026-12-01T10:00:00Z',
});

describe('odd ledger records (found by the fuzz run)', () => {
  let database: DatabaseHandle;

  beforeAll(() => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 2, logger: createLogger('silent') });
  });
  afterAll(() => database.pool.end());

  it('reads impossible dates and times as unknown', () => {
    expect(storableDay('2026-02-29')).toBeNull();
    expect(storableDay(nul)).toBeNull();
    expect(storableDay('0000-01-01')).toBeNull();
    expect(storableDay('2026-12-07')).toBe('2026-12-07');
    expect(storableStamp('0000-01-01')).toBeNull();
    expect(storableStamp('not a time')).toBeNull();
    expect(storableStamp('2026-12-01T10:00:00-08:00')).toBe('2026-12-01T10:00:00-08:00');
  });

  it('mirror the rest of a page when one record has no id, a year-zero change time or a NUL for a date', async () => {
    const { orgId, connectionId } = await createSummaryOrganisation(database.db, {
      name: 'Odd Records Ltd',
      timeZone: 'Europe/London',
    });
    const scope = { orgId, connectionId };
    await upsertCustomers(database.db, scope, [customer('c1', '0000-01-01'), customer('', null)]);
    await upsertInvoices(database.db, scope, [
      invoice('i1', { issueDate: nul, dueDate: '2026-11-01' }),
      invoice('i2', { issueDate: '2026-10-01', dueDate: nul }),
      invoice('i3', { issueDate: null, dueDate: '0000-00-00' }),
    ]);
    const mirrored = await database.db
      .select({ externalId: customers.externalId, vendorUpdatedAt: customers.vendorUpdatedAt })
      .from(customers)
      .where(eq(customers.connectionId, connectionId));
    expect(mirrored).toEqual([{ externalId: 'c1', vendorUpdatedAt: null }]);
    const owed = await database.db
      .select({ externalId: invoices.externalId, issueDate: invoices.issueDate, dueDate: invoices.dueDate })
      .from(invoices)
      .where(eq(invoices.connectionId, connectionId));
    expect(owed.sort((a, b) => a.externalId.localeCompare(b.externalId))).toEqual([
      { externalId: 'i1', issueDate: null, dueDate: '2026-11-01' },
      // No usable due date: the issue date stands in for it.
      { externalId: 'i2', issueDate: '2026-10-01', dueDate: '2026-10-01' },
    ]);
  });

  it('stores a signed webhook event holding a NUL', async () => {
    const writer = webhookInboxWriter(inboxInsert(database.pool));
    const event: LedgerEvent = {
      eventId: `odd-${Date.now()}${nul}`,
      tenantId: 'ZZZ',
      entity: 'invoice',
      entityId: nul,
      operation: 'created',
      occurredAt: nul,
    };
    expect(await writer('xero', [event])).toBe(1);
    const [stored] = await database.db
      .select({ eventId: webhookInbox.eventId })
      .from(webhookInbox)
      .where(eq(webhookInbox.eventId, event.eventId.replace(nul, '')));
    expect(stored).toBeDefined();
  });
});
