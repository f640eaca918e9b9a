/** Webhooks: signature, payload, intent to receive, duplicates, reordering and redelivery, with a local receiver. */
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { XeroClient } from 'xero-node';
import { signXeroWebhook, type XeroEmulator } from '../../../emulators/xero/index.js';
import { connect, harnessSeed, IDS, startEmulator, WEBHOOK_KEY } from './xero-harness.js';

interface Delivery {
  raw: string;
  signatureOk: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: webhook JSON.
  json: any;
}

let emulator: XeroEmulator;
let unroute: () => void;
let receiver: FastifyInstance;
let receiverUrl: string;
let xero: XeroClient;
let tenantId: string;
let deliveries: Delivery[] = [];
let failNext = 0;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  ({ emulator, unroute } = await startEmulator());
  tenantId = emulator.addOrganisation(harnessSeed(today));
  ({ client: xero } = await connect(emulator));
  receiver = Fastify();
  receiver.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  receiver.post('/xero/webhooks', async (request, reply) => {
    const raw = request.body as string;
    const given = Buffer.from(String(request.headers['x-xero-signature'] ?? ''));
    const expected = Buffer.from(signXeroWebhook(raw, WEBHOOK_KEY));
    const signatureOk = given.length === expected.length && timingSafeEqual(given, expected);
    if (!signatureOk) return reply.code(401).send();
    if (failNext > 0) {
      failNext -= 1;
      return reply.code(503).send();
    }
    deliveries.push({ raw, signatureOk, json: JSON.parse(raw) });
    return reply.code(200).send();
  });
  receiverUrl = `${await receiver.listen({ port: 0, host: '127.0.0.1' })}/xero/webhooks`;
});

beforeEach(async () => {
  await emulator.deliverWebhooks();
  deliveries = [];
  emulator.setWebhookTarget({ url: receiverUrl, mode: 'manual' });
});

afterAll(async () => {
  unroute();
  await emulator.close();
  await receiver.close();
});

describe('intent to receive', () => {
  it('sends one correctly and one wrongly signed empty payload: 200 and 401 from a correct receiver', async () => {
    await expect(emulator.intentToReceive(receiverUrl)).resolves.toEqual({ correct: 200, incorrect: 401 });
  });
});

describe('events', () => {
  it('queues signed events for changes and API writes and delivers them in Xero’s payload', async () => {
    const changes = emulator.changes(tenantId);
    const contactId = changes.createContact({ name: 'New Customer', emailAddress: 'new@customer.example' });
    changes.receivePayment({ invoiceId: IDS.open, amount: 1000 });
    await xero.accountingApi.updateInvoice(tenantId, IDS.overdue, { invoices: [{ dueDate: '2031-02-01' }] });
    expect(await emulator.deliverWebhooks()).toEqual([200]);
    expect(deliveries).toHaveLength(1);
    const payload = deliveries[0]?.json;
    expect(payload.events.map((e: { resourceId: string }) => e.resourceId)).toEqual([
      contactId,
      IDS.open,
      IDS.overdue,
    ]);
    expect(payload.events[0]).toMatchObject({
      eventCategory: 'CONTACT',
      eventType: 'CREATE',
      tenantId,
      tenantType: 'ORGANISATION',
      resourceUrl: `${emulator.endpoints.apiBase}/Contacts/${contactId}`,
    });
    expect(payload.events[1]).toMatchObject({ eventCategory: 'INVOICE', eventType: 'UPDATE' });
    expect(payload.events[2].eventDateUtc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(payload.lastEventSequence - payload.firstEventSequence).toBe(2);
    expect(payload.entropy).toMatch(/^[A-Z]{20}$/);
  });

  it('credit note events carry data {Type, Status}; allocation updates both documents', async () => {
    const changes = emulator.changes(tenantId);
    const creditNoteId = changes.createCreditNote({ contactId: IDS.alpha, amount: 500 });
    changes.allocateCreditNote(creditNoteId, { invoiceId: IDS.open, amount: 500 });
    await emulator.deliverWebhooks();
    const events = deliveries.flatMap((d) => d.json.events);
    expect(
      events.map((e: { eventCategory: string; eventType: string }) => `${e.eventCategory} ${e.eventType}`),
    ).toEqual(['CREDITNOTE CREATE', 'INVOICE UPDATE', 'CREDITNOTE UPDATE']);
    expect(events[0].data).toEqual({ Type: 'ACCRECCREDIT', Status: 'AUTHORISED' });
    expect(events[2].data).toEqual({ Type: 'ACCRECCREDIT', Status: 'PAID' });
  });

  it('duplicate and reverse: same sequences twice, newest first', async () => {
    const changes = emulator.changes(tenantId);
    changes.updateContact(IDS.beta, { emailAddress: 'accounts@beta.example' });
    changes.archiveContact(IDS.gamma);
    expect(await emulator.deliverWebhooks({ duplicate: true, reverse: true })).toEqual([200, 200]);
    const [one, two] = deliveries.map((d) => d.json);
    expect(one.events.map((e: { resourceId: string }) => e.resourceId)).toEqual([IDS.gamma, IDS.beta]);
    expect(two.events).toEqual(one.events);
    expect(one.firstEventSequence).toBe(two.firstEventSequence);
  });

  it('keeps the events of a failed delivery queued for the next one', async () => {
    emulator.changes(tenantId).updateContact(IDS.alpha, { name: 'Alpha Dental Group' });
    failNext = 1;
    expect(await emulator.deliverWebhooks()).toEqual([503]);
    expect(await emulator.deliverWebhooks()).toEqual([200]);
    expect(deliveries[0]?.json.events[0]).toMatchObject({ resourceId: IDS.alpha, eventCategory: 'CONTACT' });
  });

  it('auto mode posts each event as it happens', async () => {
    emulator.setWebhookTarget({ url: receiverUrl, mode: 'auto' });
    emulator.changes(tenantId).createInvoice({ contactId: IDS.alpha, amount: 1234, dueDate: today });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.json.events[0]).toMatchObject({ eventCategory: 'INVOICE', eventType: 'CREATE' });
  });
});
