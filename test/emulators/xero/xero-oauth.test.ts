/** Identity and connections through the real xero-node 20 / openid-client 5 clients. */
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XeroEmulator } from '../../../emulators/xero/index.js';
import {
  APP,
  apiFailure,
  axiosFailure,
  connect,
  consent,
  harnessSeed,
  OWNER,
  REDIRECT_URI,
  startEmulator,
  type TestClock,
  xeroClient,
} from './xero-harness.js';

let emulator: XeroEmulator;
let clock: TestClock;
let unroute: () => void;
let tenantA: string;
let tenantB: string;
let tenantC: string;
const today = new Date().toISOString().slice(0, 10);
const TWO_ORGS = { email: 'two@orgs.example', firstName: 'Tui', lastName: 'Two' };

beforeAll(async () => {
  ({ emulator, clock, unroute } = await startEmulator());
  tenantA = emulator.addOrganisation(harnessSeed(today));
  tenantB = emulator.addOrganisation(harnessSeed(today, { name: 'Second Org Ltd', user: TWO_ORGS }));
  tenantC = emulator.addOrganisation(
    harnessSeed(today, { name: 'Third Org Ltd', user: TWO_ORGS, countryCode: 'AU' }),
  );
});

afterAll(async () => {
  unroute();
  await emulator.close();
});

describe('discovery', () => {
  it('serves an OpenID configuration whose issuer is the emulator and a JWKS', async () => {
    const config = (await (await fetch(`${emulator.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      issuer: emulator.url,
      authorization_endpoint: emulator.endpoints.authorize,
      token_endpoint: emulator.endpoints.token,
      jwks_uri: emulator.endpoints.jwks,
      revocation_endpoint: emulator.endpoints.revoke,
    });
    const jwks = (await (await fetch(emulator.endpoints.jwks)).json()) as {
      keys: { kty: string; alg: string }[];
    };
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
  });
});

describe('consent and tokens with xero-node', () => {
  it('redirects with code, scope, state and session_state, and apiCallback returns verified tokens', async () => {
    const { tokenSet, callbackUrl } = await connect(emulator);
    const callback = new URL(callbackUrl);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe('state-123');
    expect(callback.searchParams.get('scope')).toContain('accounting.transactions');
    expect(callback.searchParams.get('session_state')).toBeTruthy();
    expect(tokenSet.token_type).toBe('Bearer');
    expect(tokenSet.expires_in).toBeGreaterThan(1790);
    expect(tokenSet.refresh_token).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenSet.claims()).toMatchObject({
      email: OWNER.email,
      given_name: 'Hana',
      family_name: 'Harness',
    });
    const { payload } = await jwtVerify(
      tokenSet.id_token as string,
      createRemoteJWKSet(new URL(emulator.endpoints.jwks)),
      {
        issuer: emulator.url,
        audience: APP.clientId,
      },
    );
    expect(typeof payload['xero_userid']).toBe('string');
    const access = decodeJwt(tokenSet.access_token as string);
    expect(access).toMatchObject({
      client_id: APP.clientId,
      iss: emulator.url,
      scope: expect.arrayContaining(['accounting.transactions']),
    });
  });

  it('omits the refresh token without offline_access and checks PKCE when a challenge was sent', async () => {
    const { tokenSet } = await connect(emulator, { scopes: ['openid', 'email', 'accounting.transactions'] });
    expect(tokenSet.refresh_token).toBeUndefined();

    const client = await xeroClient(emulator);
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const url = client.openIdClient.authorizationUrl({
      redirect_uri: REDIRECT_URI,
      scope: 'openid offline_access accounting.transactions',
      state: 'pkce',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const callback = await consent(url);
    const params = client.openIdClient.callbackParams(callback);
    await expect(
      client.openIdClient.callback(REDIRECT_URI, params, { state: 'pkce', code_verifier: 'wrong' }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    const retry = client.openIdClient.callbackParams(await consent(url));
    const tokens = await client.openIdClient.callback(REDIRECT_URI, retry, {
      state: 'pkce',
      code_verifier: verifier,
    });
    expect(tokens.access_token).toBeTruthy();
  });

  it('refuses an authorization code used twice, an unknown client and an unknown scope', async () => {
    const { client, callbackUrl } = await connect(emulator);
    await expect(client.apiCallback(callbackUrl)).rejects.toMatchObject({ error: 'invalid_grant' });
    const url = new URL(await client.buildConsentUrl());
    url.searchParams.set('scope', 'openid accounting.everything-please');
    const location = new URL(await consent(url.toString()));
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    url.searchParams.set('client_id', 'someone-else');
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(400);
  });

  it('serves userinfo for the token', async () => {
    const { client, tokenSet } = await connect(emulator);
    const info = await client.openIdClient.userinfo(tokenSet.access_token as string);
    expect(info).toMatchObject({ email: OWNER.email, given_name: 'Hana', family_name: 'Harness' });
  });
});

describe('tenants', () => {
  it('a user with two organisations: updateTenants(false) lists both, `tenants=` narrows the consent', async () => {
    const both = await connect(emulator, { user: TWO_ORGS.email });
    const tenants = await both.client.updateTenants(false);
    expect(tenants.map((t: { tenantId: string }) => t.tenantId).sort()).toEqual([tenantB, tenantC].sort());
    expect(tenants[0]).toMatchObject({ tenantType: 'ORGANISATION', authEventId: expect.any(String) });
    expect(tenants.map((t: { tenantName: string }) => t.tenantName).sort()).toEqual([
      'Second Org Ltd',
      'Third Org Ltd',
    ]);

    const narrow = await connect(emulator, { user: 'owner@harness.example', tenants: [tenantA] });
    const listed = await narrow.client.updateTenants(false);
    expect(listed.map((t: { tenantId: string }) => t.tenantId)).toEqual([tenantA]);
    const orgs = await narrow.client.accountingApi.getOrganisations(tenantA);
    expect(orgs.body.organisations?.[0]?.name).toBe('Harness Plumbing');
  });

  it('disconnect(connectionId) removes the connection; its tenant then answers 403', async () => {
    const user = { email: 'leaver@example.com', firstName: 'Lee', lastName: 'Ver' };
    const leaving = emulator.addOrganisation(harnessSeed(today, { name: 'Leaving Ltd', user }));
    const { client } = await connect(emulator, { user: user.email });
    const [tenant] = await client.updateTenants(false);
    await client.disconnect(tenant.id);
    expect(await client.updateTenants(false)).toEqual([]);
    const failure = await apiFailure(client.accountingApi.getInvoices(leaving));
    expect(failure.statusCode).toBe(403);
    expect(failure.body).toMatchObject({
      Title: 'Forbidden',
      Status: 403,
      Detail: 'AuthenticationUnsuccessful',
    });
    expect((await axiosFailure(client.disconnect(tenant.id))).status).toBe(404);
  });

  it('disconnectTenant (the user removes the app in Xero) → 403 and gone from /connections', async () => {
    const user = { email: 'remover@example.com', firstName: 'Rem', lastName: 'Over' };
    const removed = emulator.addOrganisation(harnessSeed(today, { name: 'Removed Ltd', user }));
    const { client } = await connect(emulator, { user: user.email });
    await expect(client.accountingApi.getOrganisations(removed)).resolves.toBeTruthy();
    emulator.disconnectTenant(removed);
    expect(await client.updateTenants(false)).toEqual([]);
    expect((await apiFailure(client.accountingApi.getOrganisations(removed))).statusCode).toBe(403);
  });

  it('a tenant the token was never granted → 403', async () => {
    const { client } = await connect(emulator);
    const failure = await apiFailure(client.accountingApi.getInvoices(tenantB));
    expect(failure.statusCode).toBe(403);
  });
});

describe('refresh rotation with the 30-minute grace', () => {
  it('rotates on every refresh; the old token gives the same pair within the grace, invalid_grant after', async () => {
    const { client, tokenSet } = await connect(emulator);
    const first = tokenSet.refresh_token as string;
    const rotated = await client.refreshWithRefreshToken(APP.clientId, APP.clientSecret, first);
    expect(rotated.refresh_token).not.toBe(first);
    clock.advanceSeconds(10 * 60);
    const retried = await client.openIdClient.refresh(first);
    expect(retried.refresh_token).toBe(rotated.refresh_token);
    expect(retried.access_token).toBe(rotated.access_token);
    clock.advanceSeconds(21 * 60);
    await expect(client.openIdClient.refresh(first)).rejects.toMatchObject({ error: 'invalid_grant' });
    const third = await client.openIdClient.refresh(rotated.refresh_token as string);
    expect(third.refresh_token).not.toBe(rotated.refresh_token);
    const failure = await axiosFailure(client.refreshWithRefreshToken(APP.clientId, APP.clientSecret, first));
    expect(failure).toEqual({ status: 400, data: { error: 'invalid_grant' } });
  });

  it('an expired access token → 401 TokenExpired; refreshing brings access back', async () => {
    const { client } = await connect(emulator);
    await client.accountingApi.getOrganisations(tenantA);
    clock.advanceSeconds(1801);
    const failure = await apiFailure(client.accountingApi.getOrganisations(tenantA));
    expect(failure.statusCode).toBe(401);
    expect(failure.body).toMatchObject({ Type: null, Title: 'Unauthorized', Status: 401 });
    expect(failure.body.Detail).toMatch(/^TokenExpired: token expired at \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/);
    await client.refreshToken();
    await expect(client.accountingApi.getOrganisations(tenantA)).resolves.toBeTruthy();
  });

  it('revokeToken() kills the grant and its connections; revokeUser() kills every grant of the user', async () => {
    const { client } = await connect(emulator);
    const saved = client.readTokenSet();
    await client.revokeToken();
    await expect(client.openIdClient.refresh(saved.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    client.setTokenSet(saved);
    expect((await apiFailure(client.accountingApi.getOrganisations(tenantA))).body.Detail).toBe(
      'AuthenticationUnsuccessful',
    );

    const one = await connect(emulator);
    const two = await connect(emulator);
    emulator.revokeUser(OWNER.email);
    for (const { client: c, tokenSet } of [one, two]) {
      await expect(c.openIdClient.refresh(tokenSet.refresh_token as string)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
      expect((await apiFailure(c.accountingApi.getOrganisations(tenantA))).statusCode).toBe(401);
    }
  });

  it('a missing scope → 401 AuthorizationUnsuccessful', async () => {
    const { client } = await connect(emulator, {
      scopes: ['openid', 'offline_access', 'accounting.transactions'],
    });
    const failure = await apiFailure(client.accountingApi.getContacts(tenantA));
    expect(failure.statusCode).toBe(401);
    expect(failure.body.Detail).toBe('AuthorizationUnsuccessful');
  });
});
