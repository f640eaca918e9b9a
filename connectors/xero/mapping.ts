import type { Address, Contact, CreditNote, Invoice, Overpayment, Payment, Prepayment } from 'xero-node';
import { isCurrencyCode, toMinorUnits } from '../../src/domain/money.js';
import { type PostalAddress, postalAddressOf } from '../../src/domain/postal-address.js';
import type { LedgerContact, LedgerCredit, LedgerCustomer, LedgerInvoice, LedgerPayment } from '../ledger.js';
import { countryCode } from '../shared/country.js';

const emailPattern = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** xero-node turns Xero's `/Date(ms+0000)/` into Date objects (even where its types say string). */
export function isoDate(value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') {
    const ms = /^\/Date\((-?\d+)/.exec(value)?.[1];
    if (ms) return new Date(Number(ms)).toISOString().slice(0, 10);
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  }
  return null;
}

export function isoTimestamp(value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (typeof value === 'string') {
    const ms = /^\/Date\((-?\d+)/.exec(value)?.[1];
    if (ms) return new Date(Number(ms)).toISOString();
  }
  return null;
}

function currencyOf(code: unknown, fallback: string): string {
  const upper = typeof code === 'string' ? code.toUpperCase() : '';
  return isCurrencyCode(upper) ? upper : fallback;
}

/** AUTHORISED and PAID/VOIDED invoices map to the mirror; drafts are not owed yet, DELETED is a deletion. */
export function isOwedKind(invoice: Invoice): boolean {
  return (
    String(invoice.type) === 'ACCREC' && ['AUTHORISED', 'PAID', 'VOIDED'].includes(String(invoice.status))
  );
}

export function isDeletedInvoice(invoice: Invoice): boolean {
  return String(invoice.status) === 'DELETED';
}

export function toLedgerInvoice(invoice: Invoice, homeCurrency: string): LedgerInvoice {
  const currency = currencyOf(invoice.currencyCode, homeCurrency);
  const status = String(invoice.status);
  // A voided invoice keeps the AmountDue it had when it was voided: nothing is owed on it.
  const balanceMinor = status === 'VOIDED' ? 0 : toMinorUnits(invoice.amountDue ?? 0, currency);
  return {
    externalId: invoice.invoiceID ?? '',
    customerExternalId: invoice.contact?.contactID ?? '',
    number: invoice.invoiceNumber ?? null,
    currency,
    totalMinor: toMinorUnits(invoice.total ?? 0, currency),
    balanceMinor,
    issueDate: isoDate(invoice.date),
    // Xero has no OVERDUE status: overdue is computed from the due date and the amount due.
    dueDate: isoDate(invoice.dueDate) ?? isoDate(invoice.date) ?? '',
    status: status === 'VOIDED' ? 'voided' : status === 'AUTHORISED' && balanceMinor > 0 ? 'open' : 'paid',
    version: isoTimestamp(invoice.updatedDateUTC),
    paymentUrl: null,
    billEmail: null,
    updatedAt: isoTimestamp(invoice.updatedDateUTC),
  };
}

/** The country of the contact's postal (POBOX) address, else of its street address. */
export function contactCountry(contact: Contact): string | null {
  for (const type of ['POBOX', 'STREET']) {
    for (const address of contact.addresses ?? []) {
      if (String(address.addressType) !== type) continue;
      const code = countryCode(address.country);
      if (code) return code;
    }
  }
  return null;
}

function postalAddressOfXero(address: Address): PostalAddress | null {
  const country = typeof address.country === 'string' ? address.country : null;
  return postalAddressOf({
    lines: [address.addressLine1, address.addressLine2, address.addressLine3, address.addressLine4],
    city: address.city,
    region: address.region,
    postalCode: address.postalCode,
    country,
    countryCode: countryCode(country),
  });
}

/**
 * Where letters go: the contact's postal (POBOX) address, else its street address. Xero always lists
 * both types, empty ones included, so an empty postal address falls back to the street one.
 */
export function contactPostalAddress(contact: Contact): PostalAddress | null {
  for (const type of ['POBOX', 'STREET']) {
    for (const address of contact.addresses ?? []) {
      if (!address || String(address.addressType) !== type) continue;
      const found = postalAddressOfXero(address);
      if (found) return found;
    }
  }
  return null;
}

export function toLedgerCustomer(contact: Contact): LedgerCustomer {
  const contacts: LedgerContact[] = [];
  const primaryName = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || null;
  if (contact.emailAddress && emailPattern.test(contact.emailAddress.trim())) {
    contacts.push({ name: primaryName, email: contact.emailAddress.trim(), role: 'billing' });
  }
  for (const person of contact.contactPersons ?? []) {
    const email = person.emailAddress?.trim();
    if (
      !email ||
      !emailPattern.test(email) ||
      contacts.some((known) => known.email.toLowerCase() === email.toLowerCase())
    ) {
      continue;
    }
    contacts.push({
      name: [person.firstName, person.lastName].filter(Boolean).join(' ') || null,
      email,
      // People the organisation includes on emails get reminders; the others are kept for escalation.
      role: person.includeInEmails ? 'billing' : 'other',
    });
  }
  const currency = contact.defaultCurrency ? String(contact.defaultCurrency).toUpperCase() : null;
  return {
    externalId: contact.contactID ?? '',
    name: contact.name || primaryName || `Contact ${contact.contactID ?? ''}`,
    active: String(contact.contactStatus ?? 'ACTIVE') === 'ACTIVE',
    currency: currency && isCurrencyCode(currency) ? currency : null,
    contacts,
    country: contactCountry(contact),
    postalAddress: contactPostalAddress(contact),
    updatedAt: isoTimestamp(contact.updatedDateUTC),
  };
}

export function toLedgerPayment(payment: Payment, homeCurrency: string): LedgerPayment {
  const currency = currencyOf(payment.invoice?.currencyCode, homeCurrency);
  const amountMinor = toMinorUnits(payment.amount ?? 0, currency);
  return {
    externalId: payment.paymentID ?? '',
    customerExternalId: payment.invoice?.contact?.contactID ?? null,
    amount: { amountMinor, currency },
    paidOn: isoDate(payment.date) ?? '',
    allocations: payment.invoice?.invoiceID
      ? [{ invoiceExternalId: payment.invoice.invoiceID, amountMinor }]
      : [],
  };
}

/** Payments listed inside an invoice (Xero includes them), as mirror payments of that invoice. */
export function paymentsOfInvoice(invoice: Invoice, homeCurrency: string): LedgerPayment[] {
  const currency = currencyOf(invoice.currencyCode, homeCurrency);
  return (invoice.payments ?? []).flatMap((payment) => {
    if (!payment.paymentID) return [];
    const amountMinor = toMinorUnits(payment.amount ?? 0, currency);
    return [
      {
        externalId: payment.paymentID,
        customerExternalId: invoice.contact?.contactID ?? null,
        amount: { amountMinor, currency },
        paidOn: isoDate(payment.date) ?? '',
        allocations: [{ invoiceExternalId: invoice.invoiceID ?? '', amountMinor }],
      },
    ];
  });
}

/** The credit types that are a customer's: sales credit notes, received overpayments and prepayments. */
export const creditTypes = {
  credit_note: 'ACCRECCREDIT',
  overpayment: 'RECEIVE-OVERPAYMENT',
  prepayment: 'RECEIVE-PREPAYMENT',
} as const;

type XeroCredit = CreditNote | Overpayment | Prepayment;
type XeroCreditKind = keyof typeof creditTypes;

/** Whether a credit note, overpayment or prepayment is a customer's (not a supplier's). */
export function isCustomerCredit(kind: XeroCreditKind, credit: XeroCredit): boolean {
  return String(credit.type) === creditTypes[kind];
}

/**
 * A customer's credit note, overpayment or prepayment as credit: only an AUTHORISED one has credit
 * left to use; PAID (used up), VOIDED and DELETED ones count as zero.
 */
export function toLedgerCredit(kind: XeroCreditKind, credit: XeroCredit, homeCurrency: string): LedgerCredit {
  const currency = currencyOf(credit.currencyCode, homeCurrency);
  const remaining =
    String(credit.status) === 'AUTHORISED' ? toMinorUnits(credit.remainingCredit ?? 0, currency) : 0;
  const id =
    kind === 'credit_note'
      ? (credit as CreditNote).creditNoteID
      : kind === 'overpayment'
        ? (credit as Overpayment).overpaymentID
        : (credit as Prepayment).prepaymentID;
  const number =
    kind === 'credit_note'
      ? (credit as CreditNote).creditNoteNumber
      : kind === 'prepayment'
        ? (credit as Prepayment).invoiceNumber || credit.reference
        : credit.reference;
  return {
    externalId: id ?? '',
    customerExternalId: credit.contact?.contactID ?? '',
    kind,
    number: number || null,
    currency,
    remainingMinor: Math.max(0, remaining),
    issueDate: isoDate(credit.date),
    updatedAt: isoTimestamp(credit.updatedDateUTC),
  };
}
