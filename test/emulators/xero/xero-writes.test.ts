/** Accounting API writes through xero-node: history notes, due dates, credit notes and allocations, idempotency. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Allocations,
  CreditNote,
  type CreditNotes,
  type HistoryRecords,
  type Invoices,
  type XeroClient,
} from 'xero-node';
import type { XeroEmulator } from '../../../emulators/xero/index.js';
import { apiFailure, connect, harnessSeed, IDS, startEmulator } from './xero-harness.js';

let emulator: XeroEmulator;
let unroute: () => void;
let xero: XeroClient;
let tenantId: string;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  ({ emulator, unroute } = await startEmulator());
  tenantId = emulator.addOrganisation(harnessSeed(today));
  ({ client: xero } = await connect(emulator));
});

afterAll(async () => {
  unroute();
  await emulator.close();
});

const notes = (...details: string[]): HistoryRecords => ({
  historyRecords: details.map((d) => ({ details: d })),
});

function creditNote(contactID: string, amount: number, currencyCode?: string): CreditNotes {
  return {
    creditNotes: [
      {
        type: CreditNote.TypeEnum.ACCRECCREDIT,
        status: CreditNote.StatusEnum.AUTHORISED,
        contact: { contactID },
        date: today,
        lineItems: [{ description: 'Goodwill', quantity: 1, unitAmount: amount, accountCode: '200' }],
        ...(currencyCode ? { currencyCode: currencyCode as unknown as CreditNote['currencyCode'] } : {}),
      },
    ],
  };
}

describe('history notes', () => {
  it('stores notes in order and lists them newest first; a note over 250 characters → 400', async () => {
    const created = await xero.accountingApi.createInvoiceHistory(
      tenantId,
      IDS.overdue,
      notes('Reminder 1 sent', 'Reminder 2 sent'),
    );
    expect(created.body.historyRecords?.map((r) => r.details)).toEqual([
      'Reminder 1 sent',
      'Reminder 2 sent',
    ]);
    await xero.accountingApi.createInvoiceHistory(tenantId, IDS.overdue, notes('x'.repeat(250)));
    const history = await xero.accountingApi.getInvoiceHistory(tenantId, IDS.overdue);
    const userNotes = (history.body.historyRecords ?? [])
      .filter((r) => r.changes === 'Note')
      .map((r) => r.details);
    expect(userNotes).toEqual(['x'.repeat(250), 'Reminder 2 sent', 'Reminder 1 sent']);
    expect(history.body.historyRecords?.find((r) => r.changes === 'Note')?.user).toBe('System Generated');

    const failure = await apiFailure(
      xero.accountingApi.createInvoiceHistory(tenantId, IDS.overdue, notes('ok', 'y'.repeat(251))),
    );
    expect(failure.statusCode).toBe(400);
    expect(failure.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException' });
    expect(failure.body.Elements[1].ValidationErrors[0].Message).toMatch(/250/);
    const after = await xero.accountingApi.getInvoiceHistory(tenantId, IDS.overdue);
    expect(after.body.historyRecords?.filter((r) => r.details === 'ok')).toEqual([]);
  });

  it('an unknown invoice → 400 "The document with the supplied id was not found for this endpoint."', async () => {
    const failure = await apiFailure(
      xero.accountingApi.createInvoiceHistory(
        tenantId,
        '99999999-9999-4999-8999-999999999999',
        notes('hello'),
      ),
    );
    expect(failure.body.Elements[0].ValidationErrors[0].Message).toBe(
      'The document with the supplied id was not found for this endpoint.',
    );
  });
});

describe('due dates', () => {
  it('moves the due date of an unpaid AUTHORISED invoice, bumping UpdatedDateUTC', async () => {
    const before = (await xero.accountingApi.getInvoice(tenantId, IDS.open)).body.invoices?.[0];
    const body: Invoices = { invoices: [{ dueDate: '2031-03-15' }] };
    const updated = await xero.accountingApi.updateInvoice(tenantId, IDS.open, body);
    const invoice = updated.body.invoices?.[0];
    // xero-node keeps no DueDateString (its model lacks it) and turns DueDate into a Date.
    const asDate = (value: unknown) => value as Date;
    expect(asDate(invoice?.dueDate).toISOString()).toBe('2031-03-15T00:00:00.000Z');
    expect(asDate(invoice?.updatedDateUTC).getTime()).toBeGreaterThanOrEqual(
      asDate(before?.updatedDateUTC).getTime(),
    );
  });

  it('refuses a due-date change once a payment is applied', async () => {
    emulator.changes(tenantId).receivePayment({ invoiceId: IDS.foreign, amount: 300 });
    const failure = await apiFailure(
      xero.accountingApi.updateInvoice(tenantId, IDS.foreign, { invoices: [{ dueDate: '2031-01-01' }] }),
    );
    expect(failure.statusCode).toBe(400);
    expect(failure.body.Elements[0].ValidationErrors).toEqual([
      { Message: 'This document cannot be edited as it has a payment or credit note allocated to it.' },
    ]);
    expect(emulator.organisation(tenantId).invoice(IDS.foreign)?.['DueDateString']).not.toBe(
      '2031-01-01T00:00:00',
    );
  });
});

describe('credit notes and allocations', () => {
  it('creates an ACCRECCREDIT credit note and allocates it: AmountDue falls, AmountCredited rises, PAID at zero', async () => {
    const created = await xero.accountingApi.createCreditNotes(tenantId, creditNote(IDS.alpha, 200));
    const note = created.body.creditNotes?.[0];
    expect(note).toMatchObject({
      type: 'ACCRECCREDIT',
      status: 'AUTHORISED',
      total: 200,
      remainingCredit: 200,
    });
    const allocations: Allocations = {
      allocations: [{ amount: 25.5, invoice: { invoiceID: IDS.overdue }, date: today }],
    };
    const allocated = await xero.accountingApi.createCreditNoteAllocation(
      tenantId,
      note?.creditNoteID as string,
      allocations,
    );
    expect(allocated.body.allocations?.[0]?.amount).toBe(25.5);
    let invoice = (await xero.accountingApi.getInvoice(tenantId, IDS.overdue)).body.invoices?.[0];
    expect(invoice).toMatchObject({ amountDue: 100, amountCredited: 25.5, status: 'AUTHORISED' });
    expect(invoice?.creditNotes?.[0]).toMatchObject({
      creditNoteID: note?.creditNoteID,
      appliedAmount: 25.5,
    });

    const over = await apiFailure(
      xero.accountingApi.createCreditNoteAllocation(tenantId, note?.creditNoteID as string, {
        allocations: [{ amount: 100.01, invoice: { invoiceID: IDS.overdue }, date: today }],
      }),
    );
    expect(over.statusCode).toBe(400);
    expect(over.body.Elements[0].ValidationErrors[0].Message).toBe(
      'Credit Note cannot be allocated as amount is greater than amount outstanding',
    );

    await xero.accountingApi.createCreditNoteAllocation(tenantId, note?.creditNoteID as string, {
      allocations: [{ amount: 100, invoice: { invoiceID: IDS.overdue }, date: today }],
    });
    invoice = (await xero.accountingApi.getInvoice(tenantId, IDS.overdue)).body.invoices?.[0];
    expect(invoice).toMatchObject({ amountDue: 0, amountCredited: 125.5, status: 'PAID' });
    const after = (await xero.accountingApi.getCreditNote(tenantId, note?.creditNoteID as string)).body
      .creditNotes?.[0];
    expect(after?.remainingCredit).toBe(74.5);
  });

  it('refuses a credit note in another currency than the contact trades in, and one without an account code', async () => {
    const foreign = await apiFailure(
      xero.accountingApi.createCreditNotes(tenantId, creditNote(IDS.alpha, 10, 'USD')),
    );
    expect(foreign.body.Elements[0].ValidationErrors[0].Message).toMatch(/currency/i);
    const body = creditNote(IDS.alpha, 10);
    delete body.creditNotes?.[0]?.lineItems?.[0]?.accountCode;
    const noAccount = await apiFailure(xero.accountingApi.createCreditNotes(tenantId, body));
    expect(noAccount.body.Elements[0].ValidationErrors[0].Message).toBe(
      "Account code '' is not a valid code for this document.",
    );
  });
});

describe('Idempotency-Key', () => {
  it('applies a write once and replays the first answer; another body with the same key → 400', async () => {
    const key = `note-${Date.now()}`;
    const first = await xero.accountingApi.createInvoiceHistory(
      tenantId,
      IDS.partial,
      notes('Called the customer'),
      key,
    );
    const second = await xero.accountingApi.createInvoiceHistory(
      tenantId,
      IDS.partial,
      notes('Called the customer'),
      key,
    );
    expect(second.response.headers['idempotent-replayed']).toBe('true');
    expect(second.body.historyRecords?.[0]?.dateUTC).toEqual(first.body.historyRecords?.[0]?.dateUTC);
    const history = await xero.accountingApi.getInvoiceHistory(tenantId, IDS.partial);
    expect(history.body.historyRecords?.filter((r) => r.details === 'Called the customer')).toHaveLength(1);
    const other = await apiFailure(
      xero.accountingApi.createInvoiceHistory(tenantId, IDS.partial, notes('Something else'), key),
    );
    expect(other.statusCode).toBe(400);
    expect(other.body.Elements[0].ValidationErrors[0].Message).toBe(
      `Idempotency Key: ${key} is used with a different request.`,
    );
  });

  it('replays a remembered validation error too', async () => {
    const key = `bad-${Date.now()}`;
    const body = { invoices: [{ dueDate: '2031-01-01' }] };
    const one = await apiFailure(
      xero.accountingApi.updateInvoice(tenantId, IDS.partial, body, undefined, key),
    );
    const two = await apiFailure(
      xero.accountingApi.updateInvoice(tenantId, IDS.partial, body, undefined, key),
    );
    expect(two.statusCode).toBe(400);
    expect(two.body).toEqual(one.body);
    expect(two.headers['idempotent-replayed']).toBe('true');
  });
});
