/** The in-memory books of one organisation. Amounts are integer minor units; dates are UTC `YYYY-MM-DD`. */
import type { AccountType, AddressSeed, ContactStatus, InvoiceStatus } from '../types.js';

export interface ContactPerson {
  firstName: string;
  lastName: string;
  emailAddress: string;
  includeInEmails: boolean;
}

export interface Contact {
  id: string;
  name: string;
  firstName?: string;
  lastName?: string;
  email: string | null;
  persons: ContactPerson[];
  status: ContactStatus;
  defaultCurrency?: string;
  addresses: AddressSeed[];
  updatedAt: number;
}

export interface Line {
  id: string;
  description: string;
  amount: number;
  accountCode: string;
}

export interface Invoice {
  id: string;
  number: string;
  contactId: string;
  status: InvoiceStatus;
  date: string;
  dueDate: string;
  currency: string;
  currencyRate: number;
  lines: Line[];
  total: number;
  amountPaid: number;
  amountCredited: number;
  reference: string;
  sentToContact: boolean;
  paymentIds: string[];
  allocationIds: string[];
  fullyPaidOn?: string;
  /** Secret part of the OnlineInvoiceUrl. */
  onlineToken: string;
  updatedAt: number;
}

export type CreditNoteStatus = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';

export interface CreditNote {
  id: string;
  number: string;
  contactId: string;
  status: CreditNoteStatus;
  date: string;
  currency: string;
  currencyRate: number;
  lines: Line[];
  total: number;
  remaining: number;
  reference: string;
  allocationIds: string[];
  fullyPaidOn?: string;
  updatedAt: number;
}

export interface Payment {
  id: string;
  invoiceId: string;
  amount: number;
  date: string;
  status: 'AUTHORISED' | 'DELETED';
  reference: string;
  updatedAt: number;
}

export type ReceivedCreditKind = 'overpayment' | 'prepayment';

/** An overpayment or prepayment a customer made: credit until allocated to invoices. */
export interface ReceivedCredit {
  id: string;
  kind: ReceivedCreditKind;
  contactId: string;
  status: 'AUTHORISED' | 'PAID' | 'VOIDED';
  date: string;
  currency: string;
  currencyRate: number;
  lines: Line[];
  total: number;
  remaining: number;
  reference: string;
  allocations: Array<{ id: string; invoiceId: string; amount: number; date: string }>;
  updatedAt: number;
}

export interface Allocation {
  id: string;
  creditNoteId: string;
  invoiceId: string;
  amount: number;
  date: string;
  createdAt: number;
}

/** One account of the chart of accounts. */
export interface Account {
  id: string;
  code: string | null;
  name: string;
  type: AccountType;
  status: 'ACTIVE' | 'ARCHIVED';
  description?: string;
  taxType: string;
  /** Set on the accounts Xero keeps for itself (DEBTORS, CREDITORS, GST, RETAINEDEARNINGS, …). */
  systemAccount?: string;
  bankAccountNumber?: string;
  updatedAt: number;
}

export interface HistoryEntry {
  seq: number;
  at: number;
  changes: string;
  details: string;
  user: string;
}

export interface RememberedWrite {
  fingerprint: string;
  status: number;
  contentType: string;
  body: string;
  at: number;
}

export interface Organisation {
  tenantId: string;
  name: string;
  legalName: string;
  baseCurrency: string;
  countryCode: string;
  timezone: string;
  shortCode: string;
  onlineInvoicing: boolean;
  createdAt: number;
  /** The seeding user's display name, used for history made through changes(). */
  userName: string;
  contacts: Map<string, Contact>;
  invoices: Map<string, Invoice>;
  payments: Map<string, Payment>;
  creditNotes: Map<string, CreditNote>;
  overpayments: Map<string, ReceivedCredit>;
  prepayments: Map<string, ReceivedCredit>;
  allocations: Map<string, Allocation>;
  /** The chart of accounts, by AccountID. */
  accounts: Map<string, Account>;
  history: Map<string, HistoryEntry[]>;
  /** Idempotency-Key → the first answer, per tenant. */
  idempotency: Map<string, RememberedWrite>;
  sequence: { invoice: number; creditNote: number; history: number };
}

export function amountDue(invoice: Invoice): number {
  return invoice.total - invoice.amountPaid - invoice.amountCredited;
}

export function sumLines(lines: readonly Line[]): number {
  return lines.reduce((sum, line) => sum + line.amount, 0);
}

/** Lower-cases ids so look-ups ignore the case clients send GUIDs in. */
export function normaliseId(id: string): string {
  return id.trim().toLowerCase();
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
