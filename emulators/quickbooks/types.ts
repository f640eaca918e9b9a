/**
 * Public types of the QuickBooks Online emulator.
 *
 * Money convention: every amount on the TypeScript side (seeds, `changes()` inputs) is an integer in the
 * currency's minor unit (cents for USD, yen for JPY). Only the HTTP wire carries decimals (`"Balance": 125.5`),
 * as QuickBooks does. Dates are `YYYY-MM-DD`; timestamps are ISO 8601.
 */

import type { RequestCounts } from '../kit/counters.js';
import type { FaultOptions } from '../kit/faults.js';
import type { EmulatorLifecycle } from '../kit/host.js';

export type { FaultOptions };

/** Integer amount in the currency's minor unit (e.g. 12550 = 125.50 USD). */
export type MinorUnits = number;

export interface QuickBooksEmulatorOptions {
  clientId: string;
  clientSecret: string;
  /** Verifier token used to sign webhooks (intuit-signature). */
  webhookVerifierToken: string;
  /** Requests per minute per realm (default 500) and concurrent requests per realm (default 10). */
  rateLimit?: RateLimitOptions;
  /**
   * Fault injection on API (not OAuth) requests: a fraction answered with HTTP 500 (default 0), added
   * latency in ms (default 0), and a fraction carried out but answered late or never (default 0).
   */
  faults?: FaultOptions;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** Clock for token expiry, CDC windows and timestamps; default Date.now. Tests advance it. */
  now?: () => number;
  /** Redirect URIs the app registered; when given, `authorize` refuses any other. Default: accept any. */
  redirectUris?: string[];
  /** Fastify request logging (default off). */
  logger?: boolean;
}

export interface RateLimitOptions {
  perMinute?: number;
  concurrent?: number;
  /**
   * Fraction (0..1) of 429 answers sent as XML even though JSON was asked, as Intuit sometimes does
   * (default 0, so tests are deterministic).
   */
  xmlFraction?: number;
}

export interface EmulatorEndpoints {
  authorize: string;
  token: string;
  revoke: string;
  userInfo: string;
  /** What `QuickBooks.V3_ENDPOINT_BASE_URL` expects: ends in `/v3/company/`. */
  apiBase: string;
  jwks: string;
  /** OpenID discovery document (extra). */
  discovery: string;
}

export type EntityName = 'Customer' | 'Invoice' | 'Payment' | 'CreditMemo' | 'Attachable' | 'Item';
export type CounterKind = 'oauth' | 'query' | 'cdc' | 'read' | 'write';

export interface EmulatorCounters extends RequestCounts<CounterKind> {
  byRealm: Record<string, number>;
  throttled: number;
}

export interface CompanyUserSeed {
  /** OpenID subject; generated when omitted. */
  sub?: string;
  email: string;
  givenName: string;
  familyName: string;
  emailVerified?: boolean;
}

/** A customer's billing address; QuickBooks keeps `country` as the free text a user typed ("USA"). */
export interface BillAddrInput {
  line1?: string;
  line2?: string;
  line3?: string;
  line4?: string;
  line5?: string;
  city?: string;
  countrySubDivisionCode?: string;
  postalCode?: string;
  country?: string;
}

export interface CustomerSeed {
  /** QuickBooks Id; assigned "1", "2", … in seed order when omitted. */
  id?: string;
  displayName: string;
  companyName?: string;
  givenName?: string;
  familyName?: string;
  /** Primary email; null or omitted = none. */
  email?: string | null;
  phone?: string;
  /** Defaults to the company's home currency. */
  currency?: string;
  active?: boolean;
  notes?: string;
  billAddr?: BillAddrInput;
}

export type InvoiceSeedStatus = 'open' | 'overdue' | 'paid' | 'partial' | 'voided';

export interface InvoiceSeed {
  id?: string;
  customerId: string;
  docNumber?: string;
  /** Default: 30 days before the due date, never in the future. */
  txnDate?: string;
  /** Default from `status`: overdue → 20 days ago, otherwise 15 days ahead. */
  dueDate?: string;
  total: MinorUnits;
  /** Final open balance. Default from `status`: paid/voided → 0, partial → half, else total. */
  balance?: MinorUnits;
  /** Defaults to the customer's currency (must match it). */
  currency?: string;
  /** Defaults to the customer's email; null = no BillEmail. */
  billEmail?: string | null;
  status?: InvoiceSeedStatus;
  privateNote?: string;
  customerMemo?: string;
}

export interface PaymentSeed {
  id?: string;
  customerId: string;
  amount: MinorUnits;
  txnDate?: string;
  /** How the payment explains invoice balances already given in the invoice seeds (not applied again). */
  applications?: { invoiceId: string; amount: MinorUnits }[];
}

export interface CreditMemoSeed {
  id?: string;
  customerId: string;
  total: MinorUnits;
  /** Default: total. */
  remaining?: MinorUnits;
  txnDate?: string;
}

/** Intuit's item types; Group is a bundle, Category only groups other items. */
export type ItemType = 'Service' | 'NonInventory' | 'Inventory' | 'Group' | 'Category';

export interface ItemSeed {
  /** QuickBooks Id; assigned after the two items every company starts with ("1" Services, "2" Hours). */
  id?: string;
  /** Unique in the company, at most 100 characters. */
  name: string;
  type: ItemType;
  active?: boolean;
  description?: string;
  /** The account a sale of it is booked to (Service, NonInventory, Inventory). */
  incomeAccountRef?: { value: string; name: string };
  /** The account a purchase of it is booked to. */
  expenseAccountRef?: { value: string; name: string };
}

export interface CompanySeed {
  /** Realm id; generated (16 digits) when omitted. */
  realmId?: string;
  name: string;
  /** ISO 4217, default USD. */
  homeCurrency?: string;
  /** ISO 3166 alpha-2, default US. */
  country?: string;
  /** The company address's state or province (CompanyAddr.CountrySubDivisionCode), e.g. CA; none by default. */
  region?: string;
  /** Online invoice payments switched on (drives `InvoiceLink`); default true. */
  onlinePayments?: boolean;
  /** The QuickBooks user who connects the app (userinfo, id_token). */
  user?: CompanyUserSeed;
  customers: CustomerSeed[];
  /**
   * Invoices. When an invoice's balance is below its total and the payment seeds do not explain the
   * difference, a Payment is created for the rest so the books stay consistent.
   */
  invoices?: InvoiceSeed[];
  payments?: PaymentSeed[];
  creditMemos?: CreditMemoSeed[];
  /** Products and services, after the "Services" and "Hours" items every company starts with. */
  items?: ItemSeed[];
}

/** Wire-format entities (what the API returns), read-only. */
export type WireEntity = Readonly<Record<string, unknown>> & {
  readonly Id: string;
  readonly SyncToken: string;
};

export interface CompanyView {
  readonly realmId: string;
  readonly companyInfo: WireEntity;
  readonly customers: readonly WireEntity[];
  /** Deleted invoices are not listed; voided ones are. */
  readonly invoices: readonly WireEntity[];
  readonly payments: readonly WireEntity[];
  readonly attachables: readonly WireEntity[];
  readonly creditMemos: readonly WireEntity[];
  /** Every item, inactive ones too. */
  readonly items: readonly WireEntity[];
  invoice(id: string): WireEntity | undefined;
  customer(id: string): WireEntity | undefined;
}

export interface InvoiceLineInput {
  amount: MinorUnits;
  description?: string;
}

export interface CreateCustomerInput {
  displayName: string;
  companyName?: string;
  givenName?: string;
  familyName?: string;
  email?: string | null;
  phone?: string;
  currency?: string;
  notes?: string;
  billAddr?: BillAddrInput;
}

export interface CreateInvoiceInput {
  customerId: string;
  /** Total in minor units as one line; or give `lines`. */
  amount?: MinorUnits;
  lines?: InvoiceLineInput[];
  dueDate: string;
  txnDate?: string;
  currency?: string;
  /** Default: the customer's email; null = none. */
  billEmail?: string | null;
  docNumber?: string;
  privateNote?: string;
  customerMemo?: string;
}

export interface UpdateInvoicePatch {
  dueDate?: string;
  txnDate?: string;
  docNumber?: string;
  privateNote?: string;
  customerMemo?: string;
  billEmail?: string | null;
  /** Replaces the lines; the balance moves by the change in total. */
  lines?: InvoiceLineInput[];
}

export interface ReceivePaymentInput {
  customerId: string;
  /** Minor units. */
  amount: MinorUnits;
  invoiceIds: string[];
  txnDate?: string;
}

export interface CompanyChanges {
  createCustomer(input: CreateCustomerInput): string;
  /** `billAddr: null` clears the billing address, as emptying it in the UI does. */
  updateCustomer(
    id: string,
    patch: Partial<Omit<CreateCustomerInput, 'billAddr'>> & {
      active?: boolean;
      billAddr?: BillAddrInput | null;
    },
  ): void;
  deactivateCustomer(id: string): void;
  createInvoice(input: CreateInvoiceInput): string;
  updateInvoice(id: string, patch: UpdateInvoicePatch): void;
  voidInvoice(id: string): void;
  deleteInvoice(id: string): void;
  receivePayment(input: ReceivePaymentInput): string;
  createCreditMemo(input: { customerId: string; amount: MinorUnits; txnDate?: string }): string;
  /**
   * Applies a credit memo to an invoice as the UI's Receive Payment screen does: a zero-amount payment
   * whose lines name both. Returns the payment's id.
   */
  applyCreditMemo(input: { creditMemoId: string; invoiceId: string; amount: MinorUnits }): string;
}

export type WebhookFormat = 'cloudevents' | 'legacy';

export interface WebhookTarget {
  url: string;
  format: WebhookFormat;
  mode: 'auto' | 'manual';
  /** Content type of CloudEvents deliveries (default application/cloudevents+json); legacy is application/json. */
  contentType?: string;
}

export interface GenerateCompanyOptions {
  customers: number;
  openInvoices: number;
  paidInvoices?: number;
  seed?: number;
  homeCurrency?: string;
  realmId?: string;
  name?: string;
}

/** The emulator; `url`, `listen` and `close` as every emulator has them (kit/host.ts). */
export interface QuickBooksEmulator extends EmulatorLifecycle {
  readonly endpoints: EmulatorEndpoints;
  addCompany(seed: CompanySeed): string;
  generateCompany(options: GenerateCompanyOptions): string;
  company(realmId: string): CompanyView;
  changes(realmId: string): CompanyChanges;
  revokeRealm(realmId: string): void;
  setWebhookTarget(target: WebhookTarget | null): void;
  deliverWebhooks(options?: { duplicate?: boolean; reverse?: boolean }): Promise<number[]>;
  counters(): EmulatorCounters;
  resetCounters(): void;
  configure(options: Pick<QuickBooksEmulatorOptions, 'rateLimit' | 'faults'>): void;
  /** Realm ids in the order they were added (extra). */
  realms(): string[];
}
