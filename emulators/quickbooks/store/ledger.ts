/**
 * Every change to a company goes through here, whether it comes from the API or from `changes()` (the
 * QuickBooks UI). Each change bumps SyncToken and LastUpdatedTime (so CDC sees it) and emits a ChangeEvent
 * (turned into webhooks). Validation failures throw the FaultError QuickBooks would answer with.
 */
import { randomBytes } from 'node:crypto';
import {
  businessValidation,
  invalidReference,
  invalidValue,
  objectNotFound,
  staleObject,
} from '../faults.js';
import { addDays, isoDate, toSecond } from '../time.js';
import type { BillAddrInput, EntityName } from '../types.js';
import type {
  AttachableRecord,
  Company,
  CustomerRecord,
  InvoiceRecord,
  LineRecord,
  PaymentRecord,
} from './company.js';
import { checkAmount, checkDate, checkEmail, checkLength, required } from './validate.js';

export type ChangeOperation = 'Create' | 'Update' | 'Delete' | 'Void';

export interface ChangeEvent {
  realmId: string;
  entity: EntityName;
  id: string;
  operation: ChangeOperation;
  at: number;
}

export interface CustomerFields {
  displayName?: string;
  companyName?: string;
  givenName?: string;
  familyName?: string;
  email?: string | null;
  phone?: string;
  currency?: string;
  notes?: string;
  active?: boolean;
  /** On an update, null clears the address. */
  billAddr?: BillAddrInput | null;
}

export interface InvoiceFields {
  customerId: string;
  lines: LineRecord[];
  dueDate?: string;
  txnDate?: string;
  currency?: string;
  billEmail?: string | null;
  docNumber?: string;
  privateNote?: string;
  customerMemo?: string;
}

export type InvoicePatch = Partial<Omit<InvoiceFields, 'customerId' | 'currency'>> & { emailStatus?: string };

type Versioned = { id: string; syncToken: number; createdAt: number; updatedAt: number };

export class Ledger {
  constructor(
    readonly company: Company,
    private readonly clock: () => number,
    private readonly onChange: (event: ChangeEvent) => void,
  ) {}

  now(): number {
    return toSecond(this.clock());
  }

  today(): string {
    return isoDate(this.clock());
  }

  /** Fills the version fields of a new record and announces it. */
  created<T extends Versioned>(entity: EntityName, record: Omit<T, keyof Versioned>, id?: string): T {
    const at = this.now();
    const full = {
      ...record,
      id: id ?? this.company.nextId(entity),
      syncToken: 0,
      createdAt: at,
      updatedAt: at,
    } as T;
    this.emit(entity, full.id, 'Create', at);
    return full;
  }

  touch(entity: EntityName, record: Versioned, operation: ChangeOperation = 'Update'): void {
    record.syncToken += 1;
    record.updatedAt = Math.max(this.now(), record.updatedAt);
    this.emit(entity, record.id, operation, record.updatedAt);
  }

  emit(entity: EntityName, id: string, operation: ChangeOperation, at: number): void {
    this.onChange({ realmId: this.company.realmId, entity, id, operation, at });
  }

  checkSyncToken(record: Versioned, syncToken: unknown): void {
    if (syncToken === undefined) return;
    if (String(syncToken) !== String(record.syncToken)) throw staleObject();
  }

  customer(id: string, element = 'CustomerRef'): CustomerRecord {
    const customer = this.company.customers.get(id);
    if (!customer) throw invalidReference(element, id);
    return customer;
  }

  invoice(id: string): InvoiceRecord {
    const invoice = this.company.invoices.get(id);
    if (!invoice) throw objectNotFound('Invoice', id);
    return invoice;
  }

  // Customers

  createCustomer(fields: CustomerFields): CustomerRecord {
    const displayName = required('DisplayName', fields.displayName);
    checkLength('DisplayName', displayName);
    checkEmail('PrimaryEmailAddr', fields.email);
    checkLength('Notes', fields.notes);
    for (const other of this.company.customers.values()) {
      if (other.displayName.toLowerCase() === displayName.toLowerCase()) {
        throw invalidValue(
          'DisplayName',
          `Duplicate Name Exists Error: The name supplied already exists. : ${displayName}`,
        );
      }
    }
    const record = this.created<CustomerRecord>('Customer', {
      displayName,
      email: fields.email ?? null,
      currency: fields.currency ?? this.company.info.homeCurrency,
      active: fields.active ?? true,
      ...definedOnly({
        companyName: fields.companyName,
        givenName: fields.givenName,
        familyName: fields.familyName,
        phone: fields.phone,
        notes: fields.notes,
        billAddr: fields.billAddr ?? undefined,
      }),
    });
    this.company.customers.set(record.id, record);
    return record;
  }

  updateCustomer(id: string, patch: CustomerFields, syncToken?: unknown): CustomerRecord {
    const customer = this.company.customers.get(id);
    if (!customer) throw objectNotFound('Customer', id);
    this.checkSyncToken(customer, syncToken);
    checkLength('DisplayName', patch.displayName);
    checkEmail('PrimaryEmailAddr', patch.email);
    checkLength('Notes', patch.notes);
    if (patch.currency !== undefined && patch.currency !== customer.currency) {
      throw businessValidation('You cannot change the currency of a customer.');
    }
    const { currency: _currency, billAddr, ...rest } = patch;
    Object.assign(customer, definedOnly(rest));
    if (patch.email === null) customer.email = null;
    if (billAddr === null) delete customer.billAddr;
    else if (billAddr !== undefined) customer.billAddr = { ...billAddr };
    this.touch('Customer', customer);
    return customer;
  }

  // Invoices

  createInvoice(fields: InvoiceFields): InvoiceRecord {
    const customer = this.customer(fields.customerId);
    if (!customer.active) throw businessValidation(`Customer ${customer.id} is inactive.`);
    const currency = fields.currency ?? customer.currency;
    if (currency !== customer.currency) {
      throw businessValidation(
        `The currency ${currency} does not match the customer currency ${customer.currency}.`,
      );
    }
    const lines = checkedLines(fields.lines);
    const billEmail = fields.billEmail === undefined ? customer.email : fields.billEmail;
    checkInvoiceStrings({ ...fields, billEmail });
    const txnDate = fields.txnDate ?? this.today();
    const total = sum(lines);
    const docNumber = fields.docNumber ?? this.company.nextDocNumber();
    this.company.claimDocNumber(docNumber);
    const record = this.created<InvoiceRecord>('Invoice', {
      docNumber,
      txnDate,
      dueDate: fields.dueDate ?? addDays(txnDate, 30),
      customerId: customer.id,
      currency,
      lines,
      total,
      balance: total,
      billEmail,
      emailStatus: 'NotSet',
      voided: false,
      paymentIds: [],
      linkToken: randomBytes(12).toString('hex'),
      ...definedOnly({ privateNote: fields.privateNote, customerMemo: fields.customerMemo }),
    });
    this.company.invoices.set(record.id, record);
    return record;
  }

  updateInvoice(id: string, patch: InvoicePatch, syncToken?: unknown): InvoiceRecord {
    const invoice = this.invoice(id);
    this.checkSyncToken(invoice, syncToken);
    checkInvoiceStrings(patch);
    if (patch.lines !== undefined && !sameLines(invoice.lines, patch.lines)) {
      if (invoice.voided) throw businessValidation('A voided invoice cannot be changed.');
      const lines = checkedLines(patch.lines);
      const total = sum(lines);
      const paid = invoice.total - invoice.balance;
      if (total < paid) {
        throw businessValidation(`The invoice total ${total} would be below the ${paid} already paid.`);
      }
      invoice.lines = lines;
      invoice.total = total;
      invoice.balance = total - paid;
    }
    const { lines: _lines, ...rest } = patch;
    Object.assign(invoice, definedOnly(rest));
    if (patch.billEmail === null) invoice.billEmail = null;
    this.touch('Invoice', invoice);
    return invoice;
  }

  /** QuickBooks keeps a voided invoice with zero amounts and notes "Voided" in PrivateNote. */
  voidInvoice(id: string, syncToken?: unknown): InvoiceRecord {
    const invoice = this.invoice(id);
    this.checkSyncToken(invoice, syncToken);
    if (invoice.voided) return invoice;
    this.detachPayments(invoice);
    invoice.voided = true;
    invoice.lines = invoice.lines.map((line) => ({ ...line, amount: 0 }));
    invoice.total = 0;
    invoice.balance = 0;
    invoice.privateNote = invoice.privateNote ? `Voided - ${invoice.privateNote}` : 'Voided';
    this.touch('Invoice', invoice, 'Void');
    return invoice;
  }

  deleteInvoice(id: string, syncToken?: unknown): InvoiceRecord {
    const invoice = this.invoice(id);
    this.checkSyncToken(invoice, syncToken);
    this.detachPayments(invoice);
    this.company.invoices.delete(id);
    const at = this.now();
    this.company.tombstones.push({ entity: 'Invoice', id, deletedAt: at });
    this.emit('Invoice', id, 'Delete', at);
    return invoice;
  }

  /**
   * Removes a credit memo none of whose credit is used (QuickBooks asks for the payment that applies
   * one to be changed first: refused here as a business rule).
   */
  deleteCreditMemo(id: string, syncToken?: unknown): void {
    const memo = this.company.creditMemos.get(id);
    if (!memo) throw objectNotFound('CreditMemo', id);
    this.checkSyncToken(memo, syncToken);
    if (memo.remaining < memo.total)
      throw businessValidation(`Credit memo ${id} is applied to a transaction: remove the payment first.`);
    this.company.creditMemos.delete(id);
    const at = this.now();
    this.company.tombstones.push({ entity: 'CreditMemo', id, deletedAt: at });
    this.emit('CreditMemo', id, 'Delete', at);
  }

  /** Payments applied to a removed invoice stay, as unapplied money; credit they used goes back to the memos. */
  private detachPayments(invoice: InvoiceRecord): void {
    for (const paymentId of invoice.paymentIds) {
      const payment = this.company.payments.get(paymentId);
      if (payment) this.releaseInvoiceFromPayment(payment, invoice.id);
    }
    invoice.paymentIds = [];
  }

  private releaseInvoiceFromPayment(payment: PaymentRecord, invoiceId: string): void {
    const isThis = (l: PaymentRecord['lines'][number]) => l.txnType === 'Invoice' && l.txnId === invoiceId;
    let freed = sum(payment.lines.filter(isThis));
    payment.lines = payment.lines.filter((line) => !isThis(line));
    for (const line of [...payment.lines].reverse()) {
      if (freed <= 0 || line.txnType !== 'CreditMemo') continue;
      const back = Math.min(freed, line.amount);
      line.amount -= back;
      freed -= back;
      const memo = this.company.creditMemos.get(line.txnId);
      if (memo) {
        memo.remaining += back;
        this.touch('CreditMemo', memo);
      }
    }
    payment.lines = payment.lines.filter((line) => line.amount > 0);
    const applied = sum(payment.lines.filter((l) => l.txnType === 'Invoice'));
    const credits = sum(payment.lines.filter((l) => l.txnType === 'CreditMemo'));
    payment.unapplied = payment.total + credits - applied;
    this.touch('Payment', payment);
  }

  // Attachables

  createAttachable(fields: {
    note?: string;
    fileName?: string;
    refs: { type: string; value: string }[];
  }): AttachableRecord {
    checkLength('Note', fields.note);
    if (fields.note === undefined && fields.fileName === undefined) required('Note', fields.note);
    for (const ref of fields.refs) {
      if (!this.exists(ref.type, ref.value))
        throw invalidReference('AttachableRef.EntityRef', `${ref.type} ${ref.value}`);
    }
    const record = this.created<AttachableRecord>('Attachable', {
      refs: fields.refs,
      ...definedOnly({ note: fields.note, fileName: fields.fileName }),
    });
    this.company.attachables.set(record.id, record);
    return record;
  }

  private exists(type: string, id: string): boolean {
    switch (type) {
      case 'Invoice':
        return this.company.invoices.has(id);
      case 'Customer':
        return this.company.customers.has(id);
      case 'Payment':
        return this.company.payments.has(id);
      case 'CreditMemo':
        return this.company.creditMemos.has(id);
      default:
        return false;
    }
  }
}

export function sum(items: readonly { amount: number }[]): number {
  return items.reduce((total, item) => total + item.amount, 0);
}

function sameLines(a: LineRecord[], b: LineRecord[]): boolean {
  return a.length === b.length && a.every((line, i) => line.amount === b[i]?.amount);
}

function checkedLines(lines: LineRecord[]): LineRecord[] {
  if (lines.length === 0) required('Line', undefined);
  for (const line of lines) {
    checkAmount('Line.Amount', line.amount);
    if (line.amount < 0) throw businessValidation('Line amounts must not be negative.');
  }
  return lines.map((line) => ({ ...line }));
}

function checkInvoiceStrings(fields: {
  docNumber?: string;
  privateNote?: string;
  customerMemo?: string;
  billEmail?: string | null;
  dueDate?: string;
  txnDate?: string;
}): void {
  checkLength('DocNumber', fields.docNumber);
  checkLength('PrivateNote', fields.privateNote);
  checkLength('CustomerMemo', fields.customerMemo);
  checkLength('BillEmail.Address', fields.billEmail);
  checkEmail('BillEmail.Address', fields.billEmail);
  checkDate('DueDate', fields.dueDate);
  checkDate('TxnDate', fields.txnDate);
}

/** Drops undefined keys so Object.assign and spreads never write `undefined` (exactOptional-friendly). */
export function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, v] of Object.entries(value))
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  return out;
}
