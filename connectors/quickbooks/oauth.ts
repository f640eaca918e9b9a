import OAuthClient from 'intuit-oauth';
import type { LedgerIdentity, LedgerTenant, LedgerTokens } from '../ledger.js';
import { intuitEndpoints, intuitSignInScopes, type QuickBooksConfig, quickBooksScopes } from './config.js';

interface IntuitToken {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  x_refresh_token_expires_in?: number;
  realmId?: string;
}

interface IntuitUserInfo {
  sub?: string;
  email?: string;
  emailVerified?: boolean;
}

export interface QuickBooksOAuth {
  consentUrl(state: string, redirectUri: string): string;
  signInUrl(state: string, redirectUri: string): string;
  identify(callbackUrl: string, redirectUri: string): Promise<LedgerIdentity>;
  exchange(
    callbackUrl: string,
    redirectUri: string,
  ): Promise<{
    tokens: LedgerTokens;
    tenants: LedgerTenant[];
    identity: LedgerIdentity | null;
  }>;
  refresh(refreshToken: string): Promise<LedgerTokens>;
  revoke(refreshToken: string): Promise<void>;
}

/**
 * OAuth 2 through Intuit's intuit-oauth. Its endpoint URLs are static fields shared by every client
 * in the process, so they are set once here from the configuration.
 */
export function createQuickBooksOAuth(
  config: QuickBooksConfig,
  now: () => number = Date.now,
): QuickBooksOAuth {
  const endpoints = config.endpoints ?? intuitEndpoints(config.environment);
  const client = (redirectUri = '') =>
    new OAuthClient({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      environment: config.environment,
      redirectUri,
      includeRefreshTokenHardExpiresIn: true,
    } as ConstructorParameters<typeof OAuthClient>[0]);

  client().setAuthorizeURLs({
    authorizeEndpoint: endpoints.authorize,
    tokenEndpoint: endpoints.token,
    revokeEndpoint: endpoints.revoke,
    userInfoEndpoint: endpoints.userInfo,
  });
  const statics = OAuthClient as unknown as {
    jwks_uri: string;
    retryConfig: { maxRetries: number };
  };
  statics.jwks_uri = endpoints.jwks;
  // One refresh must be one request: a retry after a lost response would spend a rotated refresh
  // token and disconnect the customer. Retries happen above, after re-reading the stored tokens.
  statics.retryConfig.maxRetries = 0;
  // The token, revoke and user-info calls below carry the vendor HTTP timeout (timeQuickBooksRequests
  // in api.ts, set when the connector is made): a token endpoint that never answers fails the call as
  // `unavailable`, so the connection layer gives up the refresh lock and the job is retried later.

  const toTokens = (token: IntuitToken): LedgerTokens => {
    if (!token.access_token || !token.refresh_token || !token.expires_in) {
      throw new Error('Intuit answered the token request without tokens');
    }
    return {
      accessToken: token.access_token,
      refreshToken: token.refresh_token,
      accessTokenExpiresAt: new Date(now() + token.expires_in * 1000),
      refreshTokenExpiresAt: token.x_refresh_token_expires_in
        ? new Date(now() + token.x_refresh_token_expires_in * 1000)
        : null,
    };
  };

  const identityOf = async (oauth: OAuthClient): Promise<LedgerIdentity | null> => {
    const info = (await oauth.getUserInfo()).getJson() as IntuitUserInfo;
    return info.sub
      ? { subject: info.sub, email: info.email ?? null, emailVerified: info.emailVerified === true }
      : null;
  };

  return {
    consentUrl(state, redirectUri) {
      return client(redirectUri).authorizeUri({ scope: quickBooksScopes, state });
    },

    async exchange(callbackUrl, redirectUri) {
      const oauth = client(redirectUri);
      const response = await oauth.createToken(callbackUrl);
      const token = response.getJson() as IntuitToken;
      const realmId = new URL(callbackUrl).searchParams.get('realmId') ?? token.realmId;
      if (!realmId) throw new Error('The QuickBooks callback carried no realmId');
      return {
        tokens: toTokens(token),
        tenants: [{ tenantId: realmId, name: null }],
        identity: await identityOf(oauth),
      };
    },

    signInUrl(state, redirectUri) {
      return client(redirectUri).authorizeUri({ scope: intuitSignInScopes, state });
    },

    async identify(callbackUrl, redirectUri) {
      const oauth = client(redirectUri);
      await oauth.createToken(callbackUrl);
      const identity = await identityOf(oauth);
      if (!identity) throw new Error('Intuit answered the sign-in without a subject');
      return identity;
    },

    async refresh(refreshToken) {
      const response = await client().refreshUsingToken(refreshToken);
      return toTokens(response.getJson() as IntuitToken);
    },

    async revoke(refreshToken) {
      await client().revoke({ refresh_token: refreshToken });
    },
  };
}
