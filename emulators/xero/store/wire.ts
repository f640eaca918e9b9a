/**
 * Renders the books as Xero's JSON (PascalCase, decimals, `/Date(…)/`), following the examples in Xero's OpenAPI
 * description (xero_accounting.yaml v16.1.0) and captured responses. Invoices come in three shapes, as Xero's:
 * - `full`: GET /Invoices/{id} and paged lists (`page=`): with LineItems;
 * - `list`: unpaged GET /Invoices: no LineItems (Xero: "an unpaged multi-invoice GET returns no line details");
 * - `summary`: summaryOnly=true: no LineItems, Payments, CreditNotes, Prepayments, Overpayments.
 */
import { decimalsOf, toWire } from '../money.js';
import { dateString, dateToMs, isoDate, msDate, updatedDateString } from '../time.js';
import type { WireEntity } from '../types.js';
import {
  type Account,
  type Allocation,
  amountDue,
  type Contact,
  type CreditNote,
  type HistoryEntry,
  type Invoice,
  type Line,
  type Organisation,
  type Payment,
  type ReceivedCredit,
} from './model.js';

export type InvoiceShape = 'full' | 'list' | 'summary';
type Json = Record<string, unknown>;

const VERSION: Record<string, string> = { NZ: 'NZ', AU: 'AU', GB: 'UK', US: 'US' };

function lineItems(lines: readonly Line[], currency: string): Json[] {
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

function dateFields(prefix: '' | 'Due', date: string): Json {
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

function invoicePayments(org: Organisation, invoice: Invoice): Json[] {
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

function invoiceCredits(org: Organisation, invoice: Invoice): Json[] {
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

function balances(org: Organisation, contact: Contact, now: number): Json {
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
function renderAddresses(contact: Contact): Json[] {
  return (['STREET', 'POBOX'] as const).map((type) => {
    const address = contact.addresses.find((candidate) => candidate.addressType === type);
    const json: Json = { AddressType: type };
    if (address?.addressLine1 !== undefined) json['AddressLine1'] = address.addressLine1;
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

export function renderAllocation(org: Organisation, allocation: Allocation, withCreditNote: boolean): Json {
  const invoice = org.invoices.get(allocation.invoiceId);
  const creditNote = org.creditNotes.get(allocation.creditNoteId);
  return {
    AllocationID: allocation.id,
    Amount: toWire(allocation.amount, invoice?.currency ?? org.baseCurrency),
    Date: msDate(dateToMs(allocation.date)),
    Invoice: {
      InvoiceID: allocation.invoiceId,
      InvoiceNumber: invoice?.number ?? '',
      Payments: [],
      CreditNotes: [],
      Prepayments: [],
      Overpayments: [],
      HasErrors: false,
      IsDiscounted: false,
      LineItems: [],
    },
    ...(withCreditNote
      ? {
          CreditNote: {
            CreditNoteID: allocation.creditNoteId,
            CreditNoteNumber: creditNote?.number ?? '',
            ID: allocation.creditNoteId,
            LineItems: [],
          },
        }
      : {}),
    IsDeleted: false,
  };
}

export function renderCreditNote(org: Organisation, creditNote: CreditNote, withLines = true): Json {
  const c = creditNote.currency;
  return {
    CreditNoteID: creditNote.id,
    CreditNoteNumber: creditNote.number,
    Payments: [],
    ID: creditNote.id,
    CurrencyRate: creditNote.currencyRate,
    Type: 'ACCRECCREDIT',
    Reference: creditNote.reference,
    RemainingCredit: toWire(creditNote.remaining, c),
    Allocations: creditNote.allocationIds
      .map((id) => org.allocations.get(id))
      .filter((a): a is Allocation => a !== undefined)
      .map((a) => renderAllocation(org, a, false)),
    HasAttachments: false,
    Contact: contactSummary(org.contacts.get(creditNote.contactId)),
    ...dateFields('', creditNote.date),
    Status: creditNote.status,
    LineAmountTypes: 'Exclusive',
    ...(withLines ? { LineItems: lineItems(creditNote.lines, c) } : {}),
    SubTotal: toWire(creditNote.total, c),
    TotalTax: 0,
    Total: toWire(creditNote.total, c),
    UpdatedDateUTC: msDate(creditNote.updatedAt),
    UpdatedDateUTCString: updatedDateString(creditNote.updatedAt),
    CurrencyCode: c,
    ...(creditNote.fullyPaidOn ? { FullyPaidOnDate: msDate(dateToMs(creditNote.fullyPaidOn)) } : {}),
  };
}

/**
 * An overpayment or prepayment as GET /Overpayments and GET /Prepayments return it (xero_accounting.yaml
 * Overpayment, Prepayment): the credit left is RemainingCredit, the invoices it went to are Allocations.
 */
export function renderReceivedCredit(org: Organisation, credit: ReceivedCredit, withLines = true): Json {
  const c = credit.currency;
  const overpayment = credit.kind === 'overpayment';
  return {
    ...(overpayment ? { OverpaymentID: credit.id } : { PrepaymentID: credit.id }),
    ID: credit.id,
    Type: overpayment ? 'RECEIVE-OVERPAYMENT' : 'RECEIVE-PREPAYMENT',
    Contact: contactSummary(org.contacts.get(credit.contactId)),
    ...dateFields('', credit.date),
    Status: credit.status,
    LineAmountTypes: 'NoTax',
    ...(withLines ? { LineItems: lineItems(credit.lines, c) } : {}),
    SubTotal: toWire(credit.total, c),
    TotalTax: 0,
    Total: toWire(credit.total, c),
    UpdatedDateUTC: msDate(credit.updatedAt),
    UpdatedDateUTCString: updatedDateString(credit.updatedAt),
    CurrencyCode: c,
    CurrencyRate: credit.currencyRate,
    RemainingCredit: toWire(credit.remaining, c),
    Allocations: credit.allocations.map((allocation) => {
      const invoice = org.invoices.get(allocation.invoiceId);
      return {
        AllocationID: allocation.id,
        Amount: toWire(allocation.amount, c),
        Date: msDate(dateToMs(allocation.date)),
        Invoice: {
          InvoiceID: allocation.invoiceId,
          InvoiceNumber: invoice?.number ?? '',
          Payments: [],
          CreditNotes: [],
          Prepayments: [],
          Overpayments: [],
          HasErrors: false,
          IsDiscounted: false,
          LineItems: [],
        },
        IsDeleted: false,
      };
    }),
    Payments: [],
    HasAttachments: false,
    // Both kinds carry a Reference (xero_accounting.yaml's GET /Prepayments example: "Reference": "INV-0011").
    Reference: credit.reference,
  };
}

export function renderHistory(entry: HistoryEntry): Json {
  return {
    Changes: entry.changes,
    DateUTCString: new Date(entry.at).toISOString().slice(0, 19),
    DateUTC: msDate(entry.at),
    User: entry.user,
    Details: entry.details,
  };
}

/** Newest first, as in the example of GET /Invoices/{id}/History in Xero's OpenAPI description. */
export function renderHistoryList(org: Organisation, documentId: string): WireEntity[] {
  return [...(org.history.get(documentId) ?? [])].sort((a, b) => b.seq - a.seq).map(renderHistory);
}

const ACCOUNT_CLASS: Record<Account['type'], string> = {
  BANK: 'ASSET',
  CURRENT: 'ASSET',
  FIXED: 'ASSET',
  INVENTORY: 'ASSET',
  NONCURRENT: 'ASSET',
  PREPAYMENT: 'ASSET',
  CURRLIAB: 'LIABILITY',
  LIABILITY: 'LIABILITY',
  TERMLIAB: 'LIABILITY',
  PAYG: 'LIABILITY',
  EQUITY: 'EQUITY',
  DEPRECIATN: 'EXPENSE',
  DIRECTCOSTS: 'EXPENSE',
  EXPENSE: 'EXPENSE',
  OVERHEADS: 'EXPENSE',
  OTHERINCOME: 'REVENUE',
  REVENUE: 'REVENUE',
  SALES: 'REVENUE',
};

/** An element of GET /Accounts, shaped like the examples of xero_accounting.yaml. */
export function renderAccount(org: Organisation, account: Account): Json {
  const json: Json = {
    AccountID: account.id,
    ...(account.code !== null ? { Code: account.code } : {}),
    Name: account.name,
    Status: account.status,
    Type: account.type,
    TaxType: account.taxType,
    Class: ACCOUNT_CLASS[account.type],
    EnablePaymentsToAccount: false,
    ShowInExpenseClaims: ACCOUNT_CLASS[account.type] === 'EXPENSE',
    HasAttachments: false,
    UpdatedDateUTC: msDate(account.updatedAt),
    AddToWatchlist: false,
  };
  if (account.description !== undefined) json['Description'] = account.description;
  if (account.systemAccount !== undefined) json['SystemAccount'] = account.systemAccount;
  if (account.type === 'BANK') {
    Object.assign(json, {
      BankAccountNumber: account.bankAccountNumber ?? '',
      BankAccountType: 'BANK',
      CurrencyCode: org.baseCurrency,
    });
  }
  return json;
}

export function renderOrganisation(org: Organisation): Json {
  return {
    APIKey: org.tenantId.replace(/-/g, '').slice(0, 30).toUpperCase(),
    Name: org.name,
    LegalName: org.legalName,
    PaysTax: true,
    Version: VERSION[org.countryCode] ?? 'GLOBAL',
    OrganisationType: 'COMPANY',
    BaseCurrency: org.baseCurrency,
    CountryCode: org.countryCode,
    IsDemoCompany: false,
    OrganisationStatus: 'ACTIVE',
    FinancialYearEndDay: 31,
    FinancialYearEndMonth: 3,
    SalesTaxBasis: 'INVOICE',
    SalesTaxPeriod: 'TWOMONTHS',
    DefaultSalesTax: 'Tax Exclusive',
    DefaultPurchasesTax: 'Tax Exclusive',
    CreatedDateUTC: msDate(org.createdAt),
    OrganisationEntityType: 'COMPANY',
    Timezone: org.timezone,
    ShortCode: org.shortCode,
    OrganisationID: org.tenantId,
    Edition: 'BUSINESS',
    Class: 'PREMIUM',
    Addresses: [],
    Phones: [],
    ExternalLinks: [],
    PaymentTerms: {},
  };
}
