/**
 * Public types of the Xero emulator.
 *
 * Money convention: every amount on the TypeScript side (seeds, `changes()` inputs) is an integer in the
 * currency's minor unit (cents for NZD/USD, yen for JPY). Only the HTTP wire carries decimals (`"Total": 125.5`),
 * as Xero does. Dates are `YYYY-MM-DD` (UTC calendar days).
 */

import type { RequestCounts } from '../kit/counters.js';
import type { FaultOptions } from '../kit/faults.js';
import type { EmulatorLifecycle } from '../kit/host.js';

export type { FaultOptions };

/** Integer amount in the currency's minor unit (e.g. 12550 = 125.50 NZD). */
export type MinorUnits = number;

export interface RateLimitOptions {
  /** Calls per tenant in any 60 seconds (Xero: 60). */
  perMinute?: number;
  /** Calls per tenant in flight at once (Xero: 5). */
  concurrent?: number;
  /** Calls per tenant in any rolling 24 hours (Xero: 5000; 1000 on the Starter tier). */
  perDay?: number;
  /** Calls per app, all tenants together, in any 60 seconds (Xero: 10,000). */
  appPerMinute?: number;
}

export interface XeroEmulatorOptions {
  clientId: string;
  clientSecret: string;
  /** Webhook signing key (x-xero-signature). */
  webhookKey: string;
  /** Per tenant: calls per minute (60), concurrent (5), per day (5000); per app per minute (10000). */
  rateLimit?: RateLimitOptions;
  /** Faults injected into Accounting API calls: 500s, latency and hangs (default none). */
  faults?: FaultOptions;
  /** Default 1800 (Xero's 30 minutes). */
  accessTokenTtlSeconds?: number;
  /** A refresh token dies after this long unused; default 60 days. */
  refreshTokenTtlSeconds?: number;
  /** The previous refresh token keeps working this long after a rotation (Xero: 30 minutes). */
  refreshGraceSeconds?: number;
  /** Clock for token expiry, limits and timestamps; default Date.now. Tests move it forward. */
  now?: () => number;
  /** Fastify request logging (default off). */
  logger?: boolean;
  /** Extra: redirect URIs registered for the app; when given, others are refused. Default: any http(s) URL. */
  redirectUris?: string[];
  /** Extra: the app name, sent as `ProviderName` in API envelopes (default "Dunwell"). */
  appName?: string;
}

export interface XeroEmulatorEndpoints {
  /** The OpenID issuer: the emulator's base URL (discovery at `${issuer}/.well-known/openid-configuration`). */
  issuer: string;
  authorize: string;
  token: string;
  revoke: string;
  userInfo: string;
  jwks: string;
  connections: string;
  /** What `accountingApi.basePath` expects: ends in `/api.xro/2.0`. */
  apiBase: string;
}

export type CounterKind = 'oauth' | 'connections' | 'read' | 'write';
export type ThrottleProblem = 'minute' | 'day' | 'concurrent' | 'app';

export interface XeroEmulatorCounters extends RequestCounts<CounterKind> {
  byTenant: Record<string, number>;
  throttled: Record<ThrottleProblem, number>;
}

// The seeds a test or the demo describes a company with.
export type * from './seeds.js';

import type {
  AddressSeed,
  ContactPersonSeed,
  ContactStatus,
  InvoiceLineInput,
  OrganisationSeed,
} from './seeds.js';

/** Wire-format JSON (what the API returns), read-only. */
export type WireEntity = Readonly<Record<string, unknown>>;

export interface OrganisationView {
  readonly tenantId: string;
  readonly name: string;
  /** GET /Organisation's element. */
  readonly organisation: WireEntity;
  /** Every contact, archived ones too. */
  readonly contacts: readonly WireEntity[];
  /** Every ACCREC invoice in any status (DELETED and VOIDED too). */
  readonly invoices: readonly WireEntity[];
  readonly payments: readonly WireEntity[];
  readonly creditNotes: readonly WireEntity[];
  /** GET /Overpayments' and GET /Prepayments' elements. */
  readonly overpayments: readonly WireEntity[];
  readonly prepayments: readonly WireEntity[];
  readonly allocations: readonly WireEntity[];
  /** GET /Accounts' elements: the chart of accounts, archived accounts too. */
  readonly accounts: readonly WireEntity[];
  /** GET /Invoices/{id}/History's records, newest first as Xero lists them. */
  history(invoiceId: string): readonly WireEntity[];
  invoice(id: string): WireEntity | undefined;
  contact(id: string): WireEntity | undefined;
}

export interface CreateContactInput {
  name: string;
  firstName?: string;
  lastName?: string;
  emailAddress?: string | null;
  contactPersons?: ContactPersonSeed[];
  defaultCurrency?: string;
  addresses?: AddressSeed[];
}

export type UpdateContactPatch = Partial<CreateContactInput> & { contactStatus?: ContactStatus };

export interface CreateInvoiceInput {
  /** The contact's id, or its name. */
  contactId: string;
  /** Total in minor units as one line; or give `lines`. */
  amount?: MinorUnits;
  lines?: InvoiceLineInput[];
  dueDate: string;
  date?: string;
  currency?: string;
  /** Default AUTHORISED. */
  status?: 'DRAFT' | 'AUTHORISED';
  reference?: string;
  invoiceNumber?: string;
}

export interface UpdateInvoicePatch {
  dueDate?: string;
  date?: string;
  reference?: string;
  /** Replaces the lines; refused when the new total is below what was paid and credited. */
  lines?: InvoiceLineInput[];
  /** DRAFT → AUTHORISED (approve). */
  status?: 'AUTHORISED';
}

export interface ReceivePaymentInput {
  invoiceId: string;
  /** Minor units; at most the amount due. */
  amount: MinorUnits;
  date?: string;
}

/** Changes a user makes in Xero itself; each one queues webhook events like Xero's. */
export interface OrganisationChanges {
  createContact(input: CreateContactInput): string;
  archiveContact(id: string): void;
  updateContact(id: string, patch: UpdateContactPatch): void;
  createInvoice(input: CreateInvoiceInput): string;
  updateInvoice(id: string, patch: UpdateInvoicePatch): void;
  /** AUTHORISED invoices with nothing paid or credited only, like Xero. */
  voidInvoice(id: string): void;
  /** DRAFT/SUBMITTED only, like Xero. */
  deleteInvoice(id: string): void;
  receivePayment(input: ReceivePaymentInput): string;
  /** Extra: removes a payment (Status DELETED); the invoice's amount due goes back up. */
  deletePayment(paymentId: string): void;
  /** Extra: an AUTHORISED ACCRECCREDIT credit note of one line. */
  createCreditNote(input: {
    contactId: string;
    amount: MinorUnits;
    date?: string;
    currency?: string;
  }): string;
  /** Extra: allocates credit to an invoice, as the API's PUT /CreditNotes/{id}/Allocations does. */
  allocateCreditNote(
    creditNoteId: string,
    input: { invoiceId: string; amount: MinorUnits; date?: string },
  ): string;
  /** Extra: money received beyond what was owed (a RECEIVE-OVERPAYMENT bank transaction). */
  receiveOverpayment(input: {
    contactId: string;
    amount: MinorUnits;
    date?: string;
    currency?: string;
  }): string;
  /** Extra: money received before it was owed (a RECEIVE-PREPAYMENT bank transaction). */
  receivePrepayment(input: {
    contactId: string;
    amount: MinorUnits;
    date?: string;
    currency?: string;
  }): string;
  /** Extra: applies an overpayment's or prepayment's credit to an invoice (PUT /Overpayments/{id}/Allocations). */
  allocateReceivedCredit(id: string, input: { invoiceId: string; amount: MinorUnits; date?: string }): void;
}

export interface WebhookTarget {
  url: string;
  /** auto: each event is POSTed as it happens; manual: queued until deliverWebhooks(). */
  mode: 'auto' | 'manual';
}

export interface GenerateOrganisationOptions {
  contacts: number;
  openInvoices: number;
  paidInvoices?: number;
  seed?: number;
  baseCurrency?: string;
  userEmail?: string;
  /** Extra. */
  name?: string;
  tenantId?: string;
}

/** The emulator; `url`, `listen` and `close` as every emulator has them (kit/host.ts). */
export interface XeroEmulator extends EmulatorLifecycle {
  readonly endpoints: XeroEmulatorEndpoints;
  /** Adds an organisation (tenant) belonging to a user (by email, created if new); returns its tenant id (uuid). */
  addOrganisation(seed: OrganisationSeed): string;
  generateOrganisation(options: GenerateOrganisationOptions): string;
  organisation(tenantId: string): OrganisationView;
  changes(tenantId: string): OrganisationChanges;
  /** The user removes the app from this organisation in Xero: the connection disappears and API calls get 403. */
  disconnectTenant(tenantId: string): void;
  /** Revokes every token of the grant(s) of this user (refresh → invalid_grant, API → 401). */
  revokeUser(email: string): void;
  setWebhookTarget(target: WebhookTarget | null): void;
  deliverWebhooks(options?: { duplicate?: boolean; reverse?: boolean }): Promise<number[]>;
  /** Sends Xero's intent-to-receive pair (one correctly signed, one not) and resolves with the two statuses. */
  intentToReceive(url: string): Promise<{ correct: number; incorrect: number }>;
  counters(): XeroEmulatorCounters;
  resetCounters(): void;
  configure(options: Pick<XeroEmulatorOptions, 'rateLimit' | 'faults'>): void;
  /** Extra: tenant ids in the order they were added. */
  tenants(): string[];
}
