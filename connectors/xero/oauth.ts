import type { TokenSet } from 'openid-client';
import type { LedgerIdentity, LedgerTenant, LedgerTokens } from '../ledger.js';
import type { XeroClients } from './client.js';
import { xeroScopes, xeroSignInScopes } from './config.js';

/** A refresh token expires after 60 days unused; each use rotates it. */
const refreshTokenLifetimeMs = 60 * 86_400_000;

export interface XeroGrant {
  tokens: LedgerTokens;
  tenants: LedgerTenant[];
  identity: LedgerIdentity | null;
}

export interface XeroOAuth {
  consentUrl(state: string, redirectUri: string, codeChallenge?: string): string;
  exchange(callbackUrl: string, redirectUri: string, codeVerifier?: string): Promise<XeroGrant>;
  signInUrl(state: string, redirectUri: string, codeChallenge?: string): string;
  identify(callbackUrl: string, redirectUri: string, codeVerifier?: string): Promise<LedgerIdentity>;
  refresh(refreshToken: string): Promise<LedgerTokens>;
  revoke(refreshToken: string): Promise<void>;
  /** Removes one organisation from a grant (Xero's DELETE /connections/{id}). */
  disconnectTenant(accessToken: string, connectionId: string): Promise<void>;
}

/** OAuth 2 / OpenID through xero-node's XeroClient and its openid-client (one client per login). */
export function createXeroOAuth(clients: XeroClients, now: () => number = Date.now): XeroOAuth {
  const toTokens = (tokenSet: TokenSet): LedgerTokens => {
    if (!tokenSet.access_token || !tokenSet.refresh_token) {
      throw new Error('Xero answered the token request without tokens (is offline_access granted?)');
    }
    const expiresAt = tokenSet.expires_at
      ? tokenSet.expires_at * 1000
      : now() + (tokenSet.expires_in ?? 1800) * 1000;
    return {
      accessToken: tokenSet.access_token,
      refreshToken: tokenSet.refresh_token,
      accessTokenExpiresAt: new Date(expiresAt),
      refreshTokenExpiresAt: new Date(now() + refreshTokenLifetimeMs),
    };
  };

  const authorizationUrl = (scopes: string[], state: string, redirectUri: string, codeChallenge?: string) =>
    clients.client({ state, redirectUri }).openIdClient.authorizationUrl({
      redirect_uri: redirectUri,
      scope: scopes.join(' '),
      state,
      ...(codeChallenge ? { code_challenge: codeChallenge, code_challenge_method: 'S256' } : {}),
    });

  const redeem = async (callbackUrl: string, redirectUri: string, codeVerifier?: string) => {
    const state = new URL(callbackUrl).searchParams.get('state') ?? undefined;
    const xero = clients.client({ redirectUri, ...(state ? { state } : {}) });
    const params = xero.openIdClient.callbackParams(callbackUrl);
    // apiCallback cannot pass a PKCE verifier, so the same openid-client call is made here with it.
    const tokenSet = await xero.openIdClient.callback(redirectUri, params, {
      ...(state ? { state } : {}),
      ...(codeVerifier ? { code_verifier: codeVerifier } : {}),
    });
    return { xero, tokenSet };
  };

  const identityOf = (tokenSet: TokenSet): LedgerIdentity | null => {
    const claims = tokenSet.id_token ? tokenSet.claims() : null;
    return claims
      ? {
          subject: String(claims['xero_userid'] ?? claims.sub),
          email: typeof claims.email === 'string' ? claims.email : null,
          // Xero verifies the email of every login; it only says so when the claim is present.
          emailVerified: claims.email_verified !== false,
        }
      : null;
  };

  return {
    consentUrl(state, redirectUri, codeChallenge) {
      return authorizationUrl(xeroScopes, state, redirectUri, codeChallenge);
    },

    signInUrl(state, redirectUri, codeChallenge) {
      return authorizationUrl(xeroSignInScopes, state, redirectUri, codeChallenge);
    },

    async identify(callbackUrl, redirectUri, codeVerifier) {
      const identity = identityOf((await redeem(callbackUrl, redirectUri, codeVerifier)).tokenSet);
      if (!identity) throw new Error('Xero answered the sign-in without an id_token');
      return identity;
    },

    async exchange(callbackUrl, redirectUri, codeVerifier) {
      const { xero, tokenSet } = await redeem(callbackUrl, redirectUri, codeVerifier);
      xero.setTokenSet(tokenSet);
      const connections = (await xero.updateTenants(false)) as Array<{
        id: string;
        tenantId: string;
        tenantName?: string;
        tenantType?: string;
      }>;
      return {
        tokens: toTokens(tokenSet),
        tenants: connections
          .filter((connection) => (connection.tenantType ?? 'ORGANISATION') === 'ORGANISATION')
          .map((connection) => ({
            tenantId: connection.tenantId,
            name: connection.tenantName ?? null,
            grantRef: connection.id,
          })),
        identity: identityOf(tokenSet),
      };
    },

    async refresh(refreshToken) {
      return toTokens(await clients.client().openIdClient.refresh(refreshToken));
    },

    async revoke(refreshToken) {
      await clients.client().openIdClient.revoke(refreshToken, 'refresh_token');
    },

    async disconnectTenant(accessToken, connectionId) {
      const xero = clients.client();
      xero.setTokenSet({ access_token: accessToken });
      await xero.disconnect(connectionId);
    },
  };
}
