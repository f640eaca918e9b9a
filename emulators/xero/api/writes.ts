/**
 * Write handlers. Bodies use Xero's envelopes (`{"Invoices":[…]}`, `{"HistoryRecords":[…]}`,
 * `{"CreditNotes":[…]}`, `{"Allocations":[…]}`); a bare object is accepted too. With summarizeErrors=true (the
 * default) any invalid element fails the whole call with 400 ValidationException and nothing is applied; with
 * summarizeErrors=false the call answers 200 and each element carries StatusAttributeString OK/ERROR and its
 * ValidationErrors, as Xero documents.
 *
 * - POST /Invoices/{id} (or POST /Invoices with InvoiceID/InvoiceNumber): DueDate, Reference and Status
 *   (approve, void, delete) only. DueDate/Reference may change on DRAFT/SUBMITTED/AUTHORISED invoices while nothing
 *   is paid or credited; otherwise "This document cannot be edited as it has a payment or credit note allocated
 *   to it." Creating invoices through the API is not emulated (400).
 * - PUT /Invoices/{id}/History: notes of at most 250 characters each (Xero's History and Notes page, "Max
 *   Length 250 characters"; the 400's wording is a guess). An unknown invoice gets "The document with the
 *   supplied id was not found for this endpoint." (xero-ruby #42). Notes do not change UpdatedDateUTC.
 * - PUT /CreditNotes: ACCRECCREDIT only; Contact, LineItems with AccountCode ("Account code '' is not a valid
 *   code for this document."), currency of the contact. Inline Allocations are refused: Xero wants a separate call.
 * - PUT /CreditNotes/{id}/Allocations: lowers the invoice's AmountDue, raises AmountCredited, PAID at zero.
 */
import { randomUUID } from 'node:crypto';
import { notFound, validationElement, validationError, XeroHttpError } from '../faults.js';
import { fromWire } from '../money.js';
import { LedgerError, SYSTEM_USER } from '../store/ledger.js';
import { type CreditNote, type Invoice, type Line, normaliseId } from '../store/model.js';
import { renderInvoice } from '../store/wire.js';
import { renderAllocation, renderCreditNote } from '../store/wire-credits.js';
import { dateString, dateToMs, isoDate, msDate, parseXeroDate } from '../time.js';
import type { InvoiceStatus } from '../types.js';
import type { ApiContext, Json } from './pipeline.js';
import { truthy } from './query.js';
import { findInvoice } from './reads.js';

export const MAX_HISTORY_DETAILS = 250;
const INVOICE_FIELDS = new Set(['InvoiceID', 'InvoiceNumber', 'Type', 'DueDate', 'Reference', 'Status']);

type Outcome = { element: Json; errors: string[]; apply?: () => Json };

function elements(body: unknown, key: string): Json[] {
  if (body === null || typeof body !== 'object')
    throw validationError([validationElement({}, [`A ${key} element is required`])]);
  const list = (body as Json)[key];
  if (Array.isArray(list)) return list.filter((e): e is Json => e !== null && typeof e === 'object');
  return [body as Json];
}

/** Runs validated outcomes: all-or-nothing by default, element by element with summarizeErrors=false. */
function settle(ctx: ApiContext, key: string, outcomes: Outcome[]): Json {
  const summarize = ctx.query['summarizeerrors'] === undefined || truthy(ctx.query['summarizeerrors']);
  if (summarize) {
    const failed = outcomes.filter((o) => o.errors.length > 0);
    if (failed.length > 0) throw validationError(outcomes.map((o) => validationElement(o.element, o.errors)));
    return { [key]: outcomes.map((o) => ({ ...(o.apply as () => Json)(), ValidationErrors: [] })) };
  }
  return {
    [key]: outcomes.map((o) => {
      if (o.errors.length === 0 && o.apply) {
        try {
          return { ...o.apply(), StatusAttributeString: 'OK', ValidationErrors: [] };
        } catch (error) {
          if (!(error instanceof LedgerError)) throw error;
          return { ...validationElement(o.element, error.messages), StatusAttributeString: 'ERROR' };
        }
      }
      return { ...validationElement(o.element, o.errors), StatusAttributeString: 'ERROR' };
    }),
  };
}

function checked(run: () => void): string[] {
  try {
    run();
    return [];
  } catch (error) {
    if (error instanceof LedgerError) return error.messages;
    throw error;
  }
}

export function updateInvoices(ctx: ApiContext): Json {
  const pathId = ctx.params['id'];
  const outcomes = elements(ctx.body, 'Invoices').map((element, index): Outcome => {
    const ref =
      (index === 0 ? pathId : undefined) ??
      (element['InvoiceID'] as string) ??
      (element['InvoiceNumber'] as string);
    const invoice = ref === undefined ? undefined : findInvoice(ctx.org, String(ref));
    if (!invoice) {
      if (pathId !== undefined) throw notFound();
      return {
        element,
        errors: ['The emulator does not create invoices through the API; send an existing InvoiceID'],
      };
    }
    const errors: string[] = [];
    for (const field of Object.keys(element)) {
      if (!INVOICE_FIELDS.has(field) && element[field] !== null)
        errors.push(`The emulator does not support changing ${field}`);
    }
    const dueDate = element['DueDate'] === undefined ? undefined : parseXeroDate(element['DueDate']);
    if (element['DueDate'] !== undefined && dueDate === undefined)
      errors.push('Due Date is not a valid date');
    const status = element['Status'] as InvoiceStatus | undefined;
    const reference = element['Reference'];
    const edits =
      (dueDate !== undefined && dueDate !== invoice.dueDate) ||
      (typeof reference === 'string' && reference !== invoice.reference);
    if (edits) errors.push(...checked(() => ctx.ledger.assertEditable(invoice)));
    const apply = () => {
      if (dueDate !== undefined) ctx.ledger.setDueDate(invoice, dueDate, SYSTEM_USER);
      if (typeof reference === 'string' && reference !== invoice.reference) {
        invoice.reference = reference;
        ctx.ledger.touchInvoice(invoice);
      }
      if (status !== undefined && status !== invoice.status)
        ctx.ledger.setStatus(invoice, status, SYSTEM_USER);
      return renderInvoice(ctx.org, invoice, 'full');
    };
    const echoed: Json = { ...element };
    if (dueDate !== undefined) {
      Object.assign(echoed, { DueDateString: dateString(dueDate), DueDate: msDate(dateToMs(dueDate)) });
    }
    return { element: { ...renderInvoice(ctx.org, invoice, 'full'), ...echoed }, errors, apply };
  });
  return settle(ctx, 'Invoices', outcomes);
}

export function createInvoicesUnsupported(): never {
  throw validationError([
    validationElement({}, [
      'The emulator does not create invoices through the API; use changes().createInvoice()',
    ]),
  ]);
}

export function addInvoiceHistory(ctx: ApiContext): Json {
  const invoice = findInvoice(ctx.org, ctx.params['id'] ?? '');
  const records = elements(ctx.body, 'HistoryRecords');
  const now = ctx.now;
  const stamp = { DateUTCString: new Date(now).toISOString().slice(0, 19), DateUTC: msDate(now) };
  const problems = records.map((record) => {
    const details = record['Details'];
    const errors: string[] = [];
    if (!invoice) errors.push('The document with the supplied id was not found for this endpoint.');
    if (typeof details !== 'string' || details.trim() === '') errors.push('Details must be provided');
    else if (details.length > MAX_HISTORY_DETAILS)
      errors.push(`Details must be no more than ${MAX_HISTORY_DETAILS} characters long`);
    return errors;
  });
  if (records.length === 0) problems.push(['At least one HistoryRecord is required']);
  if (problems.some((errors) => errors.length > 0)) {
    throw validationError(
      records.map((r, i) => validationElement({ ...stamp, Details: r['Details'] }, problems[i] ?? [])),
    );
  }
  return {
    HistoryRecords: records.map((record) => {
      ctx.ledger.addHistory((invoice as Invoice).id, 'Note', record['Details'] as string, SYSTEM_USER);
      return { ...stamp, Details: record['Details'], ValidationErrors: [] };
    }),
  };
}

function creditLines(element: Json, currency: string, authorised: boolean, errors: string[]): Line[] {
  const raw = element['LineItems'];
  if (!Array.isArray(raw) || raw.length === 0) {
    errors.push('One or more line items must be specified');
    return [];
  }
  return raw.map((item: Json, index) => {
    const quantity = item['Quantity'] === undefined ? 1 : Number(item['Quantity']);
    const amount =
      item['LineAmount'] !== undefined
        ? fromWire(item['LineAmount'], currency)
        : fromWire(Number(item['UnitAmount']) * quantity, currency);
    if (Number.isNaN(amount)) errors.push(`Line ${index + 1}: UnitAmount or LineAmount must be a number`);
    const accountCode = typeof item['AccountCode'] === 'string' ? item['AccountCode'] : '';
    if (authorised && accountCode.trim() === '')
      errors.push(`Account code '${accountCode}' is not a valid code for this document.`);
    return {
      id: randomUUID(),
      description: typeof item['Description'] === 'string' ? item['Description'] : '',
      amount,
      accountCode,
    };
  });
}

export function createCreditNotes(ctx: ApiContext): Json {
  const outcomes = elements(ctx.body, 'CreditNotes').map((element): Outcome => {
    const errors: string[] = [];
    if (element['Type'] !== 'ACCRECCREDIT')
      errors.push('The emulator supports Type ACCRECCREDIT credit notes only');
    if (element['CreditNoteID'] !== undefined) errors.push('The emulator does not update credit notes');
    if (Array.isArray(element['Allocations']) && element['Allocations'].length > 0) {
      errors.push(
        'Allocations cannot be made with the credit note: use PUT /CreditNotes/{CreditNoteID}/Allocations',
      );
    }
    const contactRef = element['Contact'] as Json | undefined;
    const contactKey = (contactRef?.['ContactID'] ?? contactRef?.['Name']) as string | undefined;
    if (contactKey === undefined) errors.push('A Contact must be specified for this type of transaction');
    const status = (element['Status'] as string | undefined) ?? 'DRAFT';
    if (!['DRAFT', 'SUBMITTED', 'AUTHORISED'].includes(status))
      errors.push(`A credit note cannot be created with status ${status}`);
    const date = element['Date'] === undefined ? isoDate(ctx.now) : parseXeroDate(element['Date']);
    if (date === undefined) errors.push('Date is not a valid date');
    let currency = typeof element['CurrencyCode'] === 'string' ? element['CurrencyCode'] : undefined;
    if (contactKey !== undefined) {
      try {
        currency ??= ctx.ledger.contact(contactKey).defaultCurrency ?? ctx.org.baseCurrency;
      } catch (error) {
        if (!(error instanceof LedgerError)) throw error;
        errors.push(...error.messages);
      }
    }
    const lines = creditLines(element, currency ?? ctx.org.baseCurrency, status === 'AUTHORISED', errors);
    const input = {
      contactId: contactKey ?? '',
      lines,
      ...(date !== undefined ? { date } : {}),
      ...(currency !== undefined ? { currency } : {}),
      status: status as 'DRAFT' | 'SUBMITTED' | 'AUTHORISED',
      ...(typeof element['Reference'] === 'string' ? { reference: element['Reference'] } : {}),
      ...(typeof element['CreditNoteNumber'] === 'string'
        ? { creditNoteNumber: element['CreditNoteNumber'] }
        : {}),
    };
    const apply = () => renderCreditNote(ctx.org, ctx.ledger.createCreditNote(input, SYSTEM_USER));
    if (errors.length === 0) errors.push(...ctx.ledger.creditNoteErrors(input));
    return { element, errors, apply };
  });
  return settle(ctx, 'CreditNotes', outcomes);
}

export function allocateCreditNote(ctx: ApiContext): Json {
  const creditNote: CreditNote | undefined = ctx.org.creditNotes.get(normaliseId(ctx.params['id'] ?? ''));
  if (!creditNote) throw notFound();
  let remaining = creditNote.remaining;
  const dues = new Map<string, number>();
  const outcomes = elements(ctx.body, 'Allocations').map((element): Outcome => {
    const errors: string[] = [];
    const ref = (element['Invoice'] as Json | undefined)?.['InvoiceID'];
    const invoice = typeof ref === 'string' ? findInvoice(ctx.org, ref) : undefined;
    if (!invoice) errors.push('Invoice could not be found');
    const amount = fromWire(element['Amount'], invoice?.currency ?? creditNote.currency);
    if (Number.isNaN(amount)) errors.push('Amount must be a number');
    const date = element['Date'] === undefined ? isoDate(ctx.now) : parseXeroDate(element['Date']);
    if (date === undefined) errors.push('Date is not a valid date');
    if (invoice && errors.length === 0) {
      const due = dues.get(invoice.id) ?? invoice.total - invoice.amountPaid - invoice.amountCredited;
      const credited = invoice.total - invoice.amountPaid - due;
      errors.push(
        ...ctx.ledger.allocationErrors(
          { ...creditNote, remaining },
          { ...invoice, amountCredited: credited },
          amount,
        ),
      );
      if (errors.length === 0) {
        remaining -= amount;
        dues.set(invoice.id, due - amount);
      }
    }
    const apply = () => {
      const allocation = ctx.ledger.allocate(creditNote, invoice as Invoice, amount, date, SYSTEM_USER);
      return renderAllocation(ctx.org, allocation, true);
    };
    return { element, errors, apply };
  });
  return settle(ctx, 'Allocations', outcomes);
}

export function unsupported(what: string): never {
  throw new XeroHttpError(
    400,
    JSON.stringify({
      ErrorNumber: 10,
      Type: 'ValidationException',
      Message: `${what} is not emulated`,
      Elements: [],
    }),
  );
}
