/** Signed webhook deliveries, CloudEvents and legacy, to a local Fastify receiver. */
import { createHmac } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QuickBooksEmulator } from '../../emulators/quickbooks/index.js';
import {
  call,
  connectedQuickbooks,
  demoSeed,
  type Json,
  restoreClientStatics,
  startEmulator,
  VERIFIER,
} from './qbo-harness.js';

interface Delivery {
  contentType: string | undefined;
  signature: string | undefined;
  raw: string;
}

let emulator: QuickBooksEmulator;
let receiver: FastifyInstance;
let hookUrl: string;
let deliveries: Delivery[] = [];
let answerWith = 200;
let realmId: string;

beforeAll(async () => {
  ({ emulator } = await startEmulator());
  receiver = Fastify();
  // Signatures cover the raw bytes, so the receiver keeps the body as text.
  receiver.addContentTypeParser(
    ['application/json', 'application/cloudevents+json'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );
  receiver.post('/hooks', async (request, reply) => {
    deliveries.push({
      contentType: request.headers['content-type'],
      signature: request.headers['intuit-signature'] as string | undefined,
      raw: request.body as string,
    });
    return reply.code(answerWith).send();
  });
  hookUrl = `${await receiver.listen({ port: 0, host: '127.0.0.1' })}/hooks`;
});

beforeEach(() => {
  deliveries = [];
  answerWith = 200;
  realmId = emulator.addCompany(demoSeed);
});

afterAll(async () => {
  await emulator.close();
  await receiver.close();
  restoreClientStatics();
});

function expectSigned(delivery: Delivery): Json {
  const expected = createHmac('sha256', VERIFIER).update(delivery.raw).digest('base64');
  expect(delivery.signature).toBe(expected);
  return JSON.parse(delivery.raw);
}

describe('webhooks', () => {
  it('delivers queued changes as one signed CloudEvents batch', async () => {
    emulator.setWebhookTarget({ url: hookUrl, format: 'cloudevents', mode: 'manual' });
    const changes = emulator.changes(realmId);
    changes.updateInvoice('10', { dueDate: '2031-01-01' });
    changes.voidInvoice('11');
    changes.deleteInvoice('12');
    const customerId = changes.createCustomer({ displayName: 'Epsilon Electric' });
    const qbo = await connectedQuickbooks(emulator, realmId);
    await call((cb) => qbo.updateInvoice({ Id: '10', SyncToken: '1', PrivateNote: 'via API' }, cb));

    expect(await emulator.deliverWebhooks()).toEqual([200]);
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries as [Delivery];
    expect(delivery.contentType).toBe('application/cloudevents+json');
    const events = expectSigned(delivery);
    expect(events.map((e: Json) => [e.type, e.intuitentityid])).toEqual([
      ['qbo.invoice.updated.v1', '10'],
      ['qbo.invoice.voided.v1', '11'],
      ['qbo.invoice.deleted.v1', '12'],
      ['qbo.customer.created.v1', customerId],
      ['qbo.invoice.updated.v1', '10'],
    ]);
    for (const event of events) {
      expect(event).toMatchObject({
        specversion: '1.0',
        datacontenttype: 'application/json',
        intuitaccountid: realmId,
        data: {},
      });
      expect(event.source).toMatch(/^intuit\./);
      expect(Number.isNaN(Date.parse(event.time))).toBe(false);
    }
    expect(new Set(events.map((e: Json) => e.id)).size).toBe(5);
    expect(await emulator.deliverWebhooks()).toEqual([]);
  });

  it('delivers the legacy format, duplicated and reversed on request', async () => {
    emulator.setWebhookTarget({ url: hookUrl, format: 'legacy', mode: 'manual' });
    const changes = emulator.changes(realmId);
    changes.updateInvoice('10', { privateNote: 'first' });
    const paymentId = changes.receivePayment({ customerId: '1', amount: 1000, invoiceIds: ['10'] });

    expect(await emulator.deliverWebhooks({ duplicate: true, reverse: true })).toEqual([200]);
    const body = expectSigned(deliveries[0] as Delivery);
    expect(deliveries[0]?.contentType).toBe('application/json');
    const [notification] = body.eventNotifications;
    expect(notification.realmId).toBe(realmId);
    const entities = notification.dataChangeEvent.entities.map((e: Json) => [e.name, e.id, e.operation]);
    const once = [
      ['Invoice', '10', 'Update'],
      ['Payment', paymentId, 'Create'],
      ['Invoice', '10', 'Update'],
    ];
    expect(entities).toEqual([...once, ...once].reverse());
    expect(notification.dataChangeEvent.entities[0].lastUpdated).toMatch(/Z$/);
    // Intuit's published legacy samples list each entity's fields as name, id, operation, lastUpdated.
    expect(deliveries[0]?.raw).toMatch(
      /^\{"eventNotifications":\[\{"realmId":"\d+","dataChangeEvent":\{"entities":\[\{"name":"Invoice","id":"10","operation":"Update","lastUpdated":"[^"]+"\}/,
    );
  });

  it('delivers right away in auto mode', async () => {
    emulator.setWebhookTarget({ url: hookUrl, format: 'cloudevents', mode: 'auto' });
    emulator.changes(realmId).deactivateCustomer('2');
    for (let i = 0; i < 100 && deliveries.length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    const [event] = expectSigned(deliveries[0] as Delivery);
    expect(event).toMatchObject({ type: 'qbo.customer.updated.v1', intuitentityid: '2' });
  });

  it('reports the receiver’s failures', async () => {
    emulator.setWebhookTarget({ url: hookUrl, format: 'cloudevents', mode: 'manual' });
    emulator.changes(realmId).updateInvoice('10', { privateNote: 'x' });
    answerWith = 500;
    expect(await emulator.deliverWebhooks()).toEqual([500]);
    emulator.setWebhookTarget({ url: 'http://127.0.0.1:1/nowhere', format: 'legacy', mode: 'manual' });
    emulator.changes(realmId).updateInvoice('10', { privateNote: 'y' });
    expect(await emulator.deliverWebhooks()).toEqual([0]);
  });
});
