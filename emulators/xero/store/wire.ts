/**
 * Renders the books as Xero's JSON (PascalCase, decimals, `/Date(…)/`), following the examples in Xero's OpenAPI
 * description (xero_accounting.yaml v16.1.0) and captured responses. Invoices come in three shapes, as Xero's:
 * - `full`: GET /Invoices/{id} and paged lists (`page=`): with LineItems;
 * - `list`: unpaged GET /Invoices: no LineItems (Xero: "an unpaged multi-invoice GET returns no line details");
 * - `summary`: summaryOnly=true: no LineItems, Payments, CreditNotes, Prepayments, Overpayments.
 */
import { decimalsOf, toWire } from '../money.js';
import { dateString, dateToMs, isoDate, msDate, updatedDateString } from '../time.js';
import {
  amountDue,
  type Contact,
  type Invoice,
  type Line,
  type Organisation,
  type Payment,
} from './model.js';

export type InvoiceShape = 'full' | 'list' | 'summary';
export type Json = Record<string, unknown>;

export function lineItems(lines: readonly Line[], currency: string): Json[] {
  return lines.map((line) => ({
    LineItemID: line.id,
    Description: line.description,
    Quantity: 1,
    UnitAmount: toWire(line.amount, currency),
    TaxType: 'NONE',
    TaxAmount: 0,
    LineAmount: toWire(line.amount, currency),
    AccountCode: line.accountCode,
    Tracking: [],
  }));
}

export function dateFields(prefix: '' | 'Due', date: string): Json {
  return { [`${prefix}DateString`]: dateString(date), [`${prefix}Date`]: msDate(dateToMs(date)) };
}

export function contactSummary(contact: Contact | undefined): Json {
  return {
    ContactID: contact?.id,
    Name: contact?.name ?? '',
    Addresses: [],
    Phones: [],
    ContactGroups: [],
    ContactPersons: [],
    HasValidationErrors: false,
  };
}

export function invoicePayments(org: Organisation, invoice: Invoice): Json[] {
  return invoice.paymentIds
    .map((id) => org.payments.get(id))
    .filter((p): p is Payment => p !== undefined && p.status === 'AUTHORISED')
    .map((p) => ({
      PaymentID: p.id,
      Date: msDate(dateToMs(p.date)),
      Amount: toWire(p.amount, invoice.currency),
      Reference: p.reference,
      CurrencyRate: invoice.currencyRate,
      HasAccount: false,
      HasValidationErrors: false,
    }));
}

export function invoiceCredits(org: Organisation, invoice: Invoice): Json[] {
  const applied = new Map<string, number>();
  for (const id of invoice.allocationIds) {
    const allocation = org.allocations.get(id);
    if (allocation)
      applied.set(allocation.creditNoteId, (applied.get(allocation.creditNoteId) ?? 0) + allocation.amount);
  }
  return [...applied].map(([creditNoteId, amount]) => {
    const creditNote = org.creditNotes.get(creditNoteId);
    return {
      CreditNoteID: creditNoteId,
      CreditNoteNumber: creditNote?.number ?? '',
      ID: creditNoteId,
      AppliedAmount: toWire(amount, invoice.currency),
      ...(creditNote ? dateFields('', creditNote.date) : {}),
      Total: creditNote ? toWire(creditNote.total, creditNote.currency) : 0,
      LineItems: [],
      HasErrors: false,
    };
  });
}

export function renderInvoice(org: Organisation, invoice: Invoice, shape: InvoiceShape = 'full'): Json {
  const c = invoice.currency;
  const related =
    shape === 'summary'
      ? {}
      : {
          Payments: invoicePayments(org, invoice),
          CreditNotes: invoiceCredits(org, invoice),
          Prepayments: [],
          Overpayments: [],
        };
  return {
    Type: 'ACCREC',
    InvoiceID: invoice.id,
    InvoiceNumber: invoice.number,
    Reference: invoice.reference,
    ...related,
    AmountDue: toWire(amountDue(invoice), c),
    AmountPaid: toWire(invoice.amountPaid, c),
    AmountCredited: toWire(invoice.amountCredited, c),
    SentToContact: invoice.sentToContact,
    CurrencyRate: invoice.currencyRate,
    IsDiscounted: false,
    ...(shape === 'summary' ? {} : { HasAttachments: false }),
    HasErrors: false,
    Contact: contactSummary(org.contacts.get(invoice.contactId)),
    ...dateFields('', invoice.date),
    ...dateFields('Due', invoice.dueDate),
    Status: invoice.status,
    LineAmountTypes: 'Exclusive',
    ...(shape === 'full' ? { LineItems: lineItems(invoice.lines, c) } : {}),
    SubTotal: toWire(invoice.total, c),
    TotalTax: 0,
    Total: toWire(invoice.total, c),
    UpdatedDateUTC: msDate(invoice.updatedAt),
    UpdatedDateUTCString: updatedDateString(invoice.updatedAt),
    CurrencyCode: c,
    ...(invoice.fullyPaidOn ? { FullyPaidOnDate: msDate(dateToMs(invoice.fullyPaidOn)) } : {}),
  };
}

export function balances(org: Organisation, contact: Contact, now: number): Json {
  const today = isoDate(now);
  let outstanding = 0;
  let overdue = 0;
  for (const invoice of org.invoices.values()) {
    if (invoice.contactId !== contact.id || invoice.status !== 'AUTHORISED') continue;
    const due = toWire(amountDue(invoice), invoice.currency) / invoice.currencyRate;
    outstanding += due;
    if (invoice.dueDate < today) overdue += due;
  }
  const round = (n: number) => Number(n.toFixed(decimalsOf(org.baseCurrency)));
  return {
    AccountsReceivable: { Outstanding: round(outstanding), Overdue: round(overdue) },
    AccountsPayable: { Outstanding: 0, Overdue: 0 },
  };
}

/** Both address types, always, as Xero lists them; the fields a contact has filled in are added. */
export function renderAddresses(contact: Contact): Json[] {
  return (['STREET', 'POBOX'] as const).map((type) => {
    const address = contact.addresses.find((candidate) => candidate.addressType === type);
    const json: Json = { AddressType: type };
    if (address?.addressLine1 !== undefined) json['AddressLine1'] = address.addressLine1;
    if (address?.addressLine2 !== undefined) json['AddressLine2'] = address.addressLine2;
    if (address?.addressLine3 !== undefined) json['AddressLine3'] = address.addressLine3;
    if (address?.addressLine4 !== undefined) json['AddressLine4'] = address.addressLine4;
    if (address?.city !== undefined) json['City'] = address.city;
    if (address?.region !== undefined) json['Region'] = address.region;
    if (address?.postalCode !== undefined) json['PostalCode'] = address.postalCode;
    if (address?.country !== undefined) json['Country'] = address.country;
    return json;
  });
}

export function renderContact(org: Organisation, contact: Contact, now: number, summaryOnly = false): Json {
  const isCustomer = [...org.invoices.values()].some((i) => i.contactId === contact.id);
  return {
    ContactID: contact.id,
    ContactStatus: contact.status,
    Name: contact.name,
    ...(contact.firstName !== undefined ? { FirstName: contact.firstName } : {}),
    ...(contact.lastName !== undefined ? { LastName: contact.lastName } : {}),
    ...(contact.email !== null ? { EmailAddress: contact.email } : {}),
    ContactPersons: contact.persons.map((p) => ({
      FirstName: p.firstName,
      LastName: p.lastName,
      EmailAddress: p.emailAddress,
      IncludeInEmails: p.includeInEmails,
    })),
    BankAccountDetails: '',
    Addresses: renderAddresses(contact),
    Phones: [{ PhoneType: 'DEFAULT' }, { PhoneType: 'DDI' }, { PhoneType: 'FAX' }, { PhoneType: 'MOBILE' }],
    UpdatedDateUTC: msDate(contact.updatedAt),
    ContactGroups: [],
    IsSupplier: false,
    IsCustomer: isCustomer,
    ...(contact.defaultCurrency !== undefined ? { DefaultCurrency: contact.defaultCurrency } : {}),
    ...(summaryOnly || !isCustomer ? {} : { Balances: balances(org, contact, now) }),
    HasAttachments: false,
    HasValidationErrors: false,
  };
}

export function renderPayment(org: Organisation, payment: Payment): Json {
  const invoice = org.invoices.get(payment.invoiceId);
  const currency = invoice?.currency ?? org.baseCurrency;
  return {
    PaymentID: payment.id,
    Date: msDate(dateToMs(payment.date)),
    BankAmount: toWire(payment.amount, currency),
    Amount: toWire(payment.amount, currency),
    Reference: payment.reference,
    CurrencyRate: invoice?.currencyRate ?? 1,
    PaymentType: 'ACCRECPAYMENT',
    Status: payment.status,
    UpdatedDateUTC: msDate(payment.updatedAt),
    UpdatedDateUTCString: updatedDateString(payment.updatedAt),
    HasAccount: true,
    IsReconciled: false,
    Account: { AccountID: '5690f1e8-1d02-4893-90c2-ee1a69eff942', Code: '090' },
    Invoice: invoice
      ? {
          Type: 'ACCREC',
          InvoiceID: invoice.id,
          InvoiceNumber: invoice.number,
          Payments: [],
          CreditNotes: [],
          Prepayments: [],
          Overpayments: [],
          HasErrors: false,
          IsDiscounted: false,
          Contact: contactSummary(org.contacts.get(invoice.contactId)),
          LineItems: [],
          CurrencyCode: invoice.currency,
        }
      : {},
    HasValidationErrors: false,
  };
}
