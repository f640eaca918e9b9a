/** Accounting API reads through xero-node: paging, filters, If-Modified-Since, shapes and errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XeroClient } from 'xero-node';
import type { XeroEmulator } from '../../../emulators/xero/index.js';
import {
  apiFailure,
  connect,
  harnessSeed,
  IDS,
  OWNER,
  startEmulator,
  type TestClock,
} from './xero-harness.js';

let emulator: XeroEmulator;
let clock: TestClock;
let unroute: () => void;
let xero: XeroClient;
let tenantId: string;
let bigTenant: string;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  ({ emulator, clock, unroute } = await startEmulator({ rateLimit: { perMinute: 10_000 } }));
  tenantId = emulator.addOrganisation(harnessSeed(today));
  bigTenant = emulator.generateOrganisation({
    contacts: 150,
    openInvoices: 1100,
    paidInvoices: 150,
    seed: 7,
    userEmail: OWNER.email,
  });
  ({ client: xero } = await connect(emulator));
});

afterAll(async () => {
  unroute();
  await emulator.close();
});

type Args = {
  since?: Date;
  where?: string;
  order?: string;
  ids?: string[];
  statuses?: string[];
  page?: number;
  summaryOnly?: boolean;
  pageSize?: number;
};

/** getInvoices' positional parameters, by name. */
function invoices(tenant: string, a: Args = {}) {
  return xero.accountingApi.getInvoices(
    tenant,
    a.since,
    a.where,
    a.order,
    a.ids,
    undefined,
    undefined,
    a.statuses,
    a.page,
    undefined,
    undefined,
    undefined,
    a.summaryOnly,
    a.pageSize,
  );
}

describe('GET /Invoices', () => {
  it('pages 1250 invoices with pageSize 1000: two pages, with line items and pagination', async () => {
    const first = await invoices(bigTenant, { page: 1, pageSize: 1000 });
    const second = await invoices(bigTenant, { page: 2, pageSize: 1000 });
    expect(first.body.invoices).toHaveLength(1000);
    expect(second.body.invoices).toHaveLength(250);
    expect(first.body.pagination).toMatchObject({ page: 1, pageSize: 1000, pageCount: 2, itemCount: 1250 });
    expect(first.body.invoices?.[0]?.lineItems?.length).toBeGreaterThan(0);
    const ids = new Set(
      [...(first.body.invoices ?? []), ...(second.body.invoices ?? [])].map((i) => i.invoiceID),
    );
    expect(ids.size).toBe(1250);
    const big = await invoices(bigTenant, { page: 1, pageSize: 5000 });
    expect(big.body.invoices).toHaveLength(1000);
    expect((await invoices(bigTenant, { page: 1 })).body.invoices).toHaveLength(100);
  });

  it('filters by Statuses, IDs and where Type=="ACCREC"; orders; converts /Date()/ to Date objects', async () => {
    const authorised = await invoices(tenantId, { statuses: ['AUTHORISED'], page: 1 });
    expect(authorised.body.invoices?.map((i) => i.invoiceID).sort()).toEqual(
      [IDS.open, IDS.overdue, IDS.partial, IDS.foreign].sort(),
    );
    const byIds = await invoices(tenantId, { ids: [IDS.paid, IDS.partial.toUpperCase()] });
    expect(byIds.body.invoices?.map((i) => i.invoiceID).sort()).toEqual([IDS.partial, IDS.paid].sort());
    const accrec = await invoices(tenantId, {
      where: 'Type=="ACCREC" AND AmountDue>0',
      order: 'AmountDue DESC',
    });
    expect(accrec.body.invoices?.map((i) => i.amountDue)).toEqual([400, 333, 200, 125.5, 99.99]);
    const partial = byIds.body.invoices?.find((i) => i.invoiceID === IDS.partial);
    expect(partial).toMatchObject({
      total: 700,
      amountDue: 200,
      amountPaid: 500,
      status: 'AUTHORISED',
      currencyCode: 'NZD',
    });
    // xero-node turns "/Date(…)/" strings into Date objects even where its typings say string.
    expect((partial?.dueDate as unknown) instanceof Date).toBe(true);
    expect(partial?.payments).toHaveLength(1);
    expect(byIds.body.invoices?.[0]?.lineItems).toBeUndefined();
  });

  it('If-Modified-Since returns only what changed after the date', async () => {
    const before = new Date(clock.now());
    clock.advanceSeconds(5);
    emulator.changes(tenantId).receivePayment({ invoiceId: IDS.overdue, amount: 2550 });
    const changed = await invoices(tenantId, { since: before, page: 1 });
    expect(changed.body.invoices?.map((i) => i.invoiceID)).toEqual([IDS.overdue]);
    const http = await fetch(`${emulator.endpoints.apiBase}/Invoices`, {
      headers: {
        authorization: `Bearer ${xero.readTokenSet().access_token}`,
        'xero-tenant-id': tenantId,
        'if-modified-since': new Date(clock.now() + 60_000).toUTCString(),
      },
    });
    expect(((await http.json()) as { Invoices: unknown[] }).Invoices).toEqual([]);
  });

  it('summaryOnly drops payments and lines and forces paging', async () => {
    const summary = await invoices(tenantId, { summaryOnly: true });
    expect(summary.body.pagination).toMatchObject({ page: 1, pageSize: 100 });
    expect(summary.body.invoices?.[0]?.payments).toBeUndefined();
    expect(summary.body.invoices?.[0]?.lineItems).toBeUndefined();
  });

  it('GET /Invoices/{id} of an unknown invoice → 404 with a plain-text body', async () => {
    const failure = await apiFailure(
      xero.accountingApi.getInvoice(tenantId, '99999999-9999-4999-8999-999999999999'),
    );
    expect(failure.statusCode).toBe(404);
    expect(failure.body).toBe("The resource you're looking for cannot be found");
    expect(failure.headers['x-minlimit-remaining']).toMatch(/^\d+$/);
  });

  it('a where clause that cannot be parsed → 400 QueryParseException', async () => {
    const failure = await apiFailure(invoices(tenantId, { where: 'Type=="ACCREC" AND (' }));
    expect(failure.statusCode).toBe(400);
    expect(failure.body.Type).toBe('QueryParseException');
  });
});

describe('OnlineInvoice', () => {
  it('returns the URL for AUTHORISED and PAID invoices and 400 for a DRAFT', async () => {
    const online = await xero.accountingApi.getOnlineInvoice(tenantId, IDS.open);
    const url = online.body.onlineInvoices?.[0]?.onlineInvoiceUrl as string;
    expect(url).toMatch(new RegExp(`^${emulator.url}/in/`));
    expect(await (await fetch(url)).text()).toContain('Harness Plumbing');
    const failure = await apiFailure(xero.accountingApi.getOnlineInvoice(tenantId, IDS.draft));
    expect(failure.statusCode).toBe(400);
    expect(failure.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException' });
  });
});

describe('contacts, payments, credit notes, organisation', () => {
  it('lists contacts with ContactPersons; archived ones only with includeArchived', async () => {
    const active = await xero.accountingApi.getContacts(
      tenantId,
      undefined,
      undefined,
      undefined,
      undefined,
      1,
    );
    expect(active.body.contacts?.map((c) => c.name)).toEqual(['Alpha Dental', 'Beta Bakery', 'Gamma Garage']);
    expect(active.body.contacts?.[0]?.contactPersons?.[0]).toMatchObject({
      emailAddress: 'ana@alpha.example',
      includeInEmails: true,
    });
    const all = await xero.accountingApi.getContacts(
      tenantId,
      undefined,
      undefined,
      undefined,
      undefined,
      1,
      true,
    );
    expect(all.body.contacts?.find((c) => c.contactID === IDS.archived)?.contactStatus).toBe('ARCHIVED');
    const gamma = await xero.accountingApi.getContacts(tenantId, undefined, undefined, undefined, [
      IDS.gamma,
    ]);
    expect(gamma.body.contacts?.[0]?.defaultCurrency).toBe('AUD');
  });

  it('lists payments, deleted ones with Status DELETED', async () => {
    const changes = emulator.changes(tenantId);
    const paymentId = changes.receivePayment({ invoiceId: IDS.open, amount: 1000 });
    changes.deletePayment(paymentId);
    const payments = await xero.accountingApi.getPayments(tenantId, undefined, undefined, undefined, 1);
    const deleted = payments.body.payments?.find((p) => p.paymentID === paymentId);
    expect(deleted).toMatchObject({ status: 'DELETED', amount: 10 });
    const invoice = await xero.accountingApi.getInvoice(tenantId, IDS.open);
    expect(invoice.body.invoices?.[0]).toMatchObject({ amountDue: 400, amountPaid: 0 });
  });

  it('lists credit notes and the organisation', async () => {
    const creditNoteId = emulator.changes(tenantId).createCreditNote({ contactId: IDS.beta, amount: 1500 });
    const notes = await xero.accountingApi.getCreditNotes(tenantId, undefined, undefined, undefined, 1);
    expect(notes.body.creditNotes?.find((c) => c.creditNoteID === creditNoteId)).toMatchObject({
      remainingCredit: 15,
      total: 15,
    });
    const org = await xero.accountingApi.getOrganisations(tenantId);
    expect(org.body.organisations?.[0]).toMatchObject({
      organisationID: tenantId,
      name: 'Harness Plumbing',
      baseCurrency: 'NZD',
      countryCode: 'NZ',
      timezone: 'NEWZEALANDSTANDARDTIME',
    });
  });
});
