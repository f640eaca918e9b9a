// What an organisation is seeded with: users, contacts, invoices, payments, credits, accounts.
import type { MinorUnits } from './types.js';

export interface UserSeed {
  email: string;
  firstName: string;
  lastName: string;
}

export interface ContactPersonSeed {
  firstName: string;
  lastName: string;
  emailAddress: string;
  /** Whether Xero copies this person on invoice emails (default false). */
  includeInEmails?: boolean;
}

export type ContactStatus = 'ACTIVE' | 'ARCHIVED';

/** One of a contact's two addresses (Xero: POBOX is the postal one, STREET the physical one). */
export interface AddressSeed {
  addressType: 'POBOX' | 'STREET';
  addressLine1?: string;
  addressLine2?: string;
  addressLine3?: string;
  addressLine4?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  /** Free text, as Xero keeps it ("New Zealand", "NZ"). */
  country?: string;
}

export interface ContactSeed {
  /** ContactID (a uuid); generated when omitted. */
  id?: string;
  name: string;
  firstName?: string;
  lastName?: string;
  /** Primary email; null or omitted = none. */
  emailAddress?: string | null;
  contactPersons?: ContactPersonSeed[];
  /** Default ACTIVE. */
  contactStatus?: ContactStatus;
  /** Only set when the contact trades in a currency other than the base one. */
  defaultCurrency?: string;
  /** Postal and street addresses; those not given are rendered empty, as Xero does. */
  addresses?: AddressSeed[];
}

export type InvoiceStatus = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';

export interface InvoiceLineInput {
  amount: MinorUnits;
  description?: string;
  /** Default "200" (Sales in Xero's default chart of accounts). */
  accountCode?: string;
}

export interface InvoiceSeed {
  /** InvoiceID (a uuid); generated when omitted. */
  id?: string;
  /** The contact's id, or its name. */
  contactId: string;
  /** Default INV-0001, INV-0002, … */
  invoiceNumber?: string;
  reference?: string;
  /** Default: 30 days before the due date, never in the future. */
  date?: string;
  dueDate: string;
  /** Total as one line; or give `lines`. */
  total?: MinorUnits;
  lines?: InvoiceLineInput[];
  /**
   * Final amount due. Default: 0 for PAID, otherwise the total less seeded payments and allocations. Any gap
   * left is filled with a payment, so the books stay consistent.
   */
  amountDue?: MinorUnits;
  /** Default AUTHORISED (PAID when amountDue is 0). PAID is reached through payments, never stored as given. */
  status?: InvoiceStatus;
  /** Defaults to the contact's default currency, else the base currency. */
  currency?: string;
  currencyRate?: number;
  sentToContact?: boolean;
}

export interface PaymentSeed {
  id?: string;
  invoiceId: string;
  amount: MinorUnits;
  date?: string;
  /** DELETED payments are listed but not applied. */
  status?: 'AUTHORISED' | 'DELETED';
  reference?: string;
}

export interface AllocationSeed {
  invoiceId: string;
  amount: MinorUnits;
  date?: string;
}

export interface CreditNoteSeed {
  id?: string;
  /** The contact's id, or its name. */
  contactId: string;
  creditNoteNumber?: string;
  total: MinorUnits;
  date?: string;
  currency?: string;
  /** Default AUTHORISED. */
  status?: 'DRAFT' | 'AUTHORISED';
  reference?: string;
  allocations?: AllocationSeed[];
}

/** Money a customer paid beyond what was owed (RECEIVE-OVERPAYMENT) or before it was (RECEIVE-PREPAYMENT). */
export interface ReceivedCreditSeed {
  id?: string;
  /** The contact's id, or its name. */
  contactId: string;
  total: MinorUnits;
  date?: string;
  currency?: string;
  /** Default AUTHORISED; a VOIDED one keeps no credit. */
  status?: 'AUTHORISED' | 'VOIDED';
  reference?: string;
  /** Credit already applied to invoices of the same contact. */
  allocations?: AllocationSeed[];
}

/** Xero's account types (xero_accounting.yaml, AccountType). */
export type AccountType =
  | 'BANK'
  | 'CURRENT'
  | 'CURRLIAB'
  | 'DEPRECIATN'
  | 'DIRECTCOSTS'
  | 'EQUITY'
  | 'EXPENSE'
  | 'FIXED'
  | 'INVENTORY'
  | 'LIABILITY'
  | 'NONCURRENT'
  | 'OTHERINCOME'
  | 'OVERHEADS'
  | 'PREPAYMENT'
  | 'REVENUE'
  | 'SALES'
  | 'TERMLIAB'
  | 'PAYG';

export interface AccountSeed {
  /** AccountID (a uuid); generated when omitted. */
  id?: string;
  /** Alphanumeric, at most 10 characters, unique in the chart (bank accounts may have none). */
  code?: string;
  /** At most 150 characters, unique in the chart. */
  name: string;
  type: AccountType;
  /** Default ACTIVE. */
  status?: 'ACTIVE' | 'ARCHIVED';
  description?: string;
  /** Default from the class: OUTPUT for revenue, INPUT for expenses, NONE otherwise. */
  taxType?: string;
  /** BANK accounts only. */
  bankAccountNumber?: string;
}

export interface OrganisationSeed {
  /** OrganisationID = tenant id (a uuid); generated when omitted. */
  tenantId?: string;
  name: string;
  legalName?: string;
  /** ISO 4217; default from the country (NZD for NZ, AUD for AU, GBP for GB, USD otherwise). */
  baseCurrency?: string;
  /** ISO 3166 alpha-2; default NZ. */
  countryCode?: string;
  /** Xero time zone name, e.g. NEWZEALANDSTANDARDTIME; default from the country. */
  timezone?: string;
  shortCode?: string;
  /** Online invoicing switched on (OnlineInvoice links); default true. */
  onlineInvoicing?: boolean;
  /** The Xero user who belongs to the organisation (created on first use of the email). */
  user: UserSeed;
  contacts: ContactSeed[];
  invoices?: InvoiceSeed[];
  payments?: PaymentSeed[];
  creditNotes?: CreditNoteSeed[];
  overpayments?: ReceivedCreditSeed[];
  prepayments?: ReceivedCreditSeed[];
  /** Accounts added to the small default chart every organisation starts with (Sales 200, …). */
  accounts?: AccountSeed[];
}
