import type { LedgerConnector } from '../ledger.js';
import { classifyXeroFailure } from './api.js';
import { createXeroClients } from './client.js';
import type { XeroConfig } from './config.js';
import { createXeroOAuth } from './oauth.js';
import { invoicesPerFetch, xeroReads } from './reads.js';
import { parseXeroWebhook } from './webhooks.js';
import { xeroWrites } from './writes.js';

export { type XeroConfig, type XeroEndpoints, xeroEmulatorEndpoints } from './config.js';

/** Xero through xero-node (and its openid-client), one XeroClient per login or call. */
export function createXeroConnector(config: XeroConfig): LedgerConnector {
  const clients = createXeroClients(config);
  const oauth = createXeroOAuth(clients);
  const reads = xeroReads(clients);
  const writes = xeroWrites(clients);

  return {
    vendor: 'xero',
    // Per organisation: 60 calls a minute, 5 at once, 5,000 a day (Xero's published limits).
    limits: { perMinute: 60, concurrent: 5, perDay: 5000 },
    invoicesPerFetch,
    consentUrl: ({ state, redirectUri, codeChallenge }) =>
      oauth.consentUrl(state, redirectUri, codeChallenge),
    exchangeCallback: ({ callbackUrl, redirectUri, codeVerifier }) =>
      oauth.exchange(callbackUrl, redirectUri, codeVerifier),
    signInUrl: ({ state, redirectUri, codeChallenge }) => oauth.signInUrl(state, redirectUri, codeChallenge),
    identify: ({ callbackUrl, redirectUri, codeVerifier }) =>
      oauth.identify(callbackUrl, redirectUri, codeVerifier),
    refreshTokens: (refreshToken) => oauth.refresh(refreshToken),
    revoke: (tokens) => oauth.revoke(tokens.refreshToken),
    async releaseTenants(tokens, tenants) {
      for (const tenant of tenants) {
        if (tenant.grantRef) await oauth.disconnectTenant(tokens.accessToken, tenant.grantRef);
      }
    },
    describeTenant: (connection) => reads.describeTenant(connection),
    classifyFailure: classifyXeroFailure,
    listOpenInvoices: (connection, page) => reads.listOpenInvoices(connection, page),
    listCustomers: (connection, page) => reads.listCustomers(connection, page),
    listPayments: (connection, since, page) => reads.listPayments(connection, since, page),
    listCredits: (connection, page) => reads.listCredits(connection, page),
    cursorAt: (since) => reads.cursorAt(since),
    changesSince: (connection, cursor) => reads.changesSince(connection, cursor),
    fetchInvoices: (connection, ids) => reads.fetchInvoices(connection, ids),
    appendNote: (connection, note) => writes.appendNote(connection, note),
    changeDueDate: (connection, change) => writes.changeDueDate(connection, change),
    listCreditTargets: (connection) => reads.listCreditTargets(connection),
    applyCredit: (connection, credit) => writes.applyCredit(connection, credit),
    paymentLink: (connection, invoiceId) => writes.paymentLink(connection, invoiceId),
    parseWebhook: (rawBody, headers) => parseXeroWebhook(rawBody, headers, config.webhookKey),
  };
}
