/** Every Intuit URL the connector uses; the defaults are Intuit's, a local emulator replaces them all. */
export interface QuickBooksEndpoints {
  authorize: string;
  token: string;
  revoke: string;
  userInfo: string;
  jwks: string;
  /** Accounting API base, ending in `/v3/company/`. */
  apiBase: string;
}

export interface QuickBooksConfig {
  clientId: string;
  clientSecret: string;
  /** Signs webhooks (intuit-signature): from the app's webhook settings in the Intuit developer portal. */
  webhookVerifierToken: string;
  environment: 'production' | 'sandbox';
  /** Replaces Intuit's URLs (a local emulator); absent means Intuit's own. */
  endpoints?: QuickBooksEndpoints;
  /**
   * How long a call to Intuit (API or OAuth) may go without an answer before it fails as `unavailable`
   * (see shared/http-timeout.ts); default 30 seconds.
   */
  httpTimeoutMs?: number;
}

export function intuitEndpoints(environment: QuickBooksConfig['environment']): QuickBooksEndpoints {
  const sandbox = environment === 'sandbox';
  return {
    authorize: 'https://appcenter.intuit.com/connect/oauth2',
    token: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
    revoke: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
    userInfo: sandbox
      ? 'https://sandbox-accounts.platform.intuit.com/v1/openid_connect/userinfo'
      : 'https://accounts.platform.intuit.com/v1/openid_connect/userinfo',
    jwks: 'https://oauth.platform.intuit.com/op/v1/jwks',
    apiBase: sandbox
      ? 'https://sandbox-quickbooks.api.intuit.com/v3/company/'
      : 'https://quickbooks.api.intuit.com/v3/company/',
  };
}

/** A local emulator serves Intuit's paths under one base URL. */
export function emulatorEndpoints(baseUrl: string): QuickBooksEndpoints {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    authorize: `${base}/connect/oauth2`,
    token: `${base}/oauth2/v1/tokens/bearer`,
    revoke: `${base}/v2/oauth2/tokens/revoke`,
    userInfo: `${base}/v1/openid_connect/userinfo`,
    jwks: `${base}/op/v1/jwks`,
    apiBase: `${base}/v3/company/`,
  };
}

export const quickBooksScopes = ['com.intuit.quickbooks.accounting', 'openid', 'profile', 'email'];
/** "Sign in with Intuit": who the person is, without access to a company. */
export const intuitSignInScopes = ['openid', 'profile', 'email'];

/** Intuit's minor version floor since 2025-08-01. */
export const minorVersion = 75;
