/**
 * Xero's identity endpoints as openid-client 5 (inside xero-node 20) calls them.
 * - authorize: GET with response_type=code, client_id, redirect_uri, scope, state, optional nonce and
 *   code_challenge. Consent is automatic. Emulator parameters: `user=<email>` picks the consenting user (default:
 *   the first user added), `tenants=<id,id>` the organisations ticked (default: all of the user's), `deny=1`
 *   simulates Cancel. Success redirects to `redirect_uri?code=…&scope=…&state=…&session_state=…`, the parameters
 *   Xero's login service sends. Connections are made at consent when an API scope (not only openid/profile/
 *   email/offline_access) was asked.
 * - token: client_secret_basic (openid-client's default, and what xero-node's tokenRequest sends) or
 *   client_secret_post; form body. Errors are `{"error":"invalid_grant"}` with HTTP 400, as Xero answers.
 * - revocation: form `token=…` (a refresh or access token): revokes the grant and removes its connections; 200.
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
import type { XeroEmulatorEndpoints } from '../types.js';
import type { Directory, User } from './directory.js';
import type { GrantResult, GrantStore, IssuedTokens } from './grants.js';
import type { Signer } from './keys.js';

export interface OAuthDeps {
  clientId: string;
  clientSecret: string;
  redirectUris: string[] | undefined;
  directory: Directory;
  grants: GrantStore;
  signer: Signer;
  now: () => number;
  endpoints: () => XeroEmulatorEndpoints;
}

const IDENTITY_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
const API_SCOPE =
  /^(accounting\.[a-z]+(\.[a-z]+)*|files(\.read)?|assets(\.read)?|projects(\.read)?|payroll\.[a-z.]+)$/;

/** client_secret_basic (URL-encoded id and secret, as openid-client sends them) or client_secret_post. */
function clientAuthenticated(request: FastifyRequest, body: Params, deps: OAuthDeps): boolean {
  const basic = basicCredentials(request);
  if (basic === null) return false;
  const id = basic ? decodeURIComponent(basic.id) : body['client_id'];
  const secret = basic ? decodeURIComponent(basic.secret) : body['client_secret'];
  return (
    id !== undefined &&
    secret !== undefined &&
    safeEqual(id, deps.clientId) &&
    safeEqual(secret, deps.clientSecret)
  );
}

function validRedirect(uri: string, deps: OAuthDeps): boolean {
  if (deps.redirectUris) return deps.redirectUris.includes(uri);
  try {
    return ['http:', 'https:'].includes(new URL(uri).protocol);
  } catch {
    return false;
  }
}

export function registerOAuthRoutes(app: FastifyInstance, deps: OAuthDeps): void {
  app.get(PATHS.authorize, async (request, reply) => {
    const q = request.query as Params;
    if (q['client_id'] !== deps.clientId)
      return oauthError(reply, 400, 'invalid_client', 'Unknown client_id');
    const redirectUri = q['redirect_uri'] ?? '';
    if (!validRedirect(redirectUri, deps))
      return oauthError(reply, 400, 'invalid_request', 'Invalid redirect_uri');
    const target = new URL(redirectUri);
    const fail = (error: string, description: string) => {
      target.searchParams.set('error', error);
      target.searchParams.set('error_description', description);
      if (q['state'] !== undefined) target.searchParams.set('state', q['state']);
      return reply.redirect(target.toString(), 302);
    };
    if (q['response_type'] !== 'code') return fail('unsupported_response_type', 'response_type must be code');
    const scopes = (q['scope'] ?? '').split(/[\s+]+/).filter(Boolean);
    const unknown = scopes.filter((s) => !IDENTITY_SCOPES.has(s) && !API_SCOPE.test(s));
    if (scopes.length === 0 || unknown.length > 0)
      return fail('invalid_scope', `Invalid scope for client: ${unknown.join(' ')}`);
    if (q['deny'] === '1') return fail('access_denied', 'The user cancelled');
    const user: User | undefined = q['user'] ? deps.directory.byEmail(q['user']) : deps.directory.first();
    if (!user)
      return oauthError(reply, 400, 'invalid_request', `No Xero user ${q['user'] ?? ''} in the emulator`);
    const tenantIds = q['tenants']
      ? q['tenants'].split(',').map((t) => t.trim().toLowerCase())
      : [...user.tenantIds];
    const foreign = tenantIds.filter((t) => !user.tenantIds.includes(t));
    if (foreign.length > 0)
      return oauthError(reply, 400, 'invalid_request', `The user cannot access ${foreign.join(',')}`);
    const wantsApi = scopes.some((s) => !IDENTITY_SCOPES.has(s));
    const { code, authEventId, sessionId } = deps.grants.issueCode({
      user,
      tenantIds: wantsApi ? tenantIds : [],
      scopes,
      redirectUri,
      ...(q['code_challenge'] !== undefined
        ? { codeChallenge: q['code_challenge'], codeChallengeMethod: q['code_challenge_method'] ?? 'plain' }
        : {}),
      ...(q['nonce'] !== undefined ? { nonce: q['nonce'] } : {}),
    });
    if (wantsApi) deps.directory.connect(user, tenantIds, authEventId);
    target.searchParams.set('code', code);
    target.searchParams.set('scope', scopes.join(' '));
    if (q['state'] !== undefined) target.searchParams.set('state', q['state']);
    target.searchParams.set('session_state', `${sessionId}.${authEventId.slice(0, 8)}`);
    return reply.redirect(target.toString(), 302);
  });

  app.post(PATHS.token, async (request, reply) => {
    const body = formParams(request.body);
    if (!clientAuthenticated(request, body, deps)) return oauthError(reply, 400, 'invalid_client');
    let result: GrantResult;
    if (body['grant_type'] === 'authorization_code') {
      if (!body['code']) return oauthError(reply, 400, 'invalid_request');
      result = await deps.grants.redeemCode(body['code'], body['redirect_uri'], body['code_verifier']);
    } else if (body['grant_type'] === 'refresh_token') {
      result = await deps.grants.refresh(body['refresh_token']);
    } else {
      return oauthError(reply, 400, 'unsupported_grant_type');
    }
    if (!result.ok) return oauthError(reply, 400, result.error);
    return reply.header('cache-control', 'no-store').send(await tokenResponse(deps, result.tokens));
  });

  app.post(PATHS.revoke, async (request, reply) => {
    const body = formParams(request.body);
    if (!clientAuthenticated(request, body, deps)) return oauthError(reply, 400, 'invalid_client');
    const token = body['token'];
    if (!token) return oauthError(reply, 400, 'invalid_request');
    const grant = deps.grants.grantOf(token);
    if (grant) {
      deps.grants.revokeGrant(grant);
      deps.directory.removeWhere((c) => c.authEventId === grant.authEventId);
    }
    return reply.code(200).send('');
  });

  app.get(PATHS.userInfo, async (request, reply) => {
    const check = deps.grants.checkAccess(bearerToken(request) ?? '');
    if (!check.ok)
      return oauthError(
        reply.header('www-authenticate', 'Bearer error="invalid_token"'),
        401,
        'invalid_token',
      );
    const user = deps.directory.byId(check.grant.userId);
    if (!user || !check.grant.scopes.includes('openid')) return oauthError(reply, 403, 'insufficient_scope');
    return reply.send(userClaims(user, check.grant.scopes));
  });

  app.get(PATHS.jwks, async () => deps.signer.jwks());

  app.get(PATHS.discovery, async () => {
    const e = deps.endpoints();
    return {
      issuer: e.issuer,
      jwks_uri: e.jwks,
      authorization_endpoint: e.authorize,
      token_endpoint: e.token,
      userinfo_endpoint: e.userInfo,
      revocation_endpoint: e.revoke,
      frontchannel_logout_supported: true,
      frontchannel_logout_session_supported: true,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
      scopes_supported: [
        'openid',
        'profile',
        'email',
        'offline_access',
        'accounting.transactions',
        'accounting.contacts',
        'accounting.settings',
      ],
      claims_supported: [
        'sub',
        'xero_userid',
        'global_session_id',
        'email',
        'preferred_username',
        'given_name',
        'family_name',
        'name',
      ],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      response_types_supported: ['code'],
      response_modes_supported: ['form_post', 'query', 'fragment'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['plain', 'S256'],
      request_parameter_supported: true,
    };
  });
}

function userClaims(user: User, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.sub, xero_userid: user.id };
  if (scopes.includes('email')) Object.assign(claims, { email: user.email, preferred_username: user.email });
  if (scopes.includes('profile')) {
    Object.assign(claims, {
      given_name: user.firstName,
      family_name: user.lastName,
      name: `${user.firstName} ${user.lastName}`,
    });
  }
  return claims;
}

async function tokenResponse(deps: OAuthDeps, tokens: IssuedTokens): Promise<Record<string, unknown>> {
  const { grant } = tokens;
  const response: Record<string, unknown> = {};
  if (grant.scopes.includes('openid')) {
    const user = deps.directory.byId(grant.userId);
    response['id_token'] = await deps.signer.idToken({
      issuer: deps.endpoints().issuer,
      clientId: deps.clientId,
      sub: user?.sub ?? grant.userId,
      xeroUserId: grant.userId,
      sessionId: grant.sessionId,
      authTime: grant.authTime,
      accessToken: tokens.accessToken,
      ...(tokens.nonce !== undefined ? { nonce: tokens.nonce } : {}),
      ...(user && grant.scopes.includes('email') ? { email: user.email } : {}),
      ...(user && grant.scopes.includes('profile')
        ? { givenName: user.firstName, familyName: user.lastName }
        : {}),
    });
  }
  response['access_token'] = tokens.accessToken;
  response['expires_in'] = Math.max(0, Math.round((tokens.accessExpiresAt - deps.now()) / 1000));
  response['token_type'] = 'Bearer';
  if (tokens.refreshToken !== undefined) response['refresh_token'] = tokens.refreshToken;
  response['scope'] = grant.scopes.join(' ');
  return response;
}
