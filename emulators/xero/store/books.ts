/**
 * The core of the ledger (contacts, invoices, payments, history, change events); credit notes and allocations are
 * in ledger.ts. Every change to an organisation's books goes through here, so the API and changes() obey the same rules and
 * queue the same webhook events. Refusals throw LedgerError with Xero's validation messages where known:
 * - "This document cannot be edited as it has a payment or credit note allocated to it." (Xero-NetStandard #84)
 * - "The status VOIDED cannot be applied to the invoice because it has payments or credit notes allocated to it."
 * - "The payment amount exceeds the amount outstanding on this document." / "Payments can only be made against
 *   Authorised documents" (integrators' error catalogues)
 * - "Credit Note cannot be allocated as amount is greater than amount outstanding" (xero-php #251, for the
 *   credit's remaining amount; the emulator also uses it when the invoice's amount due is exceeded — a guess)
 * - "The invoice you are trying to allocate to has already been paid off" (xeroizer #320)
 * - "The contact with the specified contact details has been archived. …" (integrators' code)
 * Messages marked "guess" below have no source.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { formatAmount } from '../money.js';
import { isIsoDate, isoDate } from '../time.js';
import type { InvoiceLineInput, InvoiceStatus } from '../types.js';
import {
  amountDue,
  type Contact,
  type CreditNote,
  type Invoice,
  type Line,
  normaliseId,
  type Organisation,
  type Payment,
  sumLines,
} from './model.js';

export type EventCategory = 'INVOICE' | 'CONTACT' | 'CREDITNOTE';

export interface ChangeEvent {
  tenantId: string;
  category: EventCategory;
  type: 'CREATE' | 'UPDATE';
  resourceId: string;
  at: number;
  /** CREDITNOTE events carry {Type, Status} (xero-webhooks.yaml CreditNoteWebhookEvent). */
  data?: Record<string, string>;
}

export class LedgerError extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join(' '));
  }
}

export const SYSTEM_USER = 'System Generated';
export const DEFAULT_ACCOUNT_CODE = '200';
export const NOT_EDITABLE =
  'This document cannot be edited as it has a payment or credit note allocated to it.';
export const INVALID_STATUS = 'Invoice not of valid status for modification';
const ARCHIVED_CONTACT =
  'The contact with the specified contact details has been archived. The contact must be un-archived before ' +
  'creating new invoices or credit notes.';

export function makeLines(input: { amount?: number; lines?: InvoiceLineInput[] }): Line[] {
  const lines = input.lines ?? (input.amount === undefined ? [] : [{ amount: input.amount }]);
  if (lines.length === 0) throw new LedgerError(['One or more line items must be specified']);
  return lines.map((line, index) => {
    if (!Number.isInteger(line.amount)) throw new LedgerError(['Line amounts must be whole minor units']);
    return {
      id: randomUUID(),
      description: line.description ?? (lines.length === 1 ? 'Services' : `Line ${index + 1}`),
      amount: line.amount,
      accountCode: line.accountCode ?? DEFAULT_ACCOUNT_CODE,
    };
  });
}

export class Books {
  /** While true (seeding), changes are not announced to webhooks. */
  silent = false;

  constructor(
    readonly org: Organisation,
    protected readonly now: () => number,
    private readonly emit: (event: ChangeEvent) => void,
  ) {}

  contact(idOrName: string): Contact {
    const byId = this.org.contacts.get(normaliseId(idOrName));
    if (byId) return byId;
    for (const contact of this.org.contacts.values()) if (contact.name === idOrName) return contact;
    throw new LedgerError([`The contact ${idOrName} could not be found`]);
  }

  invoice(id: string): Invoice {
    const invoice = this.org.invoices.get(normaliseId(id));
    if (!invoice) throw new LedgerError([`The invoice ${id} could not be found`]);
    return invoice;
  }

  creditNote(id: string): CreditNote {
    const creditNote = this.org.creditNotes.get(normaliseId(id));
    if (!creditNote) throw new LedgerError([`The credit note ${id} could not be found`]);
    return creditNote;
  }

  stamp(): number {
    return this.now();
  }

  announce(
    category: EventCategory,
    type: 'CREATE' | 'UPDATE',
    resourceId: string,
    data?: ChangeEvent['data'],
  ) {
    if (this.silent) return;
    this.emit({
      tenantId: this.org.tenantId,
      category,
      type,
      resourceId,
      at: this.now(),
      ...(data ? { data } : {}),
    });
  }

  addHistory(documentId: string, changes: string, details: string, user: string): void {
    const list = this.org.history.get(documentId) ?? [];
    this.org.sequence.history += 1;
    list.push({ seq: this.org.sequence.history, at: this.now(), changes, details, user });
    this.org.history.set(documentId, list);
  }

  touchContact(contact: Contact, type: 'CREATE' | 'UPDATE'): void {
    contact.updatedAt = this.stamp();
    this.announce('CONTACT', type, contact.id);
  }

  touchInvoice(invoice: Invoice, type: 'CREATE' | 'UPDATE' = 'UPDATE'): void {
    invoice.updatedAt = this.stamp();
    this.announce('INVOICE', type, invoice.id);
  }

  touchCreditNote(creditNote: CreditNote, type: 'CREATE' | 'UPDATE' = 'UPDATE'): void {
    creditNote.updatedAt = this.stamp();
    this.announce('CREDITNOTE', type, creditNote.id, { Type: 'ACCRECCREDIT', Status: creditNote.status });
  }

  nextInvoiceNumber(): string {
    this.org.sequence.invoice += 1;
    return `INV-${String(this.org.sequence.invoice).padStart(4, '0')}`;
  }

  nextCreditNoteNumber(): string {
    this.org.sequence.creditNote += 1;
    return `CN-${String(this.org.sequence.creditNote).padStart(4, '0')}`;
  }

  activeContact(idOrName: string): Contact {
    const contact = this.contact(idOrName);
    if (contact.status !== 'ACTIVE') throw new LedgerError([ARCHIVED_CONTACT]);
    return contact;
  }

  createInvoice(
    input: {
      id?: string;
      contactId: string;
      lines: Line[];
      dueDate: string;
      date?: string;
      currency?: string;
      currencyRate?: number;
      status?: InvoiceStatus;
      reference?: string;
      invoiceNumber?: string;
      sentToContact?: boolean;
    },
    user: string,
  ): Invoice {
    const contact = this.activeContact(input.contactId);
    if (!isIsoDate(input.dueDate)) throw new LedgerError(['Due date must be a valid date (YYYY-MM-DD)']);
    const date = input.date ?? minDate(isoDate(this.now()), shiftDays(input.dueDate, -30));
    if (!isIsoDate(date)) throw new LedgerError(['Date must be a valid date (YYYY-MM-DD)']);
    const id = normaliseId(input.id ?? randomUUID());
    if (this.org.invoices.has(id)) throw new LedgerError([`An invoice with id ${id} exists already`]);
    const status = input.status ?? 'AUTHORISED';
    if (status === 'PAID') throw new LedgerError(['PAID is reached through payments']);
    const invoice: Invoice = {
      id,
      number: input.invoiceNumber ?? this.nextInvoiceNumber(),
      contactId: contact.id,
      status,
      date,
      dueDate: input.dueDate,
      currency: input.currency ?? contact.defaultCurrency ?? this.org.baseCurrency,
      currencyRate: input.currencyRate ?? 1,
      lines: input.lines,
      total: sumLines(input.lines),
      amountPaid: 0,
      amountCredited: 0,
      reference: input.reference ?? '',
      sentToContact: input.sentToContact ?? false,
      paymentIds: [],
      allocationIds: [],
      onlineToken: randomBytes(20).toString('base64url'),
      updatedAt: 0,
    };
    if (invoice.total <= 0) throw new LedgerError(['The invoice total must be greater than zero']);
    this.org.invoices.set(id, invoice);
    const amount = `${formatAmount(invoice.total, invoice.currency)}`;
    this.addHistory(id, 'Created', `INV ${invoice.number} to ${contact.name} for ${amount}.`, user);
    if (status === 'AUTHORISED') this.addHistory(id, 'Approved', `INV ${invoice.number} approved.`, user);
    this.touchInvoice(invoice, 'CREATE');
    return invoice;
  }

  /** The API's rule for DueDate (and other header) edits: not once anything is paid or credited. */
  assertEditable(invoice: Invoice): void {
    if (invoice.status === 'VOIDED' || invoice.status === 'DELETED') throw new LedgerError([INVALID_STATUS]);
    if (invoice.amountPaid > 0 || invoice.amountCredited > 0 || invoice.status === 'PAID') {
      throw new LedgerError([NOT_EDITABLE]);
    }
  }

  setDueDate(invoice: Invoice, dueDate: string, user: string): void {
    this.assertEditable(invoice);
    if (invoice.dueDate === dueDate) return;
    const previous = invoice.dueDate;
    invoice.dueDate = dueDate;
    this.addHistory(invoice.id, 'Edited', `Due date changed from ${previous} to ${dueDate}.`, user);
    this.touchInvoice(invoice);
  }

  setStatus(invoice: Invoice, status: InvoiceStatus, user: string): void {
    if (status === invoice.status) return;
    const from = invoice.status;
    if (status === 'AUTHORISED' && (from === 'DRAFT' || from === 'SUBMITTED')) {
      invoice.status = status;
      this.addHistory(invoice.id, 'Approved', `INV ${invoice.number} approved.`, user);
    } else if (status === 'SUBMITTED' && from === 'DRAFT') {
      invoice.status = status;
    } else if (status === 'DELETED' && (from === 'DRAFT' || from === 'SUBMITTED')) {
      invoice.status = status;
      this.addHistory(invoice.id, 'Deleted', `INV ${invoice.number} deleted.`, user);
    } else if (status === 'VOIDED' && from === 'AUTHORISED') {
      if (invoice.amountPaid > 0 || invoice.amountCredited > 0) {
        throw new LedgerError([
          'The status VOIDED cannot be applied to the invoice because it has payments or credit notes allocated to it.',
        ]);
      }
      invoice.status = status;
      this.addHistory(invoice.id, 'Voided', `INV ${invoice.number} voided.`, user);
    } else {
      throw new LedgerError([INVALID_STATUS]);
    }
    this.touchInvoice(invoice);
  }

  pay(
    invoice: Invoice,
    amount: number,
    input: { id?: string; date?: string; reference?: string },
    user: string,
  ): Payment {
    if (invoice.status !== 'AUTHORISED') {
      throw new LedgerError(['Payments can only be made against Authorised documents']);
    }
    if (!Number.isInteger(amount) || amount <= 0) throw new LedgerError(['Payment amount must be positive']);
    if (amount > amountDue(invoice)) {
      throw new LedgerError(['The payment amount exceeds the amount outstanding on this document.']);
    }
    const date = input.date ?? isoDate(this.now());
    const payment: Payment = {
      id: normaliseId(input.id ?? randomUUID()),
      invoiceId: invoice.id,
      amount,
      date,
      status: 'AUTHORISED',
      reference: input.reference ?? '',
      updatedAt: this.stamp(),
    };
    this.org.payments.set(payment.id, payment);
    invoice.paymentIds.push(payment.id);
    invoice.amountPaid += amount;
    this.settle(invoice, date);
    const money = formatAmount(amount, invoice.currency);
    this.addHistory(invoice.id, 'Payment Received', `Payment received on ${date} for ${money}.`, user);
    this.touchInvoice(invoice);
    return payment;
  }

  deletePayment(payment: Payment, user: string): void {
    if (payment.status === 'DELETED') return;
    const invoice = this.invoice(payment.invoiceId);
    payment.status = 'DELETED';
    payment.updatedAt = this.stamp();
    invoice.amountPaid -= payment.amount;
    if (invoice.status === 'PAID') {
      invoice.status = 'AUTHORISED';
      delete invoice.fullyPaidOn;
    }
    this.addHistory(
      invoice.id,
      'Payment Deleted',
      `Payment of ${formatAmount(payment.amount, invoice.currency)} removed.`,
      user,
    );
    this.touchInvoice(invoice);
  }

  protected settle(invoice: Invoice, date: string): void {
    if (amountDue(invoice) === 0 && invoice.status === 'AUTHORISED') {
      invoice.status = 'PAID';
      invoice.fullyPaidOn = date;
    }
  }
}

function shiftDays(date: string, days: number): string {
  return isoDate(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
