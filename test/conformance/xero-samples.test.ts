/**
 * Xero conformance: samples Xero published (test/fixtures/vendor-samples/xero/, listed in SOURCES.md) replayed
 * through xero-node and Dunwell's Xero connector; the domain objects that come out are checked against the
 * samples' own numbers.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LedgerError } from '../../connectors/errors.js';
import type { LedgerConnector } from '../../connectors/ledger.js';
import { classifyXeroFailure } from '../../connectors/xero/api.js';
import { parseXeroWebhook } from '../../connectors/xero/webhooks.js';
import {
  type Answer,
  handleFor,
  listParam,
  msDateIso,
  type Recorded,
  type Replay,
  type Route,
  sample,
  sampleText,
  startReplay,
  tokens,
  WEBHOOK_KEY,
  xeroConnector,
} from './xero-replay.js';

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Answer => ({
  status,
  body,
  headers,
});

/** Routes by method and path (under /api.xro/2.0, case-insensitive like Xero's). */
function routes(table: Array<[string, RegExp, (request: Recorded) => Answer]>): Route {
  return (request) => {
    for (const [method, pattern, answer] of table) {
      if (request.method === method && pattern.test(request.path)) return answer(request);
    }
    return null;
  };
}

/** GET /CreditNotes as Xero answers a `Reference.Contains("…")` filter over the given notes. */
function creditNotesMatching(request: Recorded, notes: Array<{ Reference?: string }>): Answer {
  const contains = /Reference\.Contains\("([^"]*)"\)/.exec(request.query.get('where') ?? '')?.[1];
  const found = contains === undefined ? notes : notes.filter((note) => note.Reference?.includes(contains));
  return json({ ...sample('openapi-get-credit-notes.json'), CreditNotes: found });
}

async function ledgerError(promise: Promise<unknown>): Promise<LedgerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
  throw new Error('expected a LedgerError');
}

const invoicesSample = sample('openapi-get-invoices.json');
const [voided, , authorised] = invoicesSample.Invoices;
/** One invoice in the single-invoice envelope of GET /Invoices/{id}. */
const oneInvoice = (invoice: unknown) => ({ ...sample('openapi-get-invoice.json'), Invoices: [invoice] });

let replay: Replay;
let connector: LedgerConnector;

beforeAll(async () => {
  replay = await startReplay();
  connector = xeroConnector(replay);
});
afterAll(async () => {
  await replay?.close();
});
beforeEach(() => {
  replay.requests.length = 0;
  replay.route = () => null;
});

describe('reads (xero_accounting.yaml examples)', () => {
  it('lists open invoices: AUTHORISED asked for, amounts in minor units, /Date()/ days, statuses mapped', async () => {
    replay.route = routes([['GET', /^\/Invoices$/i, () => json(invoicesSample)]]);
    const { handle } = handleFor(connector);
    const page = await connector.listOpenInvoices(handle, null);

    const [request] = replay.apiRequests(/^\/Invoices$/i);
    expect(listParam(request?.query ?? new URLSearchParams(), 'Statuses')).toEqual(['AUTHORISED']);
    expect(request?.query.get('page')).toBe('1');
    expect(request?.query.get('where')).toBe('Type=="ACCREC"');
    expect(request?.headers['xero-tenant-id']).toBe('fe79f7dd-b6d4-4a92-ba7b-538af6289c58');
    expect(request?.headers.authorization).toBe('Bearer access-1');

    expect(page.next).toBeNull(); // 3 invoices: less than a page
    const byNumber = Object.fromEntries(page.items.map((invoice) => [invoice.number, invoice]));
    expect(byNumber['INV-0003']).toEqual({
      externalId: '7ef31b20-de17-4312-8382-412f869b1510',
      customerExternalId: 'a3675fc4-f8dd-4f03-ba5b-f1870566bcd7',
      number: 'INV-0003',
      currency: 'NZD',
      totalMinor: 11500, // "Total": 115
      balanceMinor: 11500, // "AmountDue": 115
      issueDate: '2018-11-02', // "/Date(1541116800000+0000)/", DateString 2018-11-02T00:00:00
      dueDate: '2018-11-07', // "/Date(1541548800000+0000)/", DueDateString 2018-11-07T00:00:00
      status: 'open',
      version: msDateIso(authorised.UpdatedDateUTC),
      paymentUrl: null,
      billEmail: null,
      updatedAt: '2018-11-02T16:37:28.927Z', // UpdatedDateUTCString 2018-11-02T16:37:28Z
    });
    expect(byNumber['INV-0002']).toMatchObject({ status: 'paid', balanceMinor: 0, totalMinor: 4600 });
    expect(byNumber['INV-0001']).toMatchObject({ status: 'voided', balanceMinor: 0, totalMinor: 4000 });
  });

  it('asks for the next page while a page is full, by the page parameter', async () => {
    const fullPage = Array.from({ length: 1000 }, (_, index) => ({
      ...authorised,
      InvoiceID: `7ef31b20-de17-4312-8382-${String(index).padStart(12, '0')}`,
    }));
    replay.route = routes([
      [
        'GET',
        /^\/Invoices$/i,
        (request) => {
          const page = Number(request.query.get('page'));
          return json({
            ...invoicesSample,
            pagination: { page, pageSize: 1000, pageCount: 2, itemCount: 1001 },
            Invoices: page === 1 ? fullPage : [authorised],
          });
        },
      ],
    ]);
    const { handle } = handleFor(connector);
    const first = await connector.listOpenInvoices(handle, null);
    expect(first.items).toHaveLength(1000);
    expect(first.next).toBe('2');
    const second = await connector.listOpenInvoices(handle, first.next);
    expect(second.items.map((invoice) => invoice.balanceMinor)).toEqual([11500]);
    expect(second.next).toBeNull();
    expect(replay.apiRequests(/^\/Invoices$/i).map((request) => request.query.get('page'))).toEqual([
      '1',
      '2',
    ]);
    expect(replay.apiRequests(/^\/Invoices$/i).map((request) => request.query.get('pageSize'))).toEqual([
      '1000',
      '1000',
    ]);
  });

  it('follows Xero’s pagination: no empty read after a last full page, no stop at a short page', async () => {
    const rows = (count: number) =>
      Array.from({ length: count }, (_, index) => ({
        ...authorised,
        InvoiceID: `7ef31b20-de17-4312-8382-${String(index).padStart(12, '0')}`,
      }));
    // The published example's own pagination (one page) on a list of exactly 1,000.
    replay.route = routes([
      ['GET', /^\/Invoices$/i, () => json({ ...invoicesSample, Invoices: rows(1000) })],
    ]);
    const { handle } = handleFor(connector);
    expect(invoicesSample.pagination).toMatchObject({ page: 1, pageCount: 1 });
    expect((await connector.listOpenInvoices(handle, null)).next).toBeNull();
    // Xero serving its default 100 a page, with more pages to come.
    replay.route = routes([
      [
        'GET',
        /^\/Invoices$/i,
        () =>
          json({
            ...invoicesSample,
            pagination: { page: 1, pageSize: 100, pageCount: 3, itemCount: 250 },
            Invoices: rows(100),
          }),
      ],
    ]);
    expect((await connector.listOpenInvoices(handle, null)).next).toBe('2');
  });

  it('lists customers with their emails, names and change times', async () => {
    replay.route = routes([['GET', /^\/Contacts$/i, () => json(sample('openapi-get-contacts.json'))]]);
    const { handle } = handleFor(connector);
    const page = await connector.listCustomers(handle, null);
    const [request] = replay.apiRequests(/^\/Contacts$/i);
    expect(request?.query.get('page')).toBe('1');
    expect(request?.query.get('includeArchived')).toBe('true');
    expect(page.next).toBeNull();
    expect(page.items).toEqual([
      {
        externalId: '5cc8cf28-567e-4d43-b287-687cfcaec47c',
        name: 'Katherine Warren',
        active: true,
        currency: null,
        contacts: [{ name: 'Katherine Warren', email: 'kat.warren@clampett.com', role: 'billing' }],
        country: 'US', // POBOX address: "Country": "United States"
        // The POBOX address, its blank lines dropped; the STREET one is all blanks.
        postalAddress: {
          lines: [],
          city: 'Palo Alto',
          region: 'CA',
          postalCode: '94020',
          country: 'United States',
          countryCode: 'US',
        },
        updatedAt: '2017-08-21T20:49:04.227Z', // "/Date(1503348544227+0000)/"
      },
      {
        externalId: '3ec601ad-eddc-4ccb-a8ac-736e88293b1b',
        name: 'Lisa Parker',
        active: true,
        currency: null,
        contacts: [{ name: 'Lisa Parker', email: 'lparker@parkerandco.com', role: 'billing' }],
        country: 'US',
        postalAddress: {
          lines: [],
          city: 'Anchorage',
          region: 'AK',
          postalCode: '99501',
          country: 'United States',
          countryCode: 'US',
        },
        updatedAt: '2017-08-21T20:49:06.760Z',
      },
    ]);
  });

  it('keeps a contact person left out of emails for escalation only (GET /Invoices/{id} example contact)', async () => {
    const contact = sample('openapi-get-invoice.json').Invoices[0].Contact;
    replay.route = routes([['GET', /^\/Contacts$/i, () => json({ Contacts: [contact] })]]);
    const { handle } = handleFor(connector);
    const [customer] = (await connector.listCustomers(handle, null)).items;
    expect(customer?.contacts).toEqual([
      { name: 'Liam Gallagher', email: 'liam@rockstar.com', role: 'billing' },
      { name: 'Debbie Gwyther', email: 'debbie@rockstar.com', role: 'other' }, // IncludeInEmails: false
    ]);
  });

  it('lists received payments since a day: the where filter, amounts, days and the invoice paid', async () => {
    const payments = sample('openapi-get-payments.json');
    replay.route = routes([
      [
        'GET',
        /^\/Payments$/i,
        // Xero applies the filter: only the PaymentType the where clause names comes back.
        (request) =>
          json({
            ...payments,
            Payments: payments.Payments.filter((payment: { PaymentType: string }) =>
              request.query.get('where')?.includes(`PaymentType=="${payment.PaymentType}"`),
            ),
          }),
      ],
    ]);
    const { handle } = handleFor(connector);
    const page = await connector.listPayments(handle, '2018-11-01', null);
    const [request] = replay.apiRequests(/^\/Payments$/i);
    expect(request?.query.get('where')).toBe(
      'Date >= DateTime(2018, 11, 1) && PaymentType=="ACCRECPAYMENT" && Status=="AUTHORISED"',
    );
    expect(page.items).toEqual([
      {
        externalId: '99ea7f6b-c513-4066-bc27-b7c65dcd76c2',
        customerExternalId: 'a3675fc4-f8dd-4f03-ba5b-f1870566bcd7',
        amount: { amountMinor: 4600, currency: 'NZD' }, // "Amount": 46
        paidOn: '2018-11-29', // "/Date(1543449600000+0000)/"
        allocations: [{ invoiceExternalId: '046d8a6d-1ae1-4b4d-9340-5601bdf41b87', amountMinor: 4600 }],
      },
    ]);
  });

  it('lists sales credit notes with credit left, not supplier credit notes', async () => {
    replay.route = routes([['GET', /^\/CreditNotes$/i, () => json(sample('openapi-get-credit-notes.json'))]]);
    const { handle } = handleFor(connector);
    const page = await connector.listCredits(handle, null);
    const [request] = replay.apiRequests(/^\/CreditNotes$/i);
    expect(request?.query.get('where')).toBe('Type=="ACCRECCREDIT" && Status=="AUTHORISED"');
    expect(page.items).toEqual([
      {
        externalId: '249f15fa-f2a7-4acc-8769-0984103f2225',
        customerExternalId: '430fa14a-f945-44d3-9f97-5df5e28441b8',
        kind: 'credit_note',
        number: 'CN-0005',
        currency: 'NZD',
        remainingMinor: 3250, // "RemainingCredit": 32.5 (of a Total of 34.5)
        issueDate: '2019-03-05',
        updatedAt: '2019-03-05T18:59:06.157Z',
      },
    ]);
    expect(page.next).toBe('overpayment:1');
  });

  it('lists received overpayments, not spent ones', async () => {
    replay.route = routes([
      ['GET', /^\/Overpayments$/i, () => json(sample('openapi-get-overpayments.json'))],
    ]);
    const { handle } = handleFor(connector);
    const page = await connector.listCredits(handle, 'overpayment:1');
    expect(replay.apiRequests(/^\/Overpayments$/i)[0]?.query.get('where')).toBe(
      'Type=="RECEIVE-OVERPAYMENT" && Status=="AUTHORISED"',
    );
    expect(page.items.map((credit) => [credit.externalId, credit.remainingMinor, credit.number])).toEqual([
      ['2a8bda49-8908-473b-8bcf-1f90990460eb', 2000, 'Reference for payment2'],
      ['0859adbc-ea00-40cd-a877-258cf8644975', 2000, 'Reference for payment4'],
      ['687b877f-634a-415d-92b2-74e62977de30', 2000, 'Reference for payment5'],
    ]);
    expect(
      page.items.every((credit) => credit.kind === 'overpayment' && credit.issueDate === '2019-03-13'),
    ).toBe(true);
    expect(page.next).toBe('prepayment:1');
  });

  it('lists received prepayments by their invoice number', async () => {
    replay.route = routes([['GET', /^\/Prepayments$/i, () => json(sample('openapi-get-prepayments.json'))]]);
    const { handle } = handleFor(connector);
    const page = await connector.listCredits(handle, 'prepayment:1');
    expect(page.items).toEqual([
      {
        externalId: 'ce0cddef-cf5a-4e59-b638-f225679115a7',
        customerExternalId: 'be392c72-c121-4f83-9512-03ac71e54c20',
        kind: 'prepayment',
        number: 'INV-0011',
        currency: 'NZD',
        remainingMinor: 345000, // "RemainingCredit": 3450
        issueDate: '2019-03-13',
        updatedAt: '2019-03-13T14:59:47.730Z',
      },
    ]);
    expect(page.next).toBeNull();
  });

  it('reads changes since a cursor: If-Modified-Since sent, payments read out of invoices, cursor moved', async () => {
    replay.route = routes([
      ['GET', /^\/Invoices$/i, () => json(invoicesSample)],
      ['GET', /^\/Contacts$/i, () => json(sample('openapi-get-contacts.json'))],
      ['GET', /^\/CreditNotes$/i, () => json(sample('openapi-get-credit-notes.json'))],
      ['GET', /^\/Overpayments$/i, () => json(sample('openapi-get-overpayments.json'))],
      ['GET', /^\/Prepayments$/i, () => json(sample('openapi-get-prepayments.json'))],
    ]);
    const { handle } = handleFor(connector);
    const since = new Date('2018-11-01T00:00:00Z');
    const changes = await connector.changesSince(handle, connector.cursorAt(since));
    if (!changes) throw new Error('expected changes');

    const [invoices] = replay.apiRequests(/^\/Invoices$/i);
    // At the cursor, or a little before it (an overlap), never after it.
    const sent = Date.parse(String(invoices?.headers['if-modified-since']));
    expect(sent).toBeLessThanOrEqual(since.getTime());
    expect(sent).toBeGreaterThan(since.getTime() - 3_600_000);
    expect(changes.invoices.map((invoice) => [invoice.number, invoice.status, invoice.balanceMinor])).toEqual(
      [
        ['INV-0001', 'voided', 0],
        ['INV-0002', 'paid', 0],
        ['INV-0003', 'open', 11500],
      ],
    );
    expect(changes.payments).toEqual([
      {
        externalId: '99ea7f6b-c513-4066-bc27-b7c65dcd76c2',
        customerExternalId: 'a3675fc4-f8dd-4f03-ba5b-f1870566bcd7',
        amount: { amountMinor: 4600, currency: 'NZD' },
        paidOn: '2018-11-29',
        allocations: [{ invoiceExternalId: '046d8a6d-1ae1-4b4d-9340-5601bdf41b87', amountMinor: 4600 }],
      },
    ]);
    expect(changes.paymentsCompleteFor).toEqual(
      invoicesSample.Invoices.map((i: { InvoiceID: string }) => i.InvoiceID),
    );
    expect(changes.customers.map((customer) => customer.name)).toEqual(['Katherine Warren', 'Lisa Parker']);
    expect(changes.credits.map((credit) => [credit.kind, credit.externalId])).toEqual([
      ['credit_note', '249f15fa-f2a7-4acc-8769-0984103f2225'],
      ['overpayment', '2a8bda49-8908-473b-8bcf-1f90990460eb'],
      ['overpayment', '0859adbc-ea00-40cd-a877-258cf8644975'],
      ['overpayment', '687b877f-634a-415d-92b2-74e62977de30'],
      ['prepayment', 'ce0cddef-cf5a-4e59-b638-f225679115a7'],
    ]);
    expect(changes.deleted.invoices).toEqual([]);
    // The cursor moves on to (at most an overlap before) the newest change Xero reported of each kind, in
    // Xero's clock: invoices "/Date(1541176648927+0000)/"; credit notes "/Date(1551812506153+0000)/" (the
    // supplier's DRAFT one included); contacts last changed in 2017, before the cursor, so they stay at it.
    const cursor = JSON.parse(changes.cursor);
    const near = (stamp: string, newest: string) => {
      expect(Date.parse(stamp)).toBeLessThanOrEqual(Date.parse(newest));
      expect(Date.parse(stamp)).toBeGreaterThan(Date.parse(newest) - 3_600_000);
    };
    near(cursor.invoices, msDateIso(authorised.UpdatedDateUTC));
    near(cursor.credit_note, '2019-03-05T19:01:46.153Z');
    near(cursor.contacts, since.toISOString());
  });

  it('re-reads invoices by id: every id asked once, the answers mapped', async () => {
    const ids = Array.from(
      { length: 120 },
      (_, index) => `7ef31b20-de17-4312-8382-${String(index).padStart(12, '0')}`,
    );
    replay.route = routes([
      [
        'GET',
        /^\/Invoices$/i,
        (request) =>
          json({
            ...invoicesSample,
            Invoices: listParam(request.query, 'IDs').map((id) => ({ ...authorised, InvoiceID: id })),
          }),
      ],
    ]);
    const { handle } = handleFor(connector);
    const found = await connector.fetchInvoices(handle, [...ids, ids[0] ?? '', 'not-a-xero-id']);
    const asked = replay.apiRequests(/^\/Invoices$/i).flatMap((request) => listParam(request.query, 'IDs'));
    expect(asked.sort()).toEqual([...ids].sort());
    expect(found).toHaveLength(120);
    expect(found.every((invoice) => invoice.balanceMinor === 11500 && invoice.status === 'open')).toBe(true);
  });

  it('describes the tenant from GET /Organisation', async () => {
    replay.route = routes([
      ['GET', /^\/Organisation$/i, () => json(sample('openapi-get-organisation.json'))],
    ]);
    const { handle } = handleFor(connector, { homeCurrency: 'USD' });
    expect(await connector.describeTenant(handle)).toEqual({
      name: 'Dev Evangelist - Sid Test 3 (NZ-2016-02)',
      currency: 'NZD',
      country: 'NZ',
      // The sample's Timezone, a Windows zone name, as the IANA zone it means.
      timeZone: 'Pacific/Auckland',
    });
  });

  it("describes the tenant from xero-node's own organisation mock (AUD, AU)", async () => {
    // xero-node's mock is its parsed result ({body: {organisations: [...]}}); the organisation inside is
    // Xero's PascalCase JSON, served here in the API's envelope.
    const [organisation] = sample('xero-node-get-organisation-response.json').body.organisations;
    replay.route = routes([['GET', /^\/Organisation$/i, () => json({ Organisations: [organisation] })]]);
    const { handle } = handleFor(connector, { homeCurrency: 'NZD' });
    expect(await connector.describeTenant(handle)).toEqual({
      name: 'Sweet Xero org',
      currency: 'AUD',
      country: 'AU',
      timeZone: 'Australia/Sydney',
    });
  });

  it('lists income and expense accounts as credit targets, not bank accounts', async () => {
    replay.route = routes([['GET', /^\/Accounts$/i, () => json(sample('openapi-get-accounts.json'))]]);
    const { handle } = handleFor(connector);
    expect(await connector.listCreditTargets(handle)).toEqual([
      { ref: '200', name: 'Sales', kind: 'REVENUE' },
    ]);
  });
});

describe('writes (xero_accounting.yaml examples)', () => {
  const invoiceId = authorised.InvoiceID as string;

  it('appends a note as History records with an Idempotency-Key', async () => {
    replay.route = routes([
      ['PUT', /^\/Invoices\/[^/]+\/History$/i, () => json(sample('openapi-create-history-records.json'))],
    ]);
    const { handle } = handleFor(connector);
    const result = await connector.appendNote(handle, {
      invoiceId,
      text: 'Hello World',
      idempotencyKey: 'note-1',
    });
    expect(result).toEqual({ noteId: 'note-1' });
    const [request] = replay.apiRequests(/\/History$/i);
    expect(request?.path).toBe(`/Invoices/${invoiceId}/History`);
    expect(request?.headers['idempotency-key']).toBe('note-1');
    expect(request?.body).toEqual({ HistoryRecords: [{ Details: 'Hello World' }] });
  });

  it('turns a ValidationException on History into a rejected LedgerError with Xero’s message', async () => {
    replay.route = routes([
      ['PUT', /\/History$/i, () => json(sample('openapi-create-payment-history-400.json'), 400)],
    ]);
    const { handle } = handleFor(connector);
    const error = await ledgerError(
      connector.appendNote(handle, { invoiceId, text: 'Hello World', idempotencyKey: 'note-2' }),
    );
    expect(error.code).toBe('rejected');
    expect(error.status).toBe(400);
    expect(error.detail).toBe('The document with the supplied id was not found for this endpoint.');
  });

  it('moves the due date of an AUTHORISED invoice with nothing allocated', async () => {
    replay.route = routes([
      ['GET', /^\/Invoices\/[^/]+$/i, () => json(oneInvoice(authorised))],
      ['POST', /^\/Invoices\/[^/]+$/i, () => json(sample('openapi-update-invoice.json'))],
    ]);
    const { handle } = handleFor(connector);
    const result = await connector.changeDueDate(handle, {
      invoiceId,
      dueDate: '2018-12-07',
      idempotencyKey: 'due-1',
    });
    expect(result).toEqual({ applied: true });
    const [post] = replay.apiRequests().filter((request) => request.method === 'POST');
    expect(post?.headers['idempotency-key']).toBe('due-1');
    expect(
      (post?.body as { Invoices?: Array<{ DueDate: string }> } | undefined)?.Invoices?.[0]?.DueDate,
    ).toMatch(/^2018-12-07/);
  });

  it('does not move the due date of a SUBMITTED invoice, and says why', async () => {
    const submitted = sample('openapi-update-invoice.json');
    replay.route = routes([['GET', /^\/Invoices\/[^/]+$/i, () => json(submitted)]]);
    const { handle } = handleFor(connector);
    const result = await connector.changeDueDate(handle, {
      invoiceId: submitted.Invoices[0].InvoiceID,
      dueDate: '2019-04-01',
      idempotencyKey: 'due-2',
    });
    expect(result).toEqual({ applied: false, reason: 'the invoice is submitted' });
    expect(replay.apiRequests().filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('does not move the due date once a payment is allocated (the PAID GET /Invoices/{id} example)', async () => {
    const paidInvoice = sample('openapi-get-invoice.json').Invoices[0];
    replay.route = routes([
      ['GET', /^\/Invoices\/[^/]+$/i, () => json(oneInvoice({ ...paidInvoice, Status: 'AUTHORISED' }))],
    ]);
    const { handle } = handleFor(connector);
    const result = await connector.changeDueDate(handle, {
      invoiceId: paidInvoice.InvoiceID,
      dueDate: '2019-04-01',
      idempotencyKey: 'due-3',
    });
    expect(result.applied).toBe(false); // "AmountPaid": 148062.76
  });

  it('applies a credit: an ACCRECCREDIT note in decimals, then its allocation to the invoice', async () => {
    replay.route = routes([
      ['GET', /^\/Invoices\/[^/]+$/i, () => json(oneInvoice(authorised))],
      // A credit written before is looked for by its reference: the published notes match nothing new.
      [
        'GET',
        /^\/CreditNotes$/i,
        (request) => creditNotesMatching(request, sample('openapi-get-credit-notes.json').CreditNotes),
      ],
      ['PUT', /^\/CreditNotes$/i, () => json(sample('openapi-create-credit-notes.json'))],
      [
        'PUT',
        /^\/CreditNotes\/[^/]+\/Allocations$/i,
        () => json(sample('openapi-create-credit-note-allocation.json')),
      ],
    ]);
    const { handle } = handleFor(connector);
    const result = await connector.applyCredit(handle, {
      invoiceId,
      amount: { amountMinor: 1050, currency: 'NZD' },
      target: { ref: '200', description: 'Settlement discount' },
      memo: 'Settlement',
      idempotencyKey: 'credit-1',
    });
    // The created note's id, as Xero answered it.
    expect(result).toEqual({ creditId: 'f9256f04-5a99-4680-acb9-6b4639cc439a' });
    const [note] = replay.apiRequests(/^\/CreditNotes$/i).filter((request) => request.method === 'PUT');
    const body = note?.body as { CreditNotes: Array<Record<string, unknown>> };
    expect(body.CreditNotes[0]).toMatchObject({
      Type: 'ACCRECCREDIT',
      Status: 'AUTHORISED',
      Contact: { ContactID: 'a3675fc4-f8dd-4f03-ba5b-f1870566bcd7' },
      CurrencyCode: 'NZD',
      LineItems: [{ Description: 'Settlement discount', Quantity: 1, UnitAmount: 10.5, AccountCode: '200' }],
    });
    expect(note?.headers['idempotency-key']).toMatch(/^credit-1/);
    const [allocation] = replay.apiRequests(/\/Allocations$/i);
    expect(allocation?.path).toBe('/CreditNotes/f9256f04-5a99-4680-acb9-6b4639cc439a/Allocations');
    expect(allocation?.headers['idempotency-key']).toMatch(/^credit-1/);
    expect(allocation?.body).toMatchObject({
      Allocations: [{ Amount: 10.5, Invoice: { InvoiceID: invoiceId } }],
    });
  });

  it('reads the online invoice link', async () => {
    replay.route = routes([
      ['GET', /^\/Invoices\/[^/]+\/OnlineInvoice$/i, () => json(sample('openapi-get-online-invoice.json'))],
    ]);
    const { handle } = handleFor(connector);
    expect(await connector.paymentLink(handle, invoiceId)).toBe(
      'https://in.xero.com/bCWCCfytGdTXoJam9HENWlQt07G6zcDaj4gQojHu',
    );
  });
});

describe('errors and limits', () => {
  it('a 400 ValidationException is rejected with its ValidationErrors message', async () => {
    replay.route = routes([
      ['GET', /^\/Contacts$/i, () => json(sample('openapi-create-contacts-400.json'), 400)],
    ]);
    const { handle } = handleFor(connector);
    const error = await ledgerError(connector.listCustomers(handle, null));
    expect(error.code).toBe('rejected');
    expect(error.detail).toBe(
      'The contact name Buzz Lightyear is already assigned to another contact. The contact name must be unique across all active contacts.',
    );
  });

  it('a 401 TokenExpired refreshes the token once and repeats the call', async () => {
    let calls = 0;
    replay.route = routes([
      [
        'GET',
        /^\/Organisation$/i,
        () =>
          ++calls === 1
            ? json(sample('error-401-token-expired.json'), 401)
            : json(sample('openapi-get-organisation.json')),
      ],
    ]);
    const refreshing = { ...connector, refreshTokens: async () => tokens('access-2') };
    const { handle } = handleFor(refreshing);
    expect((await refreshing.describeTenant(handle)).currency).toBe('NZD');
    expect(replay.apiRequests(/^\/Organisation$/i).map((request) => request.headers.authorization)).toEqual([
      'Bearer access-1',
      'Bearer access-2',
    ]);
  });

  it('a 401 TokenExpired that outlives the refresh asks for a reconnect, with Xero’s detail', async () => {
    replay.route = routes([
      ['GET', /^\/Organisation$/i, () => json(sample('error-401-token-expired.json'), 401)],
    ]);
    const refreshing = { ...connector, refreshTokens: async () => tokens('access-2') };
    const { handle } = handleFor(refreshing);
    const error = await ledgerError(refreshing.describeTenant(handle));
    expect(error.code).toBe('reauth_required');
    expect(error.status).toBe(401);
    expect(error.detail).toBe('Unauthorized: TokenExpired: token expired at 02/20/2025 08:32:50');
  });

  it('a 403 AuthenticationUnsuccessful (a tenant the token may not use) asks for a reconnect', async () => {
    replay.route = routes([
      ['GET', /^\/Invoices$/i, () => json(sample('error-403-authentication-unsuccessful.json'), 403)],
    ]);
    const { handle } = handleFor(connector);
    const error = await ledgerError(connector.listOpenInvoices(handle, null));
    expect(error.code).toBe('reauth_required');
    expect(error.status).toBe(403);
    expect(error.detail).toBe('Forbidden: AuthenticationUnsuccessful');
  });

  it('a 404 plain-text "cannot be found" is not_found', async () => {
    replay.route = routes([
      ['GET', /^\/Invoices$/i, () => ({ status: 404, body: sampleText('error-404-not-found.txt') })],
    ]);
    const { handle } = handleFor(connector);
    const error = await ledgerError(connector.fetchInvoices(handle, [authorised.InvoiceID]));
    expect(error.code).toBe('not_found');
    expect(error.detail).toBe("The resource you're looking for cannot be found");
  });

  const limits = sample('error-429-rate-limits.json');

  it('a 429 for the minute limit is waited out for Retry-After seconds, then repeated', async () => {
    let calls = 0;
    replay.route = routes([
      [
        'GET',
        /^\/Organisation$/i,
        () =>
          ++calls === 1
            ? json({}, 429, { ...limits.minute.headers, ...limits.remainingHeaders })
            : json(sample('openapi-get-organisation.json'), 200, limits.remainingHeaders),
      ],
    ]);
    const { handle, slept } = handleFor(connector, { retries: { rateLimited: 2, unavailable: 0 } });
    expect((await connector.describeTenant(handle)).country).toBe('NZ');
    expect(slept).toEqual([3000]); // Retry-After: 3
    expect(calls).toBe(2);
  });

  it('a 429 for the day limit fails at once with the wait, naming the limit', async () => {
    replay.route = routes([['GET', /^\/Organisation$/i, () => json({}, 429, limits.day.headers)]]);
    const { handle, slept } = handleFor(connector, { retries: { rateLimited: 5, unavailable: 0 } });
    const error = await ledgerError(connector.describeTenant(handle));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(66975);
    expect(error.detail).toMatch(/^day limit/);
    expect(slept).toEqual([]);
  });

  it('a 429 for the app-wide minute limit is classified with its Retry-After', async () => {
    replay.route = routes([['GET', /^\/Organisation$/i, () => json({}, 429, limits.appminute.headers)]]);
    const { handle } = handleFor(connector);
    const error = await ledgerError(connector.describeTenant(handle));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(1);
    expect(error.detail).toMatch(/^appminute limit/);
  });

  it("classifies xero-node's own ApiError samples: a network error and a 401", () => {
    expect(classifyXeroFailure(JSON.stringify(sample('xero-node-api-error-network.json')))).toMatchObject({
      status: 0,
      code: 'unavailable',
      detail: 'Network Error',
    });
    expect(classifyXeroFailure(JSON.stringify(sample('xero-node-api-error-401.json')))).toMatchObject({
      status: 401,
      code: 'reauth_required',
    });
  });
});

describe('webhooks (xero-webhooks.yaml examples, signed with the test key)', () => {
  const sign = (body: string, key = WEBHOOK_KEY) => createHmac('sha256', key).update(body).digest('base64');

  it('reads a contact UPDATE event', () => {
    const body = sampleText('webhook-contact-update.json');
    const parsed = connector.parseWebhook(Buffer.from(body), { 'x-xero-signature': sign(body) });
    if (!parsed.ok) throw new Error(parsed.detail);
    expect(parsed.events).toEqual([
      {
        eventId: expect.stringMatching(/^xero-/),
        tenantId: 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f',
        entity: 'customer',
        entityId: '717f2bfc-c6d4-41fd-b238-3f2f0c0cf777',
        operation: 'updated',
        occurredAt: '2024-06-21T01:15:39.902',
      },
    ]);
  });

  it('reads a credit note CREATE event', () => {
    const body = sampleText('webhook-credit-note-create.json');
    const parsed = parseXeroWebhook(Buffer.from(body), { 'X-Xero-Signature': sign(body) }, WEBHOOK_KEY);
    if (!parsed.ok) throw new Error(parsed.detail);
    expect(parsed.events).toMatchObject([
      {
        tenantId: 'aef86862-2015-4b6b-88bc-d89032cecc50',
        entity: 'credit',
        entityId: '55d84274-a3da-4829-a7c0-0cab601b95cc',
        operation: 'created',
        occurredAt: '2025-12-02T00:44:09.923',
      },
    ]);
  });

  it('gives the same event the same id on a redelivery, and different events different ids', () => {
    const contact = sampleText('webhook-contact-update.json');
    const credit = sampleText('webhook-credit-note-create.json');
    const id = (body: string) => {
      const parsed = connector.parseWebhook(Buffer.from(body), { 'x-xero-signature': sign(body) });
      return parsed.ok ? parsed.events[0]?.eventId : undefined;
    };
    expect(id(contact)).toBe(id(contact));
    expect(id(contact)).not.toBe(id(credit));
  });

  it('refuses a body signed with another key, or changed after signing (intent to receive)', () => {
    const body = sampleText('webhook-contact-update.json');
    expect(
      connector.parseWebhook(Buffer.from(body), { 'x-xero-signature': sign(body, 'another-key') }),
    ).toMatchObject({
      ok: false,
      reason: 'signature',
    });
    const changed = body.replace('UPDATE', 'CREATE');
    expect(connector.parseWebhook(Buffer.from(changed), { 'x-xero-signature': sign(body) })).toMatchObject({
      ok: false,
      reason: 'signature',
    });
  });

  it('accepts the intent-to-receive shape (no events, sequences 0) as valid with nothing to do', () => {
    // Built from the sample's envelope as Xero's webhook guide describes the handshake (not a published body).
    const published = sample('webhook-contact-update.json');
    const body = JSON.stringify({ ...published, events: [], firstEventSequence: 0, lastEventSequence: 0 });
    expect(connector.parseWebhook(Buffer.from(body), { 'x-xero-signature': sign(body) })).toMatchObject({
      ok: true,
      events: [],
    });
  });
});

describe('awaiting connector fixes', () => {
  it('changesSince: the next If-Modified-Since overlaps the newest change seen (cursor overlap)', async () => {
    replay.route = routes([
      ['GET', /^\/Invoices$/i, () => json(invoicesSample)],
      ['GET', /^\/Contacts$/i, () => json(sample('openapi-get-contacts.json'))],
      ['GET', /^\/CreditNotes$/i, () => json(sample('openapi-get-credit-notes.json'))],
      ['GET', /^\/Overpayments$/i, () => json(sample('openapi-get-overpayments.json'))],
      ['GET', /^\/Prepayments$/i, () => json(sample('openapi-get-prepayments.json'))],
    ]);
    const { handle } = handleFor(connector);
    const first = await connector.changesSince(handle, connector.cursorAt(new Date('2018-11-01T00:00:00Z')));
    if (!first) throw new Error('expected changes');
    replay.requests.length = 0;
    await connector.changesSince(handle, first.cursor);
    const [invoices] = replay.apiRequests(/^\/Invoices$/i);
    const sent = Date.parse(String(invoices?.headers['if-modified-since']));
    // Xero compares If-Modified-Since to whole seconds and a change committed in the same second as the newest one
    // seen (or still in flight) must not be skipped: the next read starts strictly before the newest stamp.
    expect(sent).toBeLessThan(Date.parse(msDateIso(authorised.UpdatedDateUTC)));
  });

  it('a VOIDED invoice owes nothing: status voided, balance 0 (GET /Invoices example INV-0001)', async () => {
    // The published VOIDED invoice already has AmountDue 0; the same invoice as Xero showed it before voiding
    // (AmountDue = Total 40) must still map to nothing owed once its status is VOIDED.
    const voidedWithOldBalance = { ...voided, AmountDue: voided.Total };
    replay.route = routes([
      ['GET', /^\/Invoices$/i, () => json({ ...invoicesSample, Invoices: [voided, voidedWithOldBalance] })],
    ]);
    const { handle } = handleFor(connector);
    const found = await connector.fetchInvoices(handle, [voided.InvoiceID]);
    expect(found.map((invoice) => [invoice.status, invoice.balanceMinor])).toEqual([
      ['voided', 0],
      ['voided', 0],
    ]);
  });

  it('a settlement credit retried after Xero forgot its Idempotency-Key creates one credit note and allocates once', async () => {
    // Xero's ledger, built from the published bodies: notes created, what is left on each, what was allocated.
    const created = sample('openapi-create-credit-notes.json');
    const notes: Array<Record<string, unknown> & { Reference: string; RemainingCredit: number }> = [];
    let allocated = 0;
    let allocationCalls = 0;
    replay.route = routes([
      ['GET', /^\/Invoices\/[^/]+$/i, () => json(oneInvoice(authorised))],
      ['GET', /^\/CreditNotes$/i, (request) => creditNotesMatching(request, notes)],
      [
        'PUT',
        /^\/CreditNotes$/i,
        (request) => {
          // The retry comes after Xero's idempotency window: every PUT makes a new note.
          const sent = (
            request.body as {
              CreditNotes: Array<{ Reference: string; LineItems: Array<{ UnitAmount: number }> }>;
            }
          ).CreditNotes[0];
          const note = {
            ...created.CreditNotes[0],
            CreditNoteID: `f9256f04-5a99-4680-acb9-${String(notes.length).padStart(12, '0')}`,
            Type: 'ACCRECCREDIT',
            Status: 'AUTHORISED',
            Reference: sent?.Reference ?? '',
            RemainingCredit: sent?.LineItems[0]?.UnitAmount ?? 0,
          };
          notes.push(note);
          return json({ ...created, CreditNotes: [note] });
        },
      ],
      [
        'PUT',
        /^\/CreditNotes\/[^/]+\/Allocations$/i,
        (request) => {
          allocationCalls += 1;
          const amount =
            (request.body as { Allocations: Array<{ Amount: number }> }).Allocations[0]?.Amount ?? 0;
          const note = notes.find((candidate) => request.path.includes(String(candidate['CreditNoteID'])));
          if (note) note.RemainingCredit -= amount;
          allocated += amount;
          // The first allocation is applied, but its answer is lost on the way back.
          return allocationCalls === 1
            ? { status: 503, body: 'Service Unavailable' }
            : json(sample('openapi-create-credit-note-allocation.json'));
        },
      ],
    ]);
    const credit = {
      invoiceId: authorised.InvoiceID,
      amount: { amountMinor: 1050, currency: 'NZD' },
      target: { ref: '200', description: 'Settlement discount' },
      memo: 'Settlement',
      idempotencyKey: 'settlement-1',
    };
    const { handle } = handleFor(connector);
    await ledgerError(connector.applyCredit(handle, credit));
    await connector.applyCredit(handle, credit);
    expect(notes).toHaveLength(1);
    expect(allocated).toBe(10.5);
  });
});
