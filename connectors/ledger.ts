import type { Money } from '../src/domain/money.js';
import type { PostalAddress } from '../src/domain/postal-address.js';

export type { Vendor } from './vendors.js';

import type { Vendor } from './vendors.js';

/** OAuth tokens for one connection; refresh tokens rotate, so the newest must always be kept. */
export interface LedgerTokens {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: Date;
  /** When the refresh token stops working if unused (rolling), when the vendor says. */
  refreshTokenExpiresAt: Date | null;
}

/** A company (QuickBooks realm, Xero organisation) that a grant gives access to. */
export interface LedgerTenant {
  tenantId: string;
  name: string | null;
  /** The vendor's own id for this tenant within the grant (Xero's connection id), when it has one. */
  grantRef?: string;
}

/** Who consented, from the vendor's OpenID Connect identity. */
export interface LedgerIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
}

export interface LedgerContact {
  name: string | null;
  email: string;
  role: 'billing' | 'escalation' | 'other';
}

export interface LedgerCustomer {
  externalId: string;
  name: string;
  /** False when the customer was deleted, archived or made inactive in the ledger. */
  active: boolean;
  currency: string | null;
  contacts: LedgerContact[];
  /**
   * ISO 3166-1 alpha-2 country of the debtor's address, when the ledger names one we recognise; null
   * when it names none (both connectors always set it; left out, it is taken as null).
   */
  country?: string | null;
  /**
   * The debtor's postal address (QuickBooks: the billing address; Xero: the postal address, else the
   * street one), tidied; null when the ledger holds none (left out, it is taken as null).
   */
  postalAddress?: PostalAddress | null;
  /** ISO timestamp of the vendor's last change. */
  updatedAt: string | null;
}

export type LedgerInvoiceStatus = 'open' | 'paid' | 'voided';

export interface LedgerInvoice {
  externalId: string;
  customerExternalId: string;
  number: string | null;
  currency: string;
  totalMinor: number;
  /** What is still owed, in minor units of `currency`; zero or less means nothing is owed. */
  balanceMinor: number;
  issueDate: string | null;
  dueDate: string;
  status: LedgerInvoiceStatus;
  /** The version a write must name (QuickBooks SyncToken, Xero UpdatedDateUTC). */
  version: string | null;
  paymentUrl: string | null;
  billEmail: string | null;
  updatedAt: string | null;
}

export interface LedgerPayment {
  externalId: string;
  customerExternalId: string | null;
  amount: Money;
  paidOn: string;
  allocations: Array<{ invoiceExternalId: string; amountMinor: number }>;
}

/**
 * What a debtor holds as credit: QuickBooks credit memos and unapplied payments, Xero credit notes,
 * overpayments and prepayments.
 */
export type LedgerCreditKind = 'credit_note' | 'unapplied_payment' | 'overpayment' | 'prepayment';

/** Credit a debtor may still use against what they owe; `remainingMinor` is zero once used up or voided. */
export interface LedgerCredit {
  externalId: string;
  customerExternalId: string;
  kind: LedgerCreditKind;
  number: string | null;
  currency: string;
  /** What is left to apply, in minor units of `currency`; zero once used up, voided or deleted. */
  remainingMinor: number;
  issueDate: string | null;
  updatedAt: string | null;
}

/** A credit by its identity: ids are only unique within a kind (QuickBooks numbers each entity apart). */
export interface LedgerCreditRef {
  kind: LedgerCreditKind;
  externalId: string;
}

/** One page of a list; pass `next` back to get the following page, until it is null. */
export interface LedgerPage<Item> {
  items: Item[];
  next: string | null;
}

/**
 * A page of payments. Where a vendor's payments also hold credit (QuickBooks keeps a payment's
 * unapplied part on the payment), the page lists it too, from every payment read whatever its date,
 * and that vendor's `listCredits` leaves it out: one read of the payments serves both.
 */
export interface PaymentsPage extends LedgerPage<LedgerPayment> {
  credits?: LedgerCredit[];
}

/** What changed since a cursor: changed records in full, deleted ones by id. */
export interface LedgerChanges {
  invoices: LedgerInvoice[];
  customers: LedgerCustomer[];
  payments: LedgerPayment[];
  /** Credits that changed, used-up ones (remaining zero) included. */
  credits: LedgerCredit[];
  deleted: { invoices: string[]; customers: string[]; payments: string[]; credits: LedgerCreditRef[] };
  /**
   * Invoices whose payments above are the complete list (Xero lists them inside the invoice): any
   * other payment the mirror holds for them was deleted in the ledger.
   */
  paymentsCompleteFor?: string[];
  /** Where the next call resumes. */
  cursor: string;
}

/** A verified webhook, reduced to what to re-read: which tenant, which kind of record, which id. */
export interface LedgerEvent {
  eventId: string;
  tenantId: string;
  entity: 'invoice' | 'customer' | 'payment' | 'credit' | 'other';
  entityId: string;
  operation: 'created' | 'updated' | 'deleted' | 'voided' | 'other';
  occurredAt: string | null;
}

/**
 * A signed body read into events. Events that cannot be read are skipped one by one, never the
 * batch: vendors retry a refused batch whole, so its good events would be refused again and again.
 */
export type WebhookParse =
  | { ok: true; events: LedgerEvent[]; skipped: WebhookSkips }
  | { ok: false; reason: 'signature' | 'malformed'; detail: string };

/** How many events of a batch could not be read, and why the first one could not. */
export interface WebhookSkips {
  count: number;
  firstReason: string | null;
}

/** The account or item a credit (write-off, settlement discount) is booked against. */
export interface CreditTarget {
  /** QuickBooks item id / Xero account code chosen by the organisation in settings. */
  ref: string;
  description: string;
}

/** Connectors list at most this many credit targets: a list that long was probably cut short. */
export const creditTargetLimit = 5000;

/** An item (QuickBooks) or account (Xero) a credit can be booked against, for a person to choose from. */
export interface CreditTargetOption {
  /** What `CreditTarget.ref` takes: the QuickBooks item id or the Xero account code. */
  ref: string;
  /** The ledger's own name for it (a QuickBooks sub-item's full "Parent:Child" name). */
  name: string;
  /** The vendor's kind: QuickBooks item type (Service, NonInventory), Xero account type (EXPENSE, REVENUE, …). */
  kind: string;
}

/**
 * One connection's way to reach the vendor, provided by the shared connection layer: `call` runs a
 * request with a valid access token, inside the connection's rate limits, retrying 429s and an
 * expired token once; vendor faults reach the caller as LedgerError.
 */
export interface ConnectionHandle {
  tenantId: string;
  /** The organisation's home currency, for records that do not name one. */
  homeCurrency: string;
  call<Result>(kind: 'read' | 'write', request: (accessToken: string) => Promise<Result>): Promise<Result>;
}

/** A vendor's rate limits for one tenant; the connection layer stays inside them. */
export interface VendorLimits {
  perMinute: number;
  concurrent: number;
  perDay?: number;
}

/** How the connection layer should treat a failed vendor call. */
export interface VendorFailure {
  /** HTTP status, or 0 for a network failure. */
  status: number;
  /** Seconds the vendor asked us to wait (Retry-After). */
  retryAfterSeconds: number | null;
  code: LedgerErrorCode;
  /** The vendor's own words, for logs (never tokens). */
  detail: string;
}

export type LedgerErrorCode =
  | 'reauth_required'
  | 'rate_limited'
  | 'stale_version'
  | 'not_found'
  | 'rejected'
  | 'not_allowed'
  | 'unavailable'
  | 'unexpected';

export interface LedgerConnector {
  readonly vendor: Vendor;
  readonly limits: VendorLimits;
  /** How many invoice ids one `fetchInvoices` call to the vendor carries (a longer list takes more). */
  readonly invoicesPerFetch: number;

  /** Builds the URL that sends a person to the vendor's consent screen. */
  consentUrl(request: { state: string; redirectUri: string; codeChallenge?: string }): string;
  /** Exchanges the consent callback for tokens, the tenants granted, and who consented. */
  exchangeCallback(request: { callbackUrl: string; redirectUri: string; codeVerifier?: string }): Promise<{
    tokens: LedgerTokens;
    tenants: LedgerTenant[];
    identity: LedgerIdentity | null;
  }>;
  /** Builds the URL of the vendor's "Sign in with" screen: identity scopes only, no company access. */
  signInUrl(request: { state: string; redirectUri: string; codeChallenge?: string }): string;
  /** Exchanges a sign-in callback for who signed in; the short-lived tokens are dropped. */
  identify(request: {
    callbackUrl: string;
    redirectUri: string;
    codeVerifier?: string;
  }): Promise<LedgerIdentity>;
  /** Trades a refresh token for new tokens; the connection layer calls it under a per-connection lock. */
  refreshTokens(refreshToken: string): Promise<LedgerTokens>;
  /** Revokes the grant at the vendor, so the tokens stop working. */
  revoke(tokens: LedgerTokens): Promise<void>;
  /** Removes from a grant the tenants the person did not choose (Xero: one grant may cover several organisations). */
  releaseTenants?(tokens: LedgerTokens, tenants: LedgerTenant[]): Promise<void>;
  /** Reads the tenant's name, home currency and country (for a new organisation). */
  describeTenant(connection: ConnectionHandle): Promise<TenantDescription>;
  /** Turns a failed vendor call into a decision for the connection layer. */
  classifyFailure(error: unknown): VendorFailure;

  /** Lists invoices that still have a balance, a page at a time. */
  listOpenInvoices(connection: ConnectionHandle, page: string | null): Promise<LedgerPage<LedgerInvoice>>;
  /** Lists customers with their contacts, a page at a time. */
  listCustomers(connection: ConnectionHandle, page: string | null): Promise<LedgerPage<LedgerCustomer>>;
  /** Lists payments received on or after `since` (an ISO date), a page at a time. */
  listPayments(connection: ConnectionHandle, since: string, page: string | null): Promise<PaymentsPage>;
  /**
   * Lists the credits debtors still have to use (remaining above zero), a page at a time, but for
   * those `listPayments` lists with the payments.
   */
  listCredits(connection: ConnectionHandle, page: string | null): Promise<LedgerPage<LedgerCredit>>;
  /** Starts a change cursor at `since` (an ISO timestamp) without fetching anything. */
  cursorAt(since: Date): string;
  /** Returns what changed since `cursor`, or null when the cursor is too old and a full sync is needed. */
  changesSince(connection: ConnectionHandle, cursor: string): Promise<LedgerChanges | null>;
  /** Re-reads invoices by id (e.g. to confirm a balance just before a reminder goes out). */
  fetchInvoices(connection: ConnectionHandle, invoiceIds: string[]): Promise<LedgerInvoice[]>;
  /**
   * Appends a collection note to an invoice, once per idempotency key. `mayHaveLanded` says an
   * earlier attempt was made whose answer never came back: where the vendor forgets keys quickly
   * (Xero), the invoice's notes are read first and a note already there is not added again.
   */
  appendNote(
    connection: ConnectionHandle,
    note: { invoiceId: string; text: string; idempotencyKey: string; mayHaveLanded?: boolean },
  ): Promise<{ noteId: string }>;
  /**
   * Appends one collection note to several invoices in a single write, once per idempotency key,
   * where the vendor allows it (QuickBooks: an Attachable with several references). Without it,
   * a note is appended to each invoice in turn.
   */
  appendNoteToInvoices?(
    connection: ConnectionHandle,
    note: { invoiceIds: string[]; text: string; idempotencyKey: string },
  ): Promise<{ noteId: string }>;
  /** Moves an invoice's due date, once per idempotency key; `applied: false` says why the vendor cannot. */
  changeDueDate(
    connection: ConnectionHandle,
    change: { invoiceId: string; dueDate: string; idempotencyKey: string },
  ): Promise<{ applied: true } | { applied: false; reason: string }>;
  /**
   * Lists the active items or accounts a credit (write-off, settlement discount) can be booked
   * against, at most `creditTargetLimit` of them.
   */
  listCreditTargets(connection: ConnectionHandle): Promise<CreditTargetOption[]>;
  /** Creates a credit for `amount` against `target` and applies it to the invoice, once per idempotency key. */
  applyCredit(
    connection: ConnectionHandle,
    credit: { invoiceId: string; amount: Money; target: CreditTarget; memo: string; idempotencyKey: string },
  ): Promise<
    /** Applied: the credit's id, and what it came to when the debtor paid some meanwhile. */
    | { creditId: string; amountMinor?: number }
    /** The debtor paid it all while it was being applied: no credit is left in the ledger. */
    | { skipped: string }
  >;
  /** Returns the invoice's online payment link, or null when the ledger has none for it. */
  paymentLink(connection: ConnectionHandle, invoiceId: string): Promise<string | null>;
  /** Checks a webhook's signature over the raw body and parses its events. */
  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): WebhookParse;
}

/** A company as its books describe it, for the organisation connecting it creates. */
export interface TenantDescription {
  name: string;
  currency: string;
  country: string | null;
  /** The company's own time zone (IANA), when the vendor keeps one (Xero does; QuickBooks does not). */
  timeZone?: string | null;
  /** The state or province of the company's address (e.g. CA), when the vendor gives it. */
  region?: string | null;
}
