/**
 * QuickBooks Online conformance: samples Intuit published (SDK tests, sample apps, API documentation) replayed
 * through node-quickbooks and the project's connector. Every sample is in test/fixtures/vendor-samples/quickbooks/
 * and listed in test/fixtures/vendor-samples/SOURCES.md; expected values below are read off the samples themselves.
 */
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LedgerConnector, LedgerEvent } from '../../connectors/ledger.js';
import { parseQuickBooksWebhook } from '../../connectors/quickbooks/webhooks.js';
import {
  type Answer,
  rejectionOf,
  type SampleServer,
  sample,
  sampleConnector,
  sampleHandle,
  sampleJson,
  startSampleServer,
} from './quickbooks-sample-server.js';

/** Published verifier tokens and signatures (see SOURCES.md). */
const JAVA_SDK_VERIFIER = 'b5771f19b12ddb4bcdb9f08bdc50bc63878a';
const JAVA_SDK_SIGNATURE = 'JC2GUwciPmRBwEO7WvrRmKqu9tGOKL8FFallocTFi8Q=';
const DOTNET_SDK_VERIFIER = '00faeec4-08d0-4996-bb37-698ae19f0149';
const DOTNET_SDK_SIGNATURE = '6q+xGyMirJupwKTh2/WBl2NcdxzxqdIbk3sneKTxLWM=';
const SAMPLEAPP_VERIFIER = '12345';
const SAMPLEAPP_SIGNATURE = 'gfTuE5fLxnstOq8ln4LNWZfn24cg8FVB6PBv455lfzg=';
/** The verifier token published in SampleApp-Webhooks-Java-Cloudevents/test-batch-20.sh (it signs its batches). */
const CLOUDEVENTS_APP_VERIFIER = 'd691402a-9b97-4836-9989-938628cc2927';

const REALM = '1185883450';

/** The CloudEvents samples carry no published signature: they are signed here as test-batch-20.sh does. */
function signed(body: string, token = CLOUDEVENTS_APP_VERIFIER) {
  return {
    raw: Buffer.from(body, 'utf8'),
    headers: { 'intuit-signature': createHmac('sha256', token).update(body, 'utf8').digest('base64') },
  };
}

function parseSigned(name: string) {
  const { raw, headers } = signed(sample(name));
  return parseQuickBooksWebhook(raw, headers, CLOUDEVENTS_APP_VERIFIER);
}

function eventsOf(parsed: ReturnType<typeof parseQuickBooksWebhook>): LedgerEvent[] {
  if (!parsed.ok) throw new Error(`expected events, got ${parsed.reason}: ${parsed.detail}`);
  return parsed.events;
}

interface FaultRow {
  httpStatus: number;
  code: string;
  Message: string;
  Detail: string;
}

/** Intuit's published fault template, with one row of its error table in place of the placeholders. */
function faultFromTemplate(row: FaultRow): string {
  return sample('intuit-docs-fault-template.json')
    .replace('<message>', row.Message)
    .replace('<detail>', row.Detail)
    .replace('<code>', row.code);
}

let server: SampleServer;
let connector: LedgerConnector;

beforeAll(async () => {
  server = await startSampleServer();
  connector = sampleConnector(server.url);
});
afterEach(() => {
  server.routes.length = 0;
  server.requests.length = 0;
  vi.useRealTimers();
});
afterAll(() => server.close());

const handle = () => sampleHandle(connector, REALM, 'USD');
const on =
  (method: string, pathEnd: string, answer: Answer | ((body: string) => Answer)) =>
  (request: { method: string; path: string; body: string }) =>
    request.method === method && request.path.endsWith(pathEnd)
      ? typeof answer === 'function'
        ? answer(request.body)
        : answer
      : undefined;

describe('QuickBooks conformance: legacy eventNotifications webhooks', () => {
  it('verifies the Java SDK sample with its published verifier token and intuit-signature', () => {
    const raw = Buffer.from(sample('java-sdk-webhook-legacy-customer-create.json'), 'utf8');
    const events = eventsOf(
      parseQuickBooksWebhook(raw, { 'intuit-signature': JAVA_SDK_SIGNATURE }, JAVA_SDK_VERIFIER),
    );
    expect(events).toEqual([
      {
        eventId: expect.stringMatching(/^legacy-/),
        tenantId: '1185883450',
        entity: 'customer',
        entityId: '1',
        operation: 'created',
        occurredAt: '2015-10-05T14:42:19-0700',
      },
    ]);
    // The SDK's own negative case: signature "1234" must not verify.
    expect(parseQuickBooksWebhook(raw, { 'intuit-signature': '1234' }, JAVA_SDK_VERIFIER)).toMatchObject({
      ok: false,
      reason: 'signature',
    });
  });

  it('verifies the .NET SDK sample (two entities, one the connector does not track) with its published token', () => {
    const raw = Buffer.from(sample('dotnet-sdk-webhook-legacy-vendor-customer.json'), 'utf8');
    const events = eventsOf(
      parseQuickBooksWebhook(raw, { 'Intuit-Signature': DOTNET_SDK_SIGNATURE }, DOTNET_SDK_VERIFIER),
    );
    expect(
      events.map(({ tenantId, entity, entityId, operation, occurredAt }) => ({
        tenantId,
        entity,
        entityId,
        operation,
        occurredAt,
      })),
    ).toEqual([
      {
        tenantId: '1269959970',
        entity: 'other',
        entityId: '40',
        operation: 'updated',
        occurredAt: '2016-10-05T03:09:04.000Z',
      },
      {
        tenantId: '1269959970',
        entity: 'customer',
        entityId: '43',
        operation: 'created',
        occurredAt: '2016-10-05T03:07:04.000Z',
      },
    ]);
    expect(new Set(events.map((event) => event.eventId)).size).toBe(2);
    // Another app's verifier token does not verify this body.
    expect(
      parseQuickBooksWebhook(raw, { 'intuit-signature': DOTNET_SDK_SIGNATURE }, JAVA_SDK_VERIFIER).ok,
    ).toBe(false);
  });

  it('gives a redelivered legacy notification the same event ids (the format has none of its own)', () => {
    const raw = Buffer.from(sample('dotnet-sdk-webhook-legacy-vendor-customer.json'), 'utf8');
    const headers = { 'intuit-signature': DOTNET_SDK_SIGNATURE };
    const first = eventsOf(parseQuickBooksWebhook(raw, headers, DOTNET_SDK_VERIFIER));
    const again = eventsOf(parseQuickBooksWebhook(Buffer.from(raw), headers, DOTNET_SDK_VERIFIER));
    expect(again.map((event) => event.eventId)).toEqual(first.map((event) => event.eventId));
  });

  it('checks the SampleApp-Webhooks-Java signature over the raw bytes before reading them', () => {
    const raw = Buffer.from(sample('sampleapp-webhooks-java-signature-body.txt'), 'utf8');
    // The published pair verifies, so the body is then refused for what it is (not JSON), not for its signature.
    expect(
      parseQuickBooksWebhook(raw, { 'intuit-signature': SAMPLEAPP_SIGNATURE }, SAMPLEAPP_VERIFIER),
    ).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect(parseQuickBooksWebhook(raw, { 'intuit-signature': '12345' }, SAMPLEAPP_VERIFIER)).toMatchObject({
      ok: false,
      reason: 'signature',
    });
  });
});

describe('QuickBooks conformance: CloudEvents webhooks', () => {
  it('reads the Java SDK CloudEvents sample (an entity the connector does not track)', () => {
    expect(eventsOf(parseSigned('java-sdk-webhook-cloudevents-class-created.json'))).toEqual([
      {
        eventId: 'd1a3aedd-9670-41bf-a4f9-c148a1cc4e03',
        tenantId: '310687',
        entity: 'other',
        entityId: '1234',
        operation: 'created',
        occurredAt: '2025-10-07T19:59:07.034359333Z',
      },
    ]);
  });

  it.each([
    [
      'sampleapp-cloudevents-single-customer-created.json',
      'event-123',
      '789',
      'customer',
      '456',
      'created',
      '2025-12-03T10:00:00Z',
    ],
    [
      'sampleapp-cloudevents-all-fields.json',
      'complete-event',
      '200',
      'customer',
      '100',
      'created',
      '2025-12-03T10:00:00Z',
    ],
    [
      'sampleapp-cloudevents-invoice-deleted.json',
      'delete-event',
      '9341455322581846',
      'invoice',
      '29',
      'deleted',
      null,
    ],
    [
      'sampleapp-cloudevents-customer-updated.json',
      'update-event',
      '123456',
      'customer',
      '42',
      'updated',
      null,
    ],
    ['sampleapp-cloudevents-content-type.json', 'test-456', '123456', 'customer', '42', 'created', null],
    ['sampleapp-cloudevents-unknown-type.json', 'test-999', '123456', 'other', '99', 'other', null],
  ])('reads %s', (name, eventId, tenantId, entity, entityId, operation, occurredAt) => {
    expect(eventsOf(parseSigned(name))).toEqual([
      { eventId, tenantId, entity, entityId, operation, occurredAt },
    ]);
  });

  it.each([
    'sampleapp-cloudevents-multiple-no-account.json',
    'sampleapp-cloudevents-different-entity-types.json',
    'sampleapp-cloudevents-specversion-only.json',
    'sampleapp-cloudevents-valid-no-ids.json',
    'sampleapp-cloudevents-valid-format.json',
  ])('refuses %s: no event in it names a company and an entity', (name) => {
    expect(parseSigned(name)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses a CloudEvents sample signed with another app’s token', () => {
    const { raw, headers } = signed(sample('sampleapp-cloudevents-content-type.json'), JAVA_SDK_VERIFIER);
    expect(parseQuickBooksWebhook(raw, headers, CLOUDEVENTS_APP_VERIFIER)).toMatchObject({
      ok: false,
      reason: 'signature',
    });
  });
});

describe('QuickBooks conformance: reads', () => {
  const invoiceSample = sampleJson<{ Invoice: Record<string, unknown>; time: string }>(
    'java-sdk-invoice-home-balance.json',
  );
  /** The Java SDK's invoice, unchanged, in the envelope Intuit answers a query with. */
  const invoiceQueryPage = JSON.stringify({
    QueryResponse: { Invoice: [invoiceSample.Invoice], startPosition: 1, maxResults: 1 },
    time: invoiceSample.time,
  });
  const expectedInvoice = {
    externalId: '20246',
    customerExternalId: '4841',
    number: '4020',
    currency: 'USD',
    totalMinor: 10_005_555,
    balanceMinor: 10_005_555,
    issueDate: '2015-08-10',
    dueDate: '2015-08-10',
    status: 'open',
    version: '0',
    paymentUrl: null,
    billEmail: 'javasdk-fake-email@gmail.com',
    updatedAt: '2015-08-10T16:30:47-07:00',
  };

  it('maps the Java SDK invoice from an open-invoice query, in minor units, with one query of at most 1000', async () => {
    server.routes.push(on('GET', '/query', { body: invoiceQueryPage }));
    const page = await connector.listOpenInvoices(handle(), null);
    expect(page).toEqual({ items: [expectedInvoice], next: null });
    const [request] = server.requests;
    expect(request?.path).toBe(`/v3/company/${REALM}/query`);
    expect(request?.query.get('query')).toBe(
      "select * from invoice where Balance > '0' startposition 1 maxresults 1000",
    );
    expect(request?.query.get('minorversion')).toBe('75');
  });

  it('re-reads the same invoice by id (fetchInvoices)', async () => {
    server.routes.push(on('GET', '/query', { body: invoiceQueryPage }));
    expect(await connector.fetchInvoices(handle(), ['20246', '20246', 'NG:1'])).toEqual([expectedInvoice]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.query.get('query')).toBe(
      "select * from invoice where Id in ('20246') startposition 1 maxresults 1000",
    );
  });

  it('reads the Java SDK invoice entity for a payment link: none is published without InvoiceLink', async () => {
    server.routes.push(on('GET', '/invoice/20246', { body: sample('java-sdk-invoice-home-balance.json') }));
    expect(await connector.paymentLink(handle(), '20246')).toBeNull();
    expect(server.requests[0]?.query.get('include')).toBe('invoiceLink');
  });

  it('moves the sample invoice’s due date with a sparse update naming its Id and SyncToken', async () => {
    server.routes.push(
      on('GET', '/invoice/20246', { body: sample('java-sdk-invoice-home-balance.json') }),
      on('POST', '/invoice', { body: sample('java-sdk-invoice-home-balance.json') }),
    );
    const result = await connector.changeDueDate(handle(), {
      invoiceId: '20246',
      dueDate: '2015-09-09',
      idempotencyKey: 'plan:conformance',
    });
    expect(result).toEqual({ applied: true });
    const post = server.requests.find((request) => request.method === 'POST');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({
      Id: '20246',
      SyncToken: '0',
      sparse: true,
      DueDate: '2015-09-09',
    });
    expect(post?.query.get('requestid')).toBe('plan:conformance:v0');
  });

  it('writes nothing when the sample invoice is already due on that day', async () => {
    server.routes.push(on('GET', '/invoice/20246', { body: sample('java-sdk-invoice-home-balance.json') }));
    expect(
      await connector.changeDueDate(handle(), {
        invoiceId: '20246',
        dueDate: '2015-08-10',
        idempotencyKey: 'k',
      }),
    ).toEqual({ applied: true });
    expect(server.requests.map((request) => request.method)).toEqual(['GET']);
  });

  it('reads a customer page that carries a Fault beside the rows (Java SDK query samples)', async () => {
    for (const name of [
      'java-sdk-query-customer-fault-first.json',
      'java-sdk-query-customer-fault-last.json',
    ]) {
      server.routes.length = 0;
      server.routes.push(on('GET', '/query', { body: sample(name) }));
      const page = await connector.listCustomers(handle(), null);
      expect(page.next).toBeNull();
      expect(page.items).toEqual([
        {
          externalId: 'NG:2293936',
          name: '0588e717-4c0f-4fb3-8e7c-7',
          active: true,
          currency: null,
          contacts: [],
          country: null,
          postalAddress: null,
          updatedAt: null,
        },
      ]);
    }
    expect(server.requests.at(-1)?.query.get('query')).toBe(
      'select * from customer where Active IN (true, false) startposition 1 maxresults 1000',
    );
  });

  it('describes the company from the PHP SDK CompanyInfo sample', async () => {
    server.routes.push(
      on('GET', `/companyinfo/${REALM}`, { body: sample('php-sdk-companyinfo.json') }),
      // Not a published sample: Intuit's Preferences envelope with no currency preferences in it.
      on('GET', '/preferences', { body: '{"Preferences":{},"time":"2015-06-10T13:07:32.149-07:00"}' }),
    );
    expect(await connector.describeTenant(sampleHandle(connector, REALM, 'USD'))).toEqual({
      name: 'TestCompany',
      currency: 'USD',
      country: 'US',
      // QuickBooks has no zone setting: its address state (the sample's CompanyAddr) stands in.
      timeZone: null,
      region: 'AK',
    });
  });

  it('reads the Java SDK CDC sample (Deposits only) as no change and resumes a minute before its time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2015-09-08T18:00:00-07:00'));
    server.routes.push(on('GET', '/cdc', { body: sample('java-sdk-cdc-deposit.json') }));
    const changes = await connector.changesSince(handle(), '2015-09-08T00:00:00.000Z');
    expect(changes).toEqual({
      invoices: [],
      customers: [],
      payments: [],
      credits: [],
      deleted: { invoices: [], customers: [], payments: [], credits: [] },
      // "time":"2015-09-08T17:31:09.172-07:00" less the connector's one-minute overlap.
      cursor: '2015-09-09T00:30:09.172Z',
    });
    const [request] = server.requests;
    expect(request?.query.get('entities')).toBe('Invoice,Customer,Payment,CreditMemo');
    expect(request?.query.get('changedSince')).toBe('2015-09-08T00:00:00.000Z');
  });
});

describe('QuickBooks conformance: faults', () => {
  it('fails on the Java SDK Fault body whether Intuit sends it with 400 or with 200', async () => {
    for (const status of [400, 200]) {
      server.routes.length = 0;
      server.routes.push(on('GET', '/query', { status, body: sample('java-sdk-fault-validation-500.json') }));
      const error = await rejectionOf(connector.listOpenInvoices(handle(), null));
      expect(error.code).toBe('rejected');
      expect(error.detail).toContain('Unsupported operation requested');
    }
  });

  it('reads Intuit’s fault template itself (placeholders and all) as a refusal', async () => {
    server.routes.push(on('GET', '/query', { status: 400, body: sample('intuit-docs-fault-template.json') }));
    const error = await rejectionOf(connector.listCustomers(handle(), null));
    expect(error).toMatchObject({ code: 'rejected', status: 400 });
    expect(error.detail).toBe('<message>: <detail>');
  });

  const rows = sampleJson<FaultRow[]>('intuit-docs-common-errors.json');
  const expectedCodes: Record<string, string> = {
    '6240': 'rejected',
    '610': 'not_found',
    '120': 'reauth_required',
    '6190': 'rejected',
    '2500': 'rejected',
    '6000': 'rejected',
    '5010': 'stale_version',
  };
  it.each(rows.map((row) => [row.code, row] as const))(
    'classifies Intuit’s documented error %s',
    async (code, row) => {
      server.routes.push(
        on('GET', '/invoice/20246', { status: row.httpStatus, body: faultFromTemplate(row) }),
      );
      const error = await rejectionOf(connector.paymentLink(handle(), '20246'));
      expect(error.code).toBe(expectedCodes[code]);
      expect(error.status).toBe(row.httpStatus);
      expect(error.detail).toContain(row.Message);
    },
  );

  it('gives up on a stale object (5010) after three re-reads, never writing past it', async () => {
    const stale = rows.find((row) => row.code === '5010') as FaultRow;
    server.routes.push(
      on('GET', '/invoice/20246', { body: sample('java-sdk-invoice-home-balance.json') }),
      on('POST', '/invoice', { status: stale.httpStatus, body: faultFromTemplate(stale) }),
    );
    const error = await rejectionOf(
      connector.changeDueDate(handle(), { invoiceId: '20246', dueDate: '2015-09-09', idempotencyKey: 'k' }),
    );
    expect(error.code).toBe('stale_version');
    expect(server.requests.map((request) => request.method)).toEqual([
      'GET',
      'POST',
      'GET',
      'POST',
      'GET',
      'POST',
    ]);
  });

  it('asks for reconnection on the gateway’s 401 (intuit-api-docs example)', async () => {
    server.routes.push(
      on('GET', '/query', { status: 401, body: sample('intuit-api-docs-gateway-401.json') }),
    );
    const error = await rejectionOf(connector.listPayments(handle(), '2015-01-01', null));
    expect(error).toMatchObject({ code: 'reauth_required', status: 401 });
  });
});

/** A published entity answer (`{"Payment": {…}, "time": …}`) and the entity inside it. */
function entityOf<Entity = Record<string, unknown>>(name: string, key: string): Entity {
  return sampleJson<Record<string, Entity>>(name)[key] as Entity;
}

/** Published entities in the query envelope Intuit's query samples show (startPosition, rows, maxResults). */
function queryPageOf(key: string, rows: unknown[], time: string): string {
  return JSON.stringify({ QueryResponse: { startPosition: 1, [key]: rows, maxResults: rows.length }, time });
}

describe('QuickBooks conformance: payments (Intuit API reference samples)', () => {
  it('maps the documented payment query page: cash in minor units, allocations capped by UnappliedAmt', async () => {
    server.routes.push(on('GET', '/query', { body: sample('intuit-docs-payment-query.json') }));
    const page = await connector.listPayments(handle(), '2015-01-01', null);
    const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
    expect({ items: page.items, next: page.next }).toEqual({
      items: [
        // 161: 55.00 taken, nothing applied.
        {
          externalId: '161',
          customerExternalId: '20',
          amount: usd(5500),
          paidOn: '2015-01-16',
          allocations: [],
        },
        {
          externalId: '162',
          customerExternalId: '20',
          amount: usd(6500),
          paidOn: '2015-01-16',
          allocations: [],
        },
        // 163: 65.00 of which 10.00 unapplied; the 55.00 line pays invoice 70.
        {
          externalId: '163',
          customerExternalId: '20',
          amount: usd(6500),
          paidOn: '2015-01-16',
          allocations: [{ invoiceExternalId: '70', amountMinor: 5500 }],
        },
        // 164: 300.00 of which 245.00 unapplied.
        {
          externalId: '164',
          customerExternalId: '20',
          amount: usd(30_000),
          paidOn: '2015-01-16',
          allocations: [{ invoiceExternalId: '70', amountMinor: 5500 }],
        },
        {
          externalId: '170',
          customerExternalId: '20',
          amount: usd(1500),
          paidOn: '2015-02-04',
          allocations: [{ invoiceExternalId: '70', amountMinor: 1500 }],
        },
        {
          externalId: '171',
          customerExternalId: '20',
          amount: usd(5500),
          paidOn: '2015-02-04',
          allocations: [],
        },
      ],
      // Six rows, fewer than the 1000 asked for: the last page.
      next: null,
    });
    expect(server.requests[0]?.query.get('query')).toBe(
      // Every payment, whatever its date: their unapplied parts are credit (see below).
      'select * from payment startposition 1 maxresults 1000',
    );
  });

  it('asks for the page a token names (startposition), whatever page comes back', async () => {
    server.routes.push(on('GET', '/query', { body: sample('intuit-docs-payment-query.json') }));
    await connector.listPayments(handle(), '2015-01-01', '1001');
    expect(server.requests[0]?.query.get('query')).toBe(
      'select * from payment startposition 1001 maxresults 1000',
    );
  });

  it('lists each documented payment’s unapplied part as credit the customer holds, whatever its date', async () => {
    server.routes.push(on('GET', '/query', { body: sample('intuit-docs-payment-query.json') }));
    const page = await connector.listPayments(handle(), '2015-02-01', null);
    expect(page.next).toBeNull();
    // Payments before `since` are not mirrored as payments…
    expect(page.items.map((payment) => payment.externalId)).toEqual(['170', '171']);
    // …but what they left unapplied is still credit.
    expect(page.credits?.map((credit) => [credit.externalId, credit.remainingMinor])).toEqual([
      ['161', 5500],
      ['162', 6500],
      ['163', 1000],
      ['164', 24_500],
      // 170 is fully applied (UnappliedAmt 0): no credit.
      ['171', 5500],
    ]);
    expect(page.credits?.[0]).toEqual({
      externalId: '161',
      customerExternalId: '20',
      kind: 'unapplied_payment',
      number: null,
      currency: 'USD',
      remainingMinor: 5500,
      issueDate: '2015-01-16',
      updatedAt: '2015-01-16T14:58:32-08:00',
    });
  });

  it('reads the documented create answer (a payment left wholly unapplied) as cash with no allocation', async () => {
    const created = sampleJson<{ Payment: unknown; time: string }>(
      'intuit-docs-payment-create-unapplied.json',
    );
    server.routes.push(
      on('GET', '/query', { body: queryPageOf('Payment', [created.Payment], created.time) }),
    );
    expect((await connector.listPayments(handle(), '2014-12-01', null)).items).toEqual([
      {
        externalId: '154',
        customerExternalId: '20',
        amount: { amountMinor: 2500, currency: 'USD' },
        paidOn: '2014-12-30',
        allocations: [],
      },
    ]);
  });

  it('leaves out of listPayments the documented credit-memo application (TotalAmt 0) and the voided payment', async () => {
    const applied = entityOf('intuit-docs-payment-update-invoice-creditmemo.json', 'Payment');
    const voided = entityOf('intuit-docs-payment-void.json', 'Payment');
    const cash = entityOf('intuit-docs-payment-read.json', 'Payment');
    server.routes.push(
      on('GET', '/query', {
        body: queryPageOf('Payment', [applied, voided, cash], '2015-07-28T15:16:15.435-07:00'),
      }),
    );
    const page = await connector.listPayments(handle(), '2013-01-01', null);
    expect(page.items.map((payment) => payment.externalId)).toEqual(['163']);
    expect(page.items[0]?.allocations).toEqual([{ invoiceExternalId: '70', amountMinor: 5500 }]);
  });

  it('refuses the documented XML payment answer instead of reading it as no payments', async () => {
    server.routes.push(
      on('GET', '/query', { body: sample('intuit-docs-payment-read.xml'), contentType: 'application/xml' }),
    );
    expect((await rejectionOf(connector.listPayments(handle(), '2015-01-01', null))).code).toBe('unexpected');
  });
});

describe('QuickBooks conformance: customers and credit memos (Intuit API reference samples)', () => {
  it('maps the documented customers: billing email, contact name, currency and country', async () => {
    const read = sampleJson<{ Customer: unknown; time: string }>('intuit-docs-customer-read.json');
    const created = entityOf('intuit-docs-customer-create.json', 'Customer');
    server.routes.push(
      on('GET', '/query', { body: queryPageOf('Customer', [read.Customer, created], read.time) }),
    );
    expect(await connector.listCustomers(handle(), null)).toEqual({
      items: [
        {
          externalId: '2',
          name: "Bill's Windsurf Shop",
          active: true,
          // No CurrencyRef in the read sample (a single-currency company).
          currency: null,
          contacts: [{ name: 'Bill Lucchini', email: 'Surf@Intuit.com', role: 'billing' }],
          // BillAddr has no Country.
          country: null,
          postalAddress: {
            lines: ['12 Ocean Dr.'],
            city: 'Half Moon Bay',
            region: 'CA',
            postalCode: '94213',
            country: null,
            countryCode: null,
          },
          updatedAt: '2014-09-18T12:56:01-07:00',
        },
        {
          externalId: '67',
          name: "King's Groceries",
          active: true,
          currency: 'USD',
          contacts: [{ name: 'James King', email: 'jdrew@myemail.com', role: 'billing' }],
          // "Country": "USA" (alpha-3, as Intuit asks for international addresses).
          country: 'US',
          postalAddress: {
            lines: ['123 Main Street'],
            city: 'Mountain View',
            region: 'CA',
            postalCode: '94042',
            country: 'USA',
            countryCode: 'US',
          },
          updatedAt: '2015-07-23T10:58:12-07:00',
        },
      ],
      next: null,
    });
  });

  it('leaves the documented credit memo (RemainingCredit 0) out of open credits', async () => {
    const memo = sampleJson<{ CreditMemo: unknown; time: string }>('intuit-docs-creditmemo-read.json');
    server.routes.push(
      on('GET', '/query', { body: queryPageOf('CreditMemo', [memo.CreditMemo], memo.time) }),
    );
    expect(await connector.listCredits(handle(), null)).toEqual({ items: [], next: null });
    expect(server.requests[0]?.query.get('query')).toBe(
      "select * from creditMemo where Balance > '0' startposition 1 maxresults 1000",
    );
  });
});

describe('QuickBooks conformance: change data capture with deletions', () => {
  it('reads Intuit’s CDC sample: id-only customers, an entity it did not ask for, a deleted estimate', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2015-12-23T13:00:00-08:00'));
    server.routes.push(on('GET', '/cdc', { body: sample('intuit-docs-cdc-deleted-estimate.json') }));
    const changes = await connector.changesSince(handle(), '2015-12-20T00:00:00.000Z');
    expect(changes).toEqual({
      invoices: [],
      customers: ['63', '99'].map((id) => ({
        externalId: id,
        name: `Customer ${id}`,
        active: true,
        currency: null,
        contacts: [],
        country: null,
        postalAddress: null,
        updatedAt: null,
      })),
      payments: [],
      credits: [],
      // The deleted Estimate is not an entity the connector tracks.
      deleted: { invoices: [], customers: [], payments: [], credits: [] },
      cursor: '2015-12-23T20:55:06.196Z',
    });
  });

  it('reads deleted, voided and credit-only payments and a used-up credit memo in one CDC answer', async () => {
    // Intuit's published entities in the CDC envelope of its CDC sample: the delete answer's entity is
    // what CDC lists for a deleted object (status Deleted, domain, Id).
    const body = JSON.stringify({
      CDCResponse: [
        {
          QueryResponse: [
            {
              Payment: [
                entityOf('intuit-docs-payment-delete.json', 'Payment'),
                entityOf('intuit-docs-payment-update-invoice-creditmemo.json', 'Payment'),
                entityOf('intuit-docs-payment-void.json', 'Payment'),
                entityOf('intuit-docs-payment-read.json', 'Payment'),
              ],
              startPosition: 1,
              maxResults: 4,
            },
            {
              CreditMemo: [entityOf('intuit-docs-creditmemo-read.json', 'CreditMemo')],
              startPosition: 1,
              maxResults: 1,
            },
          ],
        },
      ],
      time: '2015-07-28T15:16:15.435-07:00',
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2015-07-28T16:00:00-07:00'));
    server.routes.push(on('GET', '/cdc', { body }));
    const changes = await connector.changesSince(handle(), '2015-07-20T00:00:00.000Z');
    expect(changes?.payments).toEqual([
      {
        externalId: '163',
        customerExternalId: '20',
        amount: { amountMinor: 6500, currency: 'USD' },
        paidOn: '2015-01-16',
        allocations: [{ invoiceExternalId: '70', amountMinor: 5500 }],
      },
    ]);
    // 73 was deleted; 69 only applies credit memo 68 to invoice 67 and 33 was voided: neither is cash.
    expect(changes?.deleted).toEqual({
      invoices: [],
      customers: [],
      payments: ['73', '69', '33'],
      credits: [{ kind: 'unapplied_payment', externalId: '73' }],
    });
    expect(changes?.credits.map((credit) => [credit.kind, credit.externalId, credit.remainingMinor])).toEqual(
      [
        ['credit_note', '73', 0],
        ['unapplied_payment', '69', 0],
        ['unapplied_payment', '33', 0],
        ['unapplied_payment', '163', 1000],
      ],
    );
    expect(changes?.credits[0]).toEqual({
      externalId: '73',
      customerExternalId: '1',
      kind: 'credit_note',
      number: '1026',
      currency: 'USD',
      remainingMinor: 0,
      issueDate: '2014-09-02',
      updatedAt: '2015-07-01T09:16:28-07:00',
    });
  });

  it('treats a CDC answer of 1,000 published deletions as cut and asks for a full sync', async () => {
    // The CDC page's business rule: at most 1000 objects a response. Its deleted-entity form, repeated.
    const [deleted] =
      sampleJson<{
        CDCResponse: Array<{ QueryResponse: Array<{ Estimate?: Array<Record<string, unknown>> }> }>;
      }>('intuit-docs-cdc-deleted-estimate.json').CDCResponse[0]?.QueryResponse[1]?.Estimate?.slice(2) ?? [];
    const rows = Array.from({ length: 1000 }, (_, index) => ({ ...deleted, Id: String(index + 1) }));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2015-12-23T13:00:00-08:00'));
    server.routes.push(
      on('GET', '/cdc', {
        body: JSON.stringify({
          CDCResponse: [{ QueryResponse: [{ Invoice: rows, startPosition: 1, maxResults: 1000 }] }],
          time: '2015-12-23T12:56:06.196-08:00',
        }),
      }),
    );
    expect(await connector.changesSince(handle(), '2015-12-20T00:00:00.000Z')).toBeNull();
  });
});

describe('QuickBooks conformance: faults as reported from the wire', () => {
  it.each([
    ['issue-python-quickbooks-118-fault-3200.json', 'errorCode=003200'],
    ['issue-python-quickbooks-250-fault-3200-malformed.json', 'Malformed bearer token'],
  ])('asks for reconnection on the lower-case 3200 fault of %s', async (name, text) => {
    server.routes.push(on('GET', '/query', { status: 401, body: sample(name) }));
    const error = await rejectionOf(connector.listCustomers(handle(), null));
    expect(error).toMatchObject({ code: 'reauth_required', status: 401 });
    expect(error.detail).toContain(text);
  });

  it('reads the 3200 fault as reauth even when a proxy hands it on with 400 (its code and type say so)', async () => {
    server.routes.push(
      on('GET', '/query', { status: 400, body: sample('issue-python-quickbooks-118-fault-3200.json') }),
    );
    expect((await rejectionOf(connector.listCustomers(handle(), null))).code).toBe('reauth_required');
  });

  it('reads the 3100 (AuthorizationFailed) fault with 403 as not allowed', async () => {
    server.routes.push(
      on('GET', '/query', { status: 403, body: sample('issue-node-quickbooks-154-fault-3100.json') }),
    );
    const error = await rejectionOf(connector.listCustomers(handle(), null));
    expect(error).toMatchObject({ code: 'not_allowed', status: 403 });
    expect(error.detail).toContain('errorCode=003100');
  });

  it('asks for reconnection on the XML authentication fault (code 100) answered with 401', async () => {
    server.routes.push(
      on('GET', '/query', {
        status: 401,
        body: sample('issue-python-quickbooks-120-fault-100.xml'),
        contentType: 'application/xml',
      }),
    );
    expect((await rejectionOf(connector.listCustomers(handle(), null))).code).toBe('reauth_required');
  });

  it('refuses on the XML duplicate-name fault (6240) answered with 400, keeping its words', async () => {
    server.routes.push(
      on('GET', '/invoice/20246', {
        status: 400,
        body: sample('issue-php-sdk-241-fault-6240.xml'),
        contentType: 'application/xml',
      }),
    );
    const error = await rejectionOf(connector.paymentLink(handle(), '20246'));
    expect(error).toMatchObject({ code: 'rejected', status: 400 });
    expect(error.detail).toContain('Duplicate Name Exists Error');
  });

  it('reads the reported stale-object error (5010) in Intuit’s fault template as a stale version', async () => {
    const [reported] = sampleJson<Array<{ Message: string; Detail: string; code: string }>>(
      'issue-python-quickbooks-127-error-5010.json',
    );
    const body = faultFromTemplate({ ...(reported as Omit<FaultRow, 'httpStatus'>), httpStatus: 400 });
    server.routes.push(on('GET', '/invoice/20246', { status: 400, body }));
    const error = await rejectionOf(connector.paymentLink(handle(), '20246'));
    expect(error).toMatchObject({ code: 'stale_version', status: 400 });
    expect(error.detail).toContain('API API finished before you did');
  });
});

describe('answers the connector refuses to read', () => {
  // An XML body answered with 200 (Intuit answers XML to clients that ask for it, and sometimes for
  // errors) must not read as an empty page: a full sync would conclude the company has no customers.
  it('refuses the Java SDK XML customer response instead of reading it as an empty page', async () => {
    server.routes.push(
      on('GET', '/query', {
        body: sample('java-sdk-xml-customer-balance.xml'),
        contentType: 'application/xml',
      }),
    );
    const error = await rejectionOf(connector.listCustomers(handle(), null));
    expect(error.code).toBe('unexpected');
  });
});

describe('awaiting connector fixes', () => {
  it('keeps the valid events of a CloudEvents batch when one event in it is invalid', () => {
    // Two published SampleApp events in one batch: test-456 is complete, test-123 names no company or entity.
    const [valid] = sampleJson<unknown[]>('sampleapp-cloudevents-content-type.json');
    const [invalid] = sampleJson<unknown[]>('sampleapp-cloudevents-valid-no-ids.json');
    const { raw, headers } = signed(JSON.stringify([valid, invalid]));
    const parsed = parseQuickBooksWebhook(raw, headers, CLOUDEVENTS_APP_VERIFIER);
    expect(parsed.ok).toBe(true);
    expect(eventsOf(parsed)).toEqual([
      {
        eventId: 'test-456',
        tenantId: '123456',
        entity: 'customer',
        entityId: '42',
        operation: 'created',
        occurredAt: null,
      },
    ]);
  });
});
