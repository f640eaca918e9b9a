/**
 * OAuth 2 / OpenID routes as intuit-oauth 4.2.5 and node-quickbooks 2.0.50 call them:
 * - authorize: GET with client_id, redirect_uri, response_type=code, scope, state (intuit-oauth sends no PKCE;
 *   code_challenge is honoured when a client sends it). Consent is automatic. The company is chosen with
 *   `realm_id` (or `realmId`) in the query or an `x-emulator-realm-id` header, else the first company;
 *   `deny=1` simulates the user clicking Cancel.
 * - token: Basic client auth, form body; authorization_code and refresh_token grants. intuit-oauth asks for
 *   the hard expiry with the header `x-include-refresh-token-hard-expires-in: true`.
 * - revoke: intuit-oauth sends JSON `{token}`, node-quickbooks a form body; both work.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  basicCredentials,
  bearerToken,
  formParams,
  oauthError,
  type Params,
  safeEqual,
} from '../../kit/oauth.js';
import { PATHS } from '../paths.js';
import type { Company } from '../store/company.js';
import type { EmulatorEndpoints } from '../types.js';
import type { GrantStore, IssuedTokens } from './grants.js';
import { type IdTokenSigner, INTUIT_ISSUER } from './id-token.js';

export interface OAuthDeps {
  clientId: string;
  clientSecret: string;
  redirectUris: string[] | undefined;
  grants: GrantStore;
  signer: IdTokenSigner;
  now: () => number;
  companies: Map<string, Company>;
  endpoints: () => EmulatorEndpoints;
}

const ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';
const KNOWN_SCOPES = new Set([
  ACCOUNTING_SCOPE,
  'com.intuit.quickbooks.payment',
  'openid',
  'profile',
  'email',
  'phone',
  'address',
]);

/** Basic client authentication only (intuit-oauth and node-quickbooks send nothing else). */
function clientAuthenticated(request: FastifyRequest, deps: OAuthDeps): boolean {
  const credentials = basicCredentials(request);
  if (!credentials) return false;
  return safeEqual(credentials.id, deps.clientId) && safeEqual(credentials.secret, deps.clientSecret);
}

export function registerOAuthRoutes(app: FastifyInstance, deps: OAuthDeps): void {
  app.get(PATHS.authorize, async (request, reply) => {
    const q = request.query as Params;
    if (q['client_id'] !== deps.clientId)
      return oauthError(reply, 400, 'invalid_client', 'Unknown client_id');
    const redirectUri = q['redirect_uri'];
    if (!redirectUri) return oauthError(reply, 400, 'invalid_request', 'redirect_uri is required');
    if (deps.redirectUris && !deps.redirectUris.includes(redirectUri)) {
      return oauthError(reply, 400, 'invalid_request', 'redirect_uri is not registered for this app');
    }
    if (q['response_type'] !== 'code') {
      return oauthError(reply, 400, 'unsupported_response_type', 'response_type must be code');
    }
    const scopes = (q['scope'] ?? '').split(/[\s+]+/).filter(Boolean);
    const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
    // "Sign in with Intuit" asks for openid alone; connecting a company asks for accounting.
    const signInOnly = !scopes.includes(ACCOUNTING_SCOPE);
    if ((signInOnly && !scopes.includes('openid')) || unknown.length > 0) {
      return oauthError(
        reply,
        400,
        'invalid_scope',
        `scope must include ${ACCOUNTING_SCOPE} or openid; unknown: ${unknown}`,
      );
    }
    const wanted =
      q['realm_id'] ?? q['realmId'] ?? (request.headers['x-emulator-realm-id'] as string | undefined);
    const company = wanted ? deps.companies.get(wanted) : deps.companies.values().next().value;
    if (!company) return oauthError(reply, 400, 'invalid_request', 'No such company in the emulator');

    const target = new URL(redirectUri);
    if (q['state'] !== undefined) target.searchParams.set('state', q['state']);
    if (q['deny'] === '1') {
      target.searchParams.set('error', 'access_denied');
      return reply.redirect(target.toString(), 302);
    }
    const code = deps.grants.issueCode({
      realmId: company.realmId,
      sub: company.info.user.sub,
      redirectUri,
      scopes,
      ...(q['code_challenge'] !== undefined
        ? { codeChallenge: q['code_challenge'], codeChallengeMethod: q['code_challenge_method'] ?? 'plain' }
        : {}),
    });
    target.searchParams.set('code', code);
    if (!signInOnly) target.searchParams.set('realmId', company.realmId);
    return reply.redirect(target.toString(), 302);
  });

  app.post(PATHS.token, async (request, reply) => {
    if (!clientAuthenticated(request, deps))
      return oauthError(reply, 401, 'invalid_client', 'Client authentication failed');
    const body = formParams(request.body);
    let result: ReturnType<GrantStore['refresh']>;
    if (body['grant_type'] === 'authorization_code') {
      if (!body['code']) return oauthError(reply, 400, 'invalid_request', 'code is required');
      result = deps.grants.redeemCode(body['code'], body['redirect_uri'], body['code_verifier']);
    } else if (body['grant_type'] === 'refresh_token') {
      result = deps.grants.refresh(body['refresh_token']);
    } else {
      return oauthError(reply, 400, 'unsupported_grant_type', 'grant_type is not supported');
    }
    if (!result.ok) return oauthError(reply, 400, result.error, result.description);
    const withHard = request.headers['x-include-refresh-token-hard-expires-in'] === 'true';
    const withIdToken =
      body['grant_type'] === 'authorization_code' && result.tokens.grant.scopes.includes('openid');
    return reply
      .header('cache-control', 'no-store')
      .send(await tokenResponse(deps, result.tokens, withHard, withIdToken));
  });

  app.post(PATHS.revoke, async (request, reply) => {
    if (!clientAuthenticated(request, deps))
      return oauthError(reply, 401, 'invalid_client', 'Client authentication failed');
    const token = formParams(request.body)['token'];
    if (!token) return oauthError(reply, 400, 'invalid_request', 'token is required');
    deps.grants.revokeToken(token);
    return reply.code(200).send('');
  });

  app.get(PATHS.userInfo, async (request, reply) => {
    const check = deps.grants.checkAccess(bearerToken(request) ?? '');
    if (!check.ok) return oauthError(reply, 401, 'invalid_token', check.detail);
    const { grant } = check;
    if (!grant.scopes.includes('openid'))
      return oauthError(reply, 403, 'insufficient_scope', 'openid scope required');
    const user = deps.companies.get(grant.realmId)?.info.user;
    const info: Record<string, unknown> = { sub: grant.sub };
    if (user && grant.scopes.includes('email'))
      Object.assign(info, { email: user.email, emailVerified: user.emailVerified });
    if (user && grant.scopes.includes('profile'))
      Object.assign(info, { givenName: user.givenName, familyName: user.familyName });
    return reply.send(info);
  });

  app.get(PATHS.jwks, async () => deps.signer.jwks());

  app.get(PATHS.discovery, async () => {
    const e = deps.endpoints();
    return {
      issuer: INTUIT_ISSUER,
      authorization_endpoint: e.authorize,
      token_endpoint: e.token,
      userinfo_endpoint: e.userInfo,
      revocation_endpoint: e.revoke,
      jwks_uri: e.jwks,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: [...KNOWN_SCOPES],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
      claims_supported: ['aud', 'exp', 'iat', 'iss', 'realmid', 'sub'],
    };
  });
}

async function tokenResponse(deps: OAuthDeps, tokens: IssuedTokens, withHard: boolean, withIdToken: boolean) {
  const response: Record<string, unknown> = {
    x_refresh_token_expires_in: tokens.refreshExpiresIn,
    refresh_token: tokens.refreshToken,
    access_token: tokens.accessToken,
    token_type: 'bearer',
    expires_in: tokens.accessExpiresIn,
  };
  if (withHard) response['x_refresh_token_hard_expires_in'] = tokens.hardExpiresIn;
  if (withIdToken) {
    const { grant } = tokens;
    response['id_token'] = await deps.signer.sign({
      clientId: deps.clientId,
      sub: grant.sub,
      realmId: grant.realmId,
      authTime: grant.authTime,
      now: deps.now(),
    });
  }
  return response;
}
