import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrganisationSeed } from '../../emulators/xero/index.js';
import {
  customerContacts,
  customers,
  invoices,
  ledgerConnections,
  organisations,
  payments,
} from '../../src/db/schema/index.js';
import { syncConnection } from '../../src/sync/sync-connection.js';
import { waitFor } from '../helpers/wait.js';
import { startXeroHarness, type XeroHarness } from '../helpers/xero-harness.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const owner = { email: 'owner@ridgeway.example', firstName: 'Tui', lastName: 'Ngata' };

const ridgeway: OrganisationSeed = {
  name: 'Ridgeway <Farm> Supplies',
  baseCurrency: 'NZD',
  countryCode: 'NZ',
  user: owner,
  contacts: [
    {
      id: '11111111-1111-4111-8111-111111111111',
      name: 'Kowhai Orchards',
      emailAddress: 'accounts@kowhai.example',
      contactPersons: [
        { firstName: 'Ana', lastName: 'Rewi', emailAddress: 'ana@kowhai.example', includeInEmails: true },
        {
          firstName: 'Mere',
          lastName: 'Rewi',
          emailAddress: 'director@kowhai.example',
          includeInEmails: false,
        },
      ],
    },
    { id: '22222222-2222-4222-8222-222222222222', name: 'No Email Ltd', emailAddress: null },
    {
      id: '33333333-3333-4333-8333-333333333333',
      name: 'Euro Imports',
      emailAddress: 'ap@euro.example',
      defaultCurrency: 'EUR',
    },
    {
      id: '44444444-4444-4444-8444-444444444444',
      name: 'Gone Ltd',
      emailAddress: 'ap@gone.example',
      contactStatus: 'ARCHIVED',
    },
  ],
  invoices: [
    {
      id: 'a0000000-0000-4000-8000-000000000001',
      contactId: '11111111-1111-4111-8111-111111111111',
      total: 120_000,
      dueDate: day(-30),
    },
    {
      id: 'a0000000-0000-4000-8000-000000000002',
      contactId: '11111111-1111-4111-8111-111111111111',
      total: 40_000,
      dueDate: day(12),
    },
    {
      id: 'a0000000-0000-4000-8000-000000000003',
      contactId: '22222222-2222-4222-8222-222222222222',
      total: 9_900,
      dueDate: day(-4),
    },
    {
      id: 'a0000000-0000-4000-8000-000000000004',
      contactId: '33333333-3333-4333-8333-333333333333',
      total: 50_000,
      dueDate: day(-10),
      currency: 'EUR',
    },
    {
      id: 'a0000000-0000-4000-8000-000000000005',
      contactId: '44444444-4444-4444-8444-444444444444',
      total: 7_000,
      dueDate: day(-80),
    },
    {
      id: 'a0000000-0000-4000-8000-000000000006',
      contactId: '11111111-1111-4111-8111-111111111111',
      total: 10_000,
      amountDue: 4_000,
      dueDate: day(-2),
    },
    {
      id: 'a0000000-0000-4000-8000-000000000007',
      contactId: '11111111-1111-4111-8111-111111111111',
      total: 3_000,
      dueDate: day(-60),
      status: 'PAID',
    },
    {
      id: 'a0000000-0000-4000-8000-000000000008',
      contactId: '11111111-1111-4111-8111-111111111111',
      total: 5_000,
      dueDate: day(-20),
      status: 'VOIDED',
    },
    {
      id: 'a0000000-0000-4000-8000-000000000009',
      contactId: '22222222-2222-4222-8222-222222222222',
      total: 6_000,
      dueDate: day(15),
      status: 'DRAFT',
    },
  ],
};

const sideBusiness: OrganisationSeed = {
  name: 'Ngata Consulting',
  baseCurrency: 'NZD',
  countryCode: 'NZ',
  user: owner,
  contacts: [{ name: 'A Client', emailAddress: 'client@example.com' }],
  invoices: [],
};

describe('Xero end to end', () => {
  let xero: XeroHarness;
  let connectionId: string;
  let choicePage: string | null;
  const db = () => xero.runtime.database.db;
  const invoice = async (externalId: string) =>
    (await db().select().from(invoices).where(eq(invoices.externalId, externalId)))[0];

  beforeAll(async () => {
    xero = await startXeroHarness(inject('adminUrl'), [ridgeway, sideBusiness]);
    const [ridgewayId] = xero.tenantIds;
    const connected = await xero.connect(owner.email, ridgewayId);
    connectionId = connected.connectionId;
    choicePage = connected.choicePage;
    await xero.waitForSync(
      connectionId,
      (row) => row.syncProgress?.phase === 'done' && row.fullSyncedAt !== null,
    );
  }, 120_000);
  afterAll(() => xero?.stop());

  it('asks which organisation to connect, with names escaped, and releases the other from the grant', async () => {
    expect(choicePage).toContain('Ridgeway &#60;Farm&#62; Supplies');
    expect(choicePage).toContain('Ngata Consulting');
    expect(choicePage).not.toContain('<Farm>');
    const [connection] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connectionId));
    expect(connection).toMatchObject({ vendor: 'xero', tenantId: xero.tenantIds[0], status: 'active' });
    const [organisation] = await db()
      .select()
      .from(organisations)
      .where(eq(organisations.id, connection?.orgId ?? ''));
    expect(organisation).toMatchObject({ name: 'Ridgeway <Farm> Supplies', currency: 'NZD', country: 'NZ' });

    // Only the chosen organisation is still connected to Dunwell's grant.
    const { databaseTokenStore } = await import('../../src/ledger/connection-tokens.js');
    const { accessToken } = await databaseTokenStore(db(), xero.runtime.tokenCipher, connectionId).load();
    const listed = await fetch(xero.emulator.endpoints.connections, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(((await listed.json()) as Array<{ tenantId: string }>).map((row) => row.tenantId)).toEqual([
      xero.tenantIds[0],
    ]);
  });

  it('mirrors exactly what is owed, with contacts and odd data', async () => {
    const mirrored = await db().select().from(invoices).where(eq(invoices.connectionId, connectionId));
    const owedInXero = xero.emulator
      .organisation(xero.tenantIds[0] ?? '')
      .invoices.filter(
        (wire: Record<string, unknown>) => wire['Status'] === 'AUTHORISED' && Number(wire['AmountDue']) > 0,
      )
      .map((wire: Record<string, unknown>) => String(wire['InvoiceID']))
      .sort();
    expect(mirrored.map((row) => row.externalId).sort()).toEqual(owedInXero);
    expect(owedInXero).toHaveLength(6);
    expect(await invoice('a0000000-0000-4000-8000-000000000006')).toMatchObject({
      status: 'open',
      totalMinor: 10_000,
      balanceMinor: 4_000,
    });
    expect(await invoice('a0000000-0000-4000-8000-000000000004')).toMatchObject({
      currency: 'EUR',
      balanceMinor: 50_000,
    });

    const people = await db().select().from(customers).where(eq(customers.connectionId, connectionId));
    const kowhai = people.find((row) => row.name === 'Kowhai Orchards');
    expect(people.find((row) => row.name === 'Gone Ltd')?.active).toBe(false);
    const contacts = await db()
      .select()
      .from(customerContacts)
      .where(eq(customerContacts.customerId, kowhai?.id ?? ''));
    expect(
      contacts
        .map(({ email, role }) => ({ email, role }))
        .sort((a, b) => (a.email ?? '').localeCompare(b.email ?? '')),
    ).toEqual([
      { email: 'accounts@kowhai.example', role: 'billing' },
      { email: 'ana@kowhai.example', role: 'billing' },
      { email: 'director@kowhai.example', role: 'other' },
    ]);
  });

  it('answers Xero’s intent-to-receive: 200 when signed, 401 when not', async () => {
    expect(await xero.emulator.intentToReceive(`${xero.runtime.url}/webhooks/xero`)).toEqual({
      correct: 200,
      incorrect: 401,
    });
  });

  it('answers webhooks bare: no browser headers, no text check; pages and a 404 keep their headers', async () => {
    const webhook = await fetch(`${xero.runtime.url}/webhooks/xero?note=a%00b`, {
      method: 'POST',
      headers: { 'x-xero-signature': 'not-the-signature' },
      body: '{"events":[]}',
    });
    // Refused for its signature, not for the NUL in its query: the text check is the site's alone.
    expect(webhook.status).toBe(401);
    expect(webhook.headers.get('content-security-policy')).toBeNull();
    expect(webhook.headers.get('x-request-id')).not.toBeNull();
    for (const path of ['/healthz', '/no-such-page'])
      expect((await fetch(`${xero.runtime.url}${path}`)).headers.get('content-security-policy')).toContain(
        "default-src 'self'",
      );
    expect((await fetch(`${xero.runtime.url}/healthz?q=a%00b`)).status).toBe(400);
  });

  it('follows payments, voids, new invoices and archived contacts by webhook', async () => {
    const tenantId = xero.tenantIds[0] ?? '';
    const changes = xero.emulator.changes(tenantId);
    changes.receivePayment({ invoiceId: 'a0000000-0000-4000-8000-000000000001', amount: 120_000 });
    changes.voidInvoice('a0000000-0000-4000-8000-000000000003');
    const created = changes.createInvoice({
      contactId: '33333333-3333-4333-8333-333333333333',
      amount: 2_500,
      dueDate: day(30),
      currency: 'EUR',
    });
    changes.archiveContact('22222222-2222-4222-8222-222222222222');

    const statuses = await xero.emulator.deliverWebhooks({ duplicate: true });
    expect(statuses.every((status: number) => status === 200)).toBe(true);
    await waitFor(async () => (await invoice(created))?.status === 'open', { what: 'the new invoice' });
    expect(await invoice('a0000000-0000-4000-8000-000000000001')).toMatchObject({
      status: 'paid',
      balanceMinor: 0,
    });
    // Xero keeps a voided invoice's AmountDue: nothing is owed on it all the same.
    expect(
      xero.emulator.organisation(tenantId).invoice('a0000000-0000-4000-8000-000000000003')?.['AmountDue'],
    ).toBeGreaterThan(0);
    expect(await invoice('a0000000-0000-4000-8000-000000000003')).toMatchObject({
      status: 'voided',
      balanceMinor: 0,
    });
    const [archived] = await db()
      .select()
      .from(customers)
      .where(
        and(
          eq(customers.connectionId, connectionId),
          eq(customers.externalId, '22222222-2222-4222-8222-222222222222'),
        ),
      );
    expect(archived?.active).toBe(false);
  });

  it('forgets a payment deleted in Xero, and the invoice is owed again', async () => {
    const tenantId = xero.tenantIds[0] ?? '';
    const invoiceId = 'a0000000-0000-4000-8000-000000000002';
    const paymentId = xero.emulator.changes(tenantId).receivePayment({ invoiceId, amount: 40_000 });
    await xero.emulator.deliverWebhooks();
    await waitFor(async () => (await invoice(invoiceId))?.status === 'paid', { what: 'the payment' });
    const paymentRows = async () =>
      (await db().select().from(payments).where(eq(payments.connectionId, connectionId))).map(
        (row) => row.externalId,
      );
    expect(await paymentRows()).toContain(paymentId);

    xero.emulator.changes(tenantId).deletePayment(paymentId);
    await xero.emulator.deliverWebhooks();
    await waitFor(async () => (await invoice(invoiceId))?.status === 'open', { what: 'the deleted payment' });
    expect(await paymentRows()).not.toContain(paymentId);
  });

  it('reads a change committed late with an earlier timestamp: the cursor keeps a minute of overlap', async () => {
    const changes = xero.emulator.changes(xero.tenantIds[0] ?? '');
    const contactId = '33333333-3333-4333-8333-333333333333';
    const seen = changes.createInvoice({ contactId, amount: 1_100, dueDate: day(20) });
    await syncConnection(xero.runtime.ledger, connectionId, 'incremental');
    expect(await invoice(seen)).toMatchObject({ balanceMinor: 1_100 });
    // Another writer's change, stamped 20 seconds before the one just read, becomes visible now.
    xero.advance(-20_000);
    const late = changes.createInvoice({ contactId, amount: 2_200, dueDate: day(20) });
    xero.advance(20_000);
    await syncConnection(xero.runtime.ledger, connectionId, 'incremental');
    expect(await invoice(late)).toMatchObject({ balanceMinor: 2_200 });
  });

  it('catches changes no webhook announced in the reconcile', async () => {
    xero.emulator
      .changes(xero.tenantIds[0] ?? '')
      .receivePayment({ invoiceId: 'a0000000-0000-4000-8000-000000000004', amount: 20_000 });
    await xero.runtime.jobs.send('ledger.reconcile', {});
    await waitFor(
      async () => (await invoice('a0000000-0000-4000-8000-000000000004'))?.balanceMinor === 30_000,
      {
        what: 'the reconcile',
      },
    );
  });
});
