/** Every Xero URL the connector uses; a local emulator replaces them all. */
export interface XeroEndpoints {
  /** OpenID issuer (identity.xero.com). */
  issuer: string;
  authorize: string;
  token: string;
  revoke: string;
  userInfo: string;
  jwks: string;
  connections: string;
  /** Accounting API base, ending in `/api.xro/2.0`. */
  apiBase: string;
}

export interface XeroConfig {
  clientId: string;
  clientSecret: string;
  /** Signs webhooks (x-xero-signature): the app's webhook key in the Xero developer portal. */
  webhookKey: string;
  /** Replaces Xero's URLs (a local emulator); absent means Xero's own. */
  endpoints?: XeroEndpoints;
  /**
   * How long a call to Xero (API, connections or identity) may go without an answer before it fails as
   * `unavailable` (see shared/http-timeout.ts); default 30 seconds.
   */
  httpTimeoutMs?: number;
}

export const xeroEndpoints: XeroEndpoints = {
  issuer: 'https://identity.xero.com',
  authorize: 'https://login.xero.com/identity/connect/authorize',
  token: 'https://identity.xero.com/connect/token',
  revoke: 'https://identity.xero.com/connect/revocation',
  userInfo: 'https://identity.xero.com/connect/userinfo',
  jwks: 'https://identity.xero.com/.well-known/openid-configuration/jwks',
  connections: 'https://api.xero.com/connections',
  apiBase: 'https://api.xero.com/api.xro/2.0',
};

/** A local emulator serves Xero's identity and API paths under one base URL. */
export function xeroEmulatorEndpoints(baseUrl: string): XeroEndpoints {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    issuer: base,
    authorize: `${base}/connect/authorize`,
    token: `${base}/connect/token`,
    revoke: `${base}/connect/revocation`,
    userInfo: `${base}/connect/userinfo`,
    jwks: `${base}/.well-known/openid-configuration/jwks`,
    connections: `${base}/connections`,
    apiBase: `${base}/api.xro/2.0`,
  };
}

/** Granular scopes (required for apps created from March 2026): read contacts and payments, write invoices. */
/** "Sign in with Xero": who the person is, without access to an organisation. */
export const xeroSignInScopes = ['openid', 'profile', 'email'];

export const xeroScopes = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'accounting.invoices',
  'accounting.contacts.read',
  'accounting.payments.read',
  'accounting.settings.read',
];
