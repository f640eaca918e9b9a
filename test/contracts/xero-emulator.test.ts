/**
 * The raw JSON the Xero emulator serves, checked against Xero's official OpenAPI descriptions
 * (test/fixtures/xero-openapi, a copy of shared/reference/xero: xero_accounting.yaml, xero-identity.yaml, xero-webhooks.yaml).
 * The schemas allow extra properties and carry no length limits; they do check types, enums, required fields and
 * uuid formats — the first tests prove the validator is not a no-op.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XeroEmulator } from '../../emulators/xero/index.js';
import { connect, harnessSeed, IDS, startEmulator } from '../emulators/xero/xero-harness.js';
import { validateXero, validateXeroIdentity, validateXeroWebhook } from './xero-schema.js';

// biome-ignore lint/suspicious/noExplicitAny: raw wire JSON.
type Json = any;

let emulator: XeroEmulator;
let unroute: () => void;
let receiver: FastifyInstance;
let receiverUrl: string;
let token: string;
let tenantId: string;
const bodies: string[] = [];
const today = new Date().toISOString().slice(0, 10);

async function api(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${emulator.endpoints.apiBase}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      'xero-tenant-id': tenantId,
      accept: 'application/json',
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text,
  };
}

beforeAll(async () => {
  ({ emulator, unroute } = await startEmulator());
  tenantId = emulator.addOrganisation(harnessSeed(today));
  token = (await connect(emulator)).tokenSet.access_token as string;
  receiver = Fastify();
  receiver.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  receiver.post('/hook', async (request, reply) => {
    bodies.push(request.body as string);
    return reply.code(200).send();
  });
  receiverUrl = `${await receiver.listen({ port: 0, host: '127.0.0.1' })}/hook`;
});

afterAll(async () => {
  unroute();
  await emulator.close();
  await receiver.close();
});

describe('the validator itself', () => {
  it('catches a wrong enum value and a wrong type in an otherwise valid emulator invoice', async () => {
    const { json } = await api(`/Invoices/${IDS.open}`);
    expect(validateXero('Invoices', json)).toEqual([]);
    const overdue = structuredClone(json);
    overdue.Invoices[0].Status = 'OVERDUE';
    expect(validateXero('Invoices', overdue)).toEqual([
      '/Invoices/0/Status must be equal to one of the allowed values (DRAFT, SUBMITTED, DELETED, AUTHORISED, PAID, VOIDED)',
    ]);
    const stringTotal = structuredClone(json);
    stringTotal.Invoices[0].Total = '400.00';
    expect(validateXero('Invoices', stringTotal)).toEqual(['/Invoices/0/Total must be number']);
    const badId = structuredClone(json);
    badId.Invoices[0].Contact.ContactID = '42';
    expect(validateXero('Invoices', badId)).toEqual([
      '/Invoices/0/Contact/ContactID must match format "uuid"',
    ]);
  });
});

describe('Accounting API answers', () => {
  it('Organisation', async () => {
    const { status, json } = await api('/Organisation');
    expect(status).toBe(200);
    expect(json).toMatchObject({
      Status: 'OK',
      ProviderName: 'Dunwell',
      DateTimeUTC: expect.stringMatching(/^\/Date\(\d+\)\/$/),
    });
    expect(validateXero('Organisations', json)).toEqual([]);
  });

  it('Invoices: unpaged, paged, summaryOnly, by id, filtered', async () => {
    for (const path of [
      '/Invoices',
      '/Invoices?page=1&pageSize=2',
      '/Invoices?summaryOnly=true',
      `/Invoices/${IDS.partial}`,
      `/Invoices?IDs=${IDS.paid},${IDS.draft}&Statuses=PAID,DRAFT`,
      `/Invoices?where=${encodeURIComponent('Type=="ACCREC"')}&order=DueDate%20DESC`,
    ]) {
      const { status, json } = await api(path);
      expect(status, path).toBe(200);
      expect(json.Invoices.length, path).toBeGreaterThan(0);
      expect(validateXero('Invoices', json), path).toEqual([]);
    }
  });

  it('OnlineInvoices', async () => {
    const { json } = await api(`/Invoices/${IDS.open}/OnlineInvoice`);
    expect(validateXero('OnlineInvoices', json)).toEqual([]);
  });

  it('HistoryRecords: the PUT body, its answer and the GET', async () => {
    const body = { HistoryRecords: [{ Details: 'First reminder sent' }] };
    expect(validateXero('HistoryRecords', body)).toEqual([]);
    const put = await api(`/Invoices/${IDS.overdue}/History`, { method: 'PUT', body });
    expect(put.status).toBe(200);
    expect(validateXero('HistoryRecords', put.json)).toEqual([]);
    const get = await api(`/Invoices/${IDS.overdue}/History`);
    expect(validateXero('HistoryRecords', get.json)).toEqual([]);
  });

  it('Invoices: the due-date POST body and its answer', async () => {
    const body = { Invoices: [{ DueDate: '2031-05-01' }] };
    expect(validateXero('Invoices', body)).toEqual([]);
    const { status, json } = await api(`/Invoices/${IDS.open}`, { method: 'POST', body });
    expect(status).toBe(200);
    expect(validateXero('Invoices', json)).toEqual([]);
  });

  it('Contacts, Payments, CreditNotes lists and single reads', async () => {
    for (const [path, schema] of [
      ['/Contacts?page=1&includeArchived=true', 'Contacts'],
      ['/Contacts', 'Contacts'],
      [`/Contacts/${IDS.alpha}`, 'Contacts'],
      ['/Payments?page=1', 'Payments'],
      ['/CreditNotes?page=1', 'CreditNotes'],
    ] as const) {
      const { status, json } = await api(path);
      expect(status, path).toBe(200);
      expect(validateXero(schema, json), path).toEqual([]);
    }
  });

  it('CreditNotes PUT and Allocations PUT: bodies and answers', async () => {
    const creditNotes = {
      CreditNotes: [
        {
          Type: 'ACCRECCREDIT',
          Status: 'AUTHORISED',
          Contact: { ContactID: IDS.beta },
          Date: today,
          LineItems: [{ Description: 'Goodwill', Quantity: 1, UnitAmount: 50, AccountCode: '200' }],
          CurrencyCode: 'NZD',
        },
      ],
    };
    expect(validateXero('CreditNotes', creditNotes)).toEqual([]);
    const created = await api('/CreditNotes', { method: 'PUT', body: creditNotes });
    expect(created.status).toBe(200);
    expect(validateXero('CreditNotes', created.json)).toEqual([]);
    const allocations = { Allocations: [{ Amount: 50, Invoice: { InvoiceID: IDS.partial }, Date: today }] };
    expect(validateXero('Allocations', allocations)).toEqual([]);
    const id = created.json.CreditNotes[0].CreditNoteID;
    const allocated = await api(`/CreditNotes/${id}/Allocations`, { method: 'PUT', body: allocations });
    expect(allocated.status).toBe(200);
    expect(validateXero('Allocations', allocated.json)).toEqual([]);
    const list = await api(`/CreditNotes/${id}`);
    expect(validateXero('CreditNotes', list.json)).toEqual([]);
    expect(list.json.CreditNotes[0].Allocations).toHaveLength(1);
  });

  it('Overpayments and Prepayments lists and single reads, with RemainingCredit and Allocations', async () => {
    const changes = emulator.changes(tenantId);
    const overpayment = changes.receiveOverpayment({ contactId: IDS.alpha, amount: 12_000 });
    const prepayment = changes.receivePrepayment({ contactId: IDS.alpha, amount: 3_000 });
    changes.allocateReceivedCredit(overpayment, { invoiceId: IDS.overdue, amount: 2_000 });
    for (const [path, schema] of [
      ['/Overpayments?page=1', 'Overpayments'],
      ['/Overpayments', 'Overpayments'],
      [`/Overpayments/${overpayment}`, 'Overpayments'],
      [
        `/Overpayments?where=${encodeURIComponent('Type=="RECEIVE-OVERPAYMENT" && Status=="AUTHORISED"')}`,
        'Overpayments',
      ],
      ['/Prepayments?page=1', 'Prepayments'],
      [`/Prepayments/${prepayment}`, 'Prepayments'],
    ] as const) {
      const { status, json } = await api(path);
      expect(status, path).toBe(200);
      expect(validateXero(schema, json), path).toEqual([]);
    }
    const { json: over } = await api(`/Overpayments/${overpayment}`);
    expect(over.Overpayments[0]).toMatchObject({
      OverpaymentID: overpayment,
      Type: 'RECEIVE-OVERPAYMENT',
      Status: 'AUTHORISED',
      Total: 120,
      RemainingCredit: 100,
      Allocations: [
        expect.objectContaining({ Amount: 20, Invoice: expect.objectContaining({ InvoiceID: IDS.overdue }) }),
      ],
    });
    const { json: pre } = await api(`/Prepayments/${prepayment}`);
    expect(pre.Prepayments[0]).toMatchObject({ Type: 'RECEIVE-PREPAYMENT', RemainingCredit: 30 });
  });

  it('Contacts carry their addresses with Country', async () => {
    emulator.changes(tenantId).updateContact(IDS.beta, {
      addresses: [{ addressType: 'POBOX', addressLine1: 'PO Box 7', city: 'Nelson', country: 'New Zealand' }],
    });
    const { json } = await api(`/Contacts/${IDS.beta}`);
    expect(validateXero('Contacts', json)).toEqual([]);
    expect(json.Contacts[0].Addresses).toEqual([
      { AddressType: 'STREET' },
      { AddressType: 'POBOX', AddressLine1: 'PO Box 7', City: 'Nelson', Country: 'New Zealand' },
    ]);
  });

  it('400 ValidationException and QueryParseException answers match Error', async () => {
    emulator.changes(tenantId).receivePayment({ invoiceId: IDS.foreign, amount: 100 });
    const answers = [
      await api(`/Invoices/${IDS.foreign}`, {
        method: 'POST',
        body: { Invoices: [{ DueDate: '2031-01-01' }] },
      }),
      await api(`/Invoices/${IDS.open}/History`, {
        method: 'PUT',
        body: { HistoryRecords: [{ Details: 'z'.repeat(251) }] },
      }),
      await api(`/Invoices?where=${encodeURIComponent('Status=="')}`),
    ];
    for (const { status, json } of answers) {
      expect(status).toBe(400);
      expect(validateXero('Error', json)).toEqual([]);
    }
    expect(answers[0]?.json.Elements[0].ValidationErrors[0].Message).toBe(
      'This document cannot be edited as it has a payment or credit note allocated to it.',
    );
  });

  it('401, 403 and 404 have Xero’s (schema-less) shapes', async () => {
    const unknown = await fetch(`${emulator.endpoints.apiBase}/Invoices`, {
      headers: { authorization: 'Bearer nope', 'xero-tenant-id': tenantId },
    });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({
      Type: null,
      Title: 'Unauthorized',
      Status: 401,
      Detail: 'AuthenticationUnsuccessful',
    });
    const noTenant = await fetch(`${emulator.endpoints.apiBase}/Invoices`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(noTenant.status).toBe(403);
    expect(await noTenant.json()).toMatchObject({
      Title: 'Forbidden',
      Status: 403,
      Detail: 'AuthenticationUnsuccessful',
    });
    const missing = await api('/Invoices/99999999-9999-4999-8999-999999999999');
    expect(missing).toEqual({ status: 404, json: "The resource you're looking for cannot be found" });
  });
});

describe('identity and webhooks', () => {
  it('GET /connections items match xero-identity.yaml Connection', async () => {
    const response = await fetch(emulator.endpoints.connections, {
      headers: { authorization: `Bearer ${token}` },
    });
    const list = (await response.json()) as unknown[];
    expect(list.length).toBeGreaterThan(0);
    for (const connection of list) expect(validateXeroIdentity('Connection', connection)).toEqual([]);
  });

  it('webhook payloads match WebhookEvent (and CreditNoteWebhookEvent for credit notes)', async () => {
    emulator.setWebhookTarget({ url: receiverUrl, mode: 'manual' });
    await emulator.deliverWebhooks();
    bodies.length = 0;
    const changes = emulator.changes(tenantId);
    changes.createContact({ name: 'Webhook Contact' });
    changes.receivePayment({ invoiceId: IDS.open, amount: 100 });
    await emulator.deliverWebhooks();
    changes.createCreditNote({ contactId: IDS.alpha, amount: 100 });
    await emulator.deliverWebhooks();
    const [mixed, credit] = bodies.map((b) => JSON.parse(b) as Json);
    expect(mixed.events).toHaveLength(2);
    expect(validateXeroWebhook('WebhookEvent', mixed)).toEqual([]);
    expect(validateXeroWebhook('CreditNoteWebhookEvent', credit)).toEqual([]);
  });

  it('the intent-to-receive payload has sequences 0, which the published schema rejects (minimum 1)', async () => {
    bodies.length = 0;
    await emulator.intentToReceive(receiverUrl);
    const intent = JSON.parse(bodies[0] as string) as Json;
    expect(intent).toMatchObject({ events: [], firstEventSequence: 0, lastEventSequence: 0 });
    expect(validateXeroWebhook('WebhookEvent', intent)).toEqual([
      '/lastEventSequence must be >= 1',
      '/firstEventSequence must be >= 1',
    ]);
  });
});
