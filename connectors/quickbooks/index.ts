import type { LedgerConnector } from '../ledger.js';
import { classifyQuickBooksFailure, quickBooksClient, timeQuickBooksRequests } from './api.js';
import type { QuickBooksConfig } from './config.js';
import { createQuickBooksOAuth } from './oauth.js';
import { invoicesPerFetch, quickBooksReads } from './reads.js';
import { parseQuickBooksWebhook } from './webhooks.js';
import { quickBooksWrites } from './writes.js';

export { emulatorEndpoints, type QuickBooksConfig, type QuickBooksEndpoints } from './config.js';

/** QuickBooks Online through Intuit's intuit-oauth and node-quickbooks. */
export function createQuickBooksConnector(config: QuickBooksConfig): LedgerConnector {
  timeQuickBooksRequests(config);
  const oauth = createQuickBooksOAuth(config);
  const client = (realmId: string) => (accessToken: string) => quickBooksClient(config, realmId, accessToken);
  // Reads and writes need the realm of the connection they run on; bind it per call.
  const reads = (tenantId: string) => quickBooksReads(client(tenantId));
  const writes = (tenantId: string) => quickBooksWrites(client(tenantId));

  return {
    vendor: 'quickbooks',
    // 500 requests a minute and 10 at once per realm (Intuit's published throttles).
    limits: { perMinute: 500, concurrent: 10 },
    invoicesPerFetch,
    consentUrl: ({ state, redirectUri }) => oauth.consentUrl(state, redirectUri),
    exchangeCallback: ({ callbackUrl, redirectUri }) => oauth.exchange(callbackUrl, redirectUri),
    signInUrl: ({ state, redirectUri }) => oauth.signInUrl(state, redirectUri),
    identify: ({ callbackUrl, redirectUri }) => oauth.identify(callbackUrl, redirectUri),
    refreshTokens: (refreshToken) => oauth.refresh(refreshToken),
    revoke: (tokens) => oauth.revoke(tokens.refreshToken),
    describeTenant: (connection) => reads(connection.tenantId).describeTenant(connection),
    classifyFailure: classifyQuickBooksFailure,
    listOpenInvoices: (connection, page) => reads(connection.tenantId).listOpenInvoices(connection, page),
    listCustomers: (connection, page) => reads(connection.tenantId).listCustomers(connection, page),
    listPayments: (connection, since, page) =>
      reads(connection.tenantId).listPayments(connection, since, page),
    listCredits: (connection, page) => reads(connection.tenantId).listCredits(connection, page),
    cursorAt: (since) => since.toISOString(),
    changesSince: (connection, cursor) => reads(connection.tenantId).changesSince(connection, cursor),
    fetchInvoices: (connection, ids) => reads(connection.tenantId).fetchInvoices(connection, ids),
    appendNote: (connection, note) => writes(connection.tenantId).appendNote(connection, note),
    appendNoteToInvoices: (connection, note) =>
      writes(connection.tenantId).appendNoteToInvoices(connection, note),
    changeDueDate: (connection, change) => writes(connection.tenantId).changeDueDate(connection, change),
    listCreditTargets: (connection) => reads(connection.tenantId).listCreditTargets(connection),
    applyCredit: (connection, credit) => writes(connection.tenantId).applyCredit(connection, credit),
    paymentLink: (connection, invoiceId) => writes(connection.tenantId).paymentLink(connection, invoiceId),
    parseWebhook: (rawBody, headers) => parseQuickBooksWebhook(rawBody, headers, config.webhookVerifierToken),
  };
}
