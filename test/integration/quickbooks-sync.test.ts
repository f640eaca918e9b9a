import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LedgerConnector } from '../../connectors/ledger.js';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import {
  customerContacts,
  customers,
  invoices,
  ledgerConnections,
  organisations,
  payments,
  webhookInbox,
} from '../../src/db/schema/index.js';
import { syncConnection } from '../../src/sync/sync-connection.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { waitFor } from '../helpers/wait.js';

const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const seed: CompanySeed = {
  name: 'Larkspur Landscaping',
  homeCurrency: 'USD',
  country: 'US',
  user: { email: 'owner@larkspur.example', givenName: 'Ada', familyName: 'Park' },
  customers: [
    { id: '1', displayName: 'Cool Cars', email: 'ap@coolcars.example, grace@coolcars.example' },
    { id: '2', displayName: 'No Email Ltd', email: null },
    { id: '3', displayName: 'Euro GmbH', email: 'buchhaltung@euro.example', currency: 'EUR' },
    { id: '4', displayName: 'Gone Inc', email: 'ap@gone.example', active: false },
    // Odd ledger text: a NUL (PostgreSQL refuses it) and half a character must not stop the sync.
    {
      id: '5',
      displayName: `Null${String.fromCharCode(0)} Byte ${String.fromCharCode(0xd83d)} Ltd`,
      email: null,
    },
  ],
  invoices: [
    { id: '10', customerId: '1', total: 50_000, status: 'overdue', dueDate: daysFromToday(-40) },
    { id: '11', customerId: '1', total: 12_000, status: 'open', dueDate: daysFromToday(10) },
    { id: '12', customerId: '2', total: 8_000, status: 'overdue', dueDate: daysFromToday(-5) },
    { id: '13', customerId: '3', total: 20_000, status: 'overdue', dueDate: daysFromToday(-15) },
    { id: '14', customerId: '1', total: 3_000, status: 'paid', dueDate: daysFromToday(-60) },
    { id: '15', customerId: '1', total: 7_000, status: 'voided', dueDate: daysFromToday(-30) },
    { id: '16', customerId: '4', total: 9_000, status: 'overdue', dueDate: daysFromToday(-90) },
    {
      id: '17',
      customerId: '1',
      total: 10_000,
      balance: 5_000,
      status: 'partial',
      dueDate: daysFromToday(-3),
    },
  ],
};

describe('QuickBooks Online end to end', () => {
  let qbo: QuickBooksHarness;
  let connectionId: string;
  let sessionCookie: string;
  const db = () => qbo.runtime.database.db;
  const invoice = async (externalId: string) =>
    (await db().select().from(invoices).where(eq(invoices.externalId, externalId)))[0];
  const fullSyncDone = (row: typeof ledgerConnections.$inferSelect) =>
    row.syncProgress?.phase === 'done' && row.fullSyncedAt !== null;

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    const connected = await qbo.connect();
    connectionId = connected.connectionId;
    sessionCookie = connected.cookie;
    await qbo.waitForSync(connectionId, fullSyncDone);
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('creates the organisation from the company and mirrors exactly what is owed', async () => {
    const [connection] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connectionId));
    const [organisation] = await db()
      .select()
      .from(organisations)
      .where(eq(organisations.id, connection?.orgId ?? ''));
    expect(organisation).toMatchObject({ name: 'Larkspur Landscaping', currency: 'USD', country: 'US' });
    expect(connection).toMatchObject({ vendor: 'quickbooks', tenantId: qbo.realmId, status: 'active' });
    // Tokens are sealed at rest, never stored as they came.
    expect(connection?.refreshTokenSealed).toMatch(/^v1\.test\./);

    const mirrored = await db().select().from(invoices).where(eq(invoices.connectionId, connectionId));
    const owedInLedger = qbo.emulator
      .company(qbo.realmId)
      .invoices.filter((wire) => Number(wire['Balance']) > 0)
      .map((wire) => wire.Id)
      .sort();
    expect(mirrored.map((row) => row.externalId).sort()).toEqual(owedInLedger);
    expect(owedInLedger).toEqual(['10', '11', '12', '13', '16', '17']);
    expect(await invoice('17')).toMatchObject({
      status: 'open',
      totalMinor: 10_000,
      balanceMinor: 5_000,
      currency: 'USD',
    });
    expect(await invoice('13')).toMatchObject({ currency: 'EUR', balanceMinor: 20_000 });

    const people = await db().select().from(customers).where(eq(customers.connectionId, connectionId));
    expect(people.map((row) => [row.externalId, row.name, row.active]).sort()).toEqual([
      ['1', 'Cool Cars', true],
      ['2', 'No Email Ltd', true],
      ['3', 'Euro GmbH', true],
      ['4', 'Gone Inc', false],
      ['5', 'Null Byte \uFFFD Ltd', true],
    ]);
    const coolCars = people.find((row) => row.externalId === '1');
    const noEmail = people.find((row) => row.externalId === '2');
    const contactsOf = async (customerId: string | undefined) =>
      (
        await db()
          .select()
          .from(customerContacts)
          .where(eq(customerContacts.customerId, customerId ?? ''))
      ).map((contact) => contact.email);
    expect((await contactsOf(coolCars?.id)).sort()).toEqual([
      'ap@coolcars.example',
      'grace@coolcars.example',
    ]);
    expect(await contactsOf(noEmail?.id)).toEqual([]);

    const paid = await db().select().from(payments).where(eq(payments.connectionId, connectionId));
    expect(paid.length).toBe(qbo.emulator.company(qbo.realmId).payments.length);
  });

  it('shows the connection and its sync progress to the browser that connected it, and to no other', async () => {
    const mine = await fetch(`${qbo.runtime.url}/api/connections`, { headers: { cookie: sessionCookie } });
    expect(mine.headers.get('cache-control')).toBe('no-store');
    const body = (await mine.json()) as { connections: Array<Record<string, unknown>> };
    expect(body.connections).toEqual([
      expect.objectContaining({
        id: connectionId,
        companyName: 'Larkspur Landscaping',
        status: 'active',
        syncProgress: expect.objectContaining({ phase: 'done', kind: 'full', invoices: 6, customers: 5 }),
      }),
    ]);
    expect(JSON.stringify(body)).not.toMatch(/token/i);
    const stranger = await fetch(`${qbo.runtime.url}/api/connections`);
    expect(await stranger.json()).toEqual({ connections: [] });
  });

  it('follows payments, voids, new invoices, deleted invoices and deactivated customers by webhook', async () => {
    const changes = qbo.emulator.changes(qbo.realmId);
    changes.receivePayment({ customerId: '1', amount: 50_000, invoiceIds: ['10'] });
    changes.voidInvoice('12');
    const created = changes.createInvoice({
      customerId: '3',
      amount: 4_250,
      dueDate: daysFromToday(20),
      currency: 'EUR',
    });
    changes.deleteInvoice('11');
    changes.deactivateCustomer('2');

    const statuses = await qbo.emulator.deliverWebhooks();
    expect(statuses.every((status) => status === 200)).toBe(true);
    await waitFor(async () => (await invoice(created))?.status === 'open', { what: 'the new invoice' });
    expect(await invoice('10')).toMatchObject({ status: 'paid', balanceMinor: 0 });
    expect(await invoice('12')).toMatchObject({ status: 'voided', balanceMinor: 0 });
    expect(await invoice('11')).toMatchObject({ status: 'deleted' });
    expect(await invoice(created)).toMatchObject({ currency: 'EUR', balanceMinor: 4_250 });
    const [deactivated] = await db()
      .select()
      .from(customers)
      .where(and(eq(customers.connectionId, connectionId), eq(customers.externalId, '2')));
    expect(deactivated?.active).toBe(false);
  });

  it('drops repeated webhook deliveries and copes with them arriving out of order', async () => {
    const changes = qbo.emulator.changes(qbo.realmId);
    changes.receivePayment({ customerId: '1', amount: 2_000, invoiceIds: ['17'] });
    const before = (await db().select().from(webhookInbox)).length;
    await qbo.emulator.deliverWebhooks({ duplicate: true, reverse: true });
    await waitFor(async () => (await invoice('17'))?.balanceMinor === 3_000, { what: 'the part payment' });
    const after = await db().select().from(webhookInbox);
    const eventIds = after.map((row) => row.eventId);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    expect(after.length).toBeGreaterThan(before);
  });

  it('follows the legacy eventNotifications webhook format too', async () => {
    qbo.emulator.setWebhookTarget({
      url: `${qbo.runtime.url}/webhooks/quickbooks`,
      format: 'legacy',
      mode: 'manual',
    });
    try {
      const created = qbo.emulator.changes(qbo.realmId).createInvoice({
        customerId: '1',
        amount: 6_600,
        dueDate: daysFromToday(30),
      });
      expect(await qbo.emulator.deliverWebhooks()).toEqual([200]);
      await waitFor(async () => (await invoice(created))?.balanceMinor === 6_600, {
        what: 'the legacy webhook',
      });
    } finally {
      qbo.emulator.setWebhookTarget({
        url: `${qbo.runtime.url}/webhooks/quickbooks`,
        format: 'cloudevents',
        mode: 'manual',
      });
    }
  });

  it('catches changes that no webhook announced in the reconcile', async () => {
    qbo.emulator.changes(qbo.realmId).receivePayment({ customerId: '3', amount: 20_000, invoiceIds: ['13'] });
    // No delivery: the webhook was lost. The daily reconcile reads the changes anyway.
    await qbo.runtime.jobs.send('ledger.reconcile', {});
    await waitFor(async () => (await invoice('13'))?.status === 'paid', { what: 'the reconcile' });
  });

  it('refuses webhooks with a bad signature (401, empty), unreadable ones (400) and oversized ones (413)', async () => {
    const post = (body: string | Buffer, headers: Record<string, string>) =>
      fetch(`${qbo.runtime.url}/webhooks/quickbooks`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/cloudevents+json', ...headers },
      });
    const forged = await post('[{"id":"x"}]', { 'intuit-signature': 'Zm9yZ2Vk' });
    expect(forged.status).toBe(401);
    expect(await forged.text()).toBe('');

    const { signWebhook } = await import('../../emulators/quickbooks/index.js');
    const garbage = '{"hello":"world"}';
    const unreadable = await post(garbage, { 'intuit-signature': signWebhook(garbage, 'verifier-token') });
    expect(unreadable.status).toBe(400);
    // In the app's error shape, naming the request as its header does.
    expect(((await unreadable.json()) as { error: unknown }).error).toMatchObject({
      code: 'malformed_webhook',
      requestId: unreadable.headers.get('x-request-id'),
    });

    const huge = Buffer.alloc(1_100_000, 'a');
    const oversized = await post(huge, { 'intuit-signature': 'x' });
    expect(oversized.status).toBe(413);
    expect(((await oversized.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('keeps the good events of a batch with a bad one, whatever content type the signed body came as', async () => {
    const { signWebhook } = await import('../../emulators/quickbooks/index.js');
    const event = (id: string, entityId: string) => ({
      specversion: '1.0',
      id,
      source: 'intuit.test',
      type: 'qbo.invoice.updated.v1',
      time: new Date().toISOString(),
      intuitentityid: entityId,
      intuitaccountid: qbo.realmId,
      data: {},
    });
    const inbox = async (ids: string[]) =>
      (await db().select({ eventId: webhookInbox.eventId }).from(webhookInbox))
        .map((row) => row.eventId)
        .filter((id) => ids.includes(id))
        .sort();
    const cases: Array<[string, string]> = [
      ['application/cloudevents+json', 'batch-a'],
      ['application/cloudevents-batch+json', 'batch-b'],
      ['text/plain', 'batch-c'],
      ['application/json; charset=utf-8', 'batch-d'],
    ];
    for (const [contentType, prefix] of cases) {
      // The second event has no entity id: it alone is skipped.
      const { intuitentityid: _, ...broken } = event(`${prefix}-2`, '10');
      const body = JSON.stringify([event(`${prefix}-1`, '10'), broken, event(`${prefix}-3`, '11')]);
      const answer = await fetch(`${qbo.runtime.url}/webhooks/quickbooks`, {
        method: 'POST',
        body,
        headers: { 'content-type': contentType, 'intuit-signature': signWebhook(body, 'verifier-token') },
      });
      expect(answer.status, contentType).toBe(200);
      expect(await inbox([`${prefix}-1`, `${prefix}-2`, `${prefix}-3`])).toEqual([
        `${prefix}-1`,
        `${prefix}-3`,
      ]);
    }
    // A batch where no event can be read is refused, and nothing is stored.
    const hopeless = JSON.stringify([{ id: 'batch-e-1' }]);
    const refused = await fetch(`${qbo.runtime.url}/webhooks/quickbooks`, {
      method: 'POST',
      body: hopeless,
      headers: { 'content-type': 'text/plain', 'intuit-signature': signWebhook(hopeless, 'verifier-token') },
    });
    expect(refused.status).toBe(400);
    expect(await inbox(['batch-e-1'])).toEqual([]);
  });

  it('shows a plain sentence, never SQL or the values in it, when a sync fails on our side', async () => {
    const ledger = qbo.runtime.ledger;
    const quickbooks = ledger.connectors.quickbooks as LedgerConnector;
    const broken = {
      ...ledger,
      connectors: {
        ...ledger.connectors,
        quickbooks: {
          ...quickbooks,
          changesSince: async () => {
            throw new Error(
              'Failed query: insert into "customers" values ($1)\nparams: Ann Secret,ann@secret.example',
            );
          },
        },
      },
    };
    await expect(syncConnection(broken, connectionId, 'incremental')).rejects.toThrow();
    const [row] = await db().select().from(ledgerConnections).where(eq(ledgerConnections.id, connectionId));
    expect(row?.lastError).toMatch(/on our side/);
    const shown = await fetch(`${qbo.runtime.url}/api/connections`, { headers: { cookie: sessionCookie } });
    expect(await shown.text()).not.toMatch(/Failed query|Ann Secret|ann@secret/);
    await syncConnection(ledger, connectionId, 'incremental');
  });
});
