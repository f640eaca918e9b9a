/** The emulator through the real intuit-oauth and node-quickbooks clients: OAuth, tokens and reads. */
import { createHash } from 'node:crypto';
import OAuthClient from 'intuit-oauth';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuickBooksEmulator } from '../../emulators/quickbooks/index.js';
import {
  ALL_SCOPES,
  APP,
  call,
  connect,
  connectedQuickbooks,
  consent,
  demoSeed,
  failure,
  oauthClient,
  quickbooks,
  REDIRECT_URI,
  restoreClientStatics,
  startEmulator,
  type TestClock,
} from './qbo-harness.js';

let emulator: QuickBooksEmulator;
let clock: TestClock;
let realmId: string;
let bigRealmId: string;

beforeAll(async () => {
  ({ emulator, clock } = await startEmulator());
  realmId = emulator.addCompany(demoSeed);
  bigRealmId = emulator.generateCompany({ customers: 300, openInvoices: 2345, paidInvoices: 400, seed: 7 });
});

afterAll(async () => {
  await emulator.close();
  restoreClientStatics();
});

describe('OAuth with intuit-oauth', () => {
  it('authorizes, exchanges the code and returns tokens for the chosen realm', async () => {
    const { callbackUrl, token } = await connect(emulator, realmId);
    const callback = new URL(callbackUrl);
    expect(callback.searchParams.get('state')).toBe('state-123');
    expect(callback.searchParams.get('realmId')).toBe(realmId);
    expect(token.realmId).toBe(realmId);
    expect(token.token_type).toBe('bearer');
    expect(token.expires_in).toBe(3600);
    expect(token.x_refresh_token_expires_in).toBe(8_726_400);
    expect(token.x_refresh_token_hard_expires_in).toBe(0);
    expect(token.id_token).not.toBe('');
  });

  it('defaults to the first company and reports the hard expiry when asked', async () => {
    const client = oauthClient(emulator, { includeRefreshTokenHardExpiresIn: true });
    const callbackUrl = await consent(client.authorizeUri({ scope: ALL_SCOPES, state: 's' }));
    await client.createToken(callbackUrl);
    expect(client.getToken().realmId).toBe(emulator.realms()[0]);
    expect(client.getToken().x_refresh_token_hard_expires_in).toBeGreaterThan(4 * 365 * 86_400);
  });

  it('signs an id_token that jose and intuit-oauth both verify against the JWKS', async () => {
    const { client, token } = await connect(emulator, realmId);
    const { payload } = await jwtVerify(
      token.id_token,
      createRemoteJWKSet(new URL(emulator.endpoints.jwks)),
      {
        issuer: 'https://oauth.platform.intuit.com/op/v1',
        audience: APP.clientId,
      },
    );
    expect(payload['realmid']).toBe(realmId);
    expect(typeof payload.sub).toBe('string');
    expect(typeof payload['auth_time']).toBe('number');
    const saved = OAuthClient.jwks_uri;
    OAuthClient.jwks_uri = emulator.endpoints.jwks;
    try {
      await expect(client.validateIdToken()).resolves.toBe(true);
    } finally {
      OAuthClient.jwks_uri = saved;
    }
  });

  it('serves userinfo for the connected user', async () => {
    const { client } = await connect(emulator, realmId);
    const response = await client.getUserInfo();
    expect(response.json).toMatchObject({
      email: 'owner@harness.example',
      emailVerified: true,
      givenName: 'Hana',
      familyName: 'Harness',
    });
    expect(typeof response.json.sub).toBe('string');
  });

  it('refuses an authorization code used twice', async () => {
    const { client, callbackUrl } = await connect(emulator, realmId);
    await expect(client.createToken(callbackUrl)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses an unknown client, or neither the accounting nor the openid scope, with an OAuth error', async () => {
    const client = oauthClient(emulator);
    const noAccounting = new URL(client.authorizeUri({ scope: ['profile'], state: 's' }));
    const response = await fetch(noAccounting, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_scope' });
    // "Sign in with Intuit" asks for openid alone: consent, but no company (no realmId).
    const signIn = new URL(client.authorizeUri({ scope: ['openid', 'email'], state: 's' }));
    const signedIn = await fetch(signIn, { redirect: 'manual' });
    expect(signedIn.status).toBe(302);
    const callback = new URL(signedIn.headers.get('location') ?? '');
    expect(callback.searchParams.get('code')).toBeTruthy();
    expect(callback.searchParams.has('realmId')).toBe(false);
    noAccounting.searchParams.set('client_id', 'someone-else');
    noAccounting.searchParams.set('scope', ALL_SCOPES.join(' '));
    const wrongClient = await fetch(noAccounting, { redirect: 'manual' });
    expect(wrongClient.status).toBe(400);
    expect(await wrongClient.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('rotates refresh tokens and refuses the previous one', async () => {
    const { client, refreshToken: first } = await connect(emulator, realmId);
    await client.refresh();
    const second = client.getToken().refresh_token;
    expect(second).not.toBe(first);
    await expect(client.refreshUsingToken(first)).rejects.toMatchObject({ error: 'invalid_grant' });
    await client.refreshUsingToken(second);
    const qbo = quickbooks(emulator, realmId, client.getToken().access_token);
    await expect(call((cb) => qbo.getInvoice('10', cb))).resolves.toMatchObject({ Id: '10' });
  });

  it('refreshes through node-quickbooks (form body) too', async () => {
    const qbo = await connectedQuickbooks(emulator, realmId);
    const before = qbo.refreshToken;
    const refreshed = await call((cb) => qbo.refreshAccessToken(cb));
    expect(refreshed.refresh_token).not.toBe(before);
    expect(qbo.token).toBe(refreshed.access_token);
    await expect(call((cb) => qbo.getCustomer('1', cb))).resolves.toMatchObject({
      DisplayName: 'Alpha Dental',
    });
  });

  it('answers 401 with Intuit’s auth fault once the access token has expired', async () => {
    const { client, accessToken, refreshToken } = await connect(emulator, realmId);
    const qbo = quickbooks(emulator, realmId, accessToken, refreshToken);
    clock.advanceSeconds(3601);
    const { status, body } = await failure(call((cb) => qbo.getInvoice('10', cb)));
    expect(status).toBe(401);
    expect(body.fault.type).toBe('AUTHENTICATION');
    expect(body.fault.error[0]).toMatchObject({
      code: '3200',
      message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
    });
    await client.refresh();
    const fresh = quickbooks(emulator, realmId, client.getToken().access_token);
    await expect(call((cb) => fresh.getInvoice('10', cb))).resolves.toMatchObject({ Id: '10' });
  });

  it('revokes the whole grant (intuit-oauth JSON body)', async () => {
    const { client, accessToken, refreshToken } = await connect(emulator, realmId);
    await client.revoke({ refresh_token: refreshToken });
    const qbo = quickbooks(emulator, realmId, accessToken);
    expect((await failure(call((cb) => qbo.getInvoice('10', cb)))).status).toBe(401);
    await expect(client.refreshUsingToken(refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('revokes through node-quickbooks (form body)', async () => {
    const qbo = await connectedQuickbooks(emulator, realmId);
    const accessToken = qbo.token;
    await call((cb) => qbo.revokeAccess(true, cb));
    const stale = quickbooks(emulator, realmId, accessToken);
    expect((await failure(call((cb) => stale.getInvoice('10', cb)))).status).toBe(401);
  });

  it('stops every token of a realm the user disconnected', async () => {
    const otherRealm = emulator.addCompany({ ...demoSeed, name: 'Disconnecting Co' });
    const { client, accessToken } = await connect(emulator, otherRealm);
    emulator.revokeRealm(otherRealm);
    const qbo = quickbooks(emulator, otherRealm, accessToken);
    expect((await failure(call((cb) => qbo.getInvoice('10', cb)))).status).toBe(401);
    await expect(client.refresh()).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('honours PKCE when a client sends code_challenge (intuit-oauth does not)', async () => {
    const verifier = 'a-verifier-that-is-long-enough-for-pkce-0123456789';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const client = oauthClient(emulator);
    const authorize = new URL(client.authorizeUri({ scope: ALL_SCOPES, state: 'p' }));
    authorize.searchParams.set('code_challenge', challenge);
    authorize.searchParams.set('code_challenge_method', 'S256');
    const exchange = async (codeVerifier: string) => {
      const code = new URL(await consent(authorize.toString(), realmId)).searchParams.get('code') ?? '';
      const basic = Buffer.from(`${APP.clientId}:${APP.clientSecret}`).toString('base64');
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
      });
      body.set('code_verifier', codeVerifier);
      return fetch(emulator.endpoints.token, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}` },
        body,
      });
    };
    expect((await exchange('wrong')).status).toBe(400);
    expect((await exchange(verifier)).status).toBe(200);
  });

  it('answers 403 when a token is used for another realm', async () => {
    const { accessToken } = await connect(emulator, realmId);
    const qbo = quickbooks(emulator, bigRealmId, accessToken);
    const { status, body } = await failure(call((cb) => qbo.getInvoice('1', cb)));
    expect(status).toBe(403);
    expect(body.fault.error[0].code).toBe('3100');
  });
});

describe('refresh token lifetime', () => {
  it('refuses a refresh token older than its 100 days', async () => {
    const { client, refreshToken } = await connect(emulator, realmId);
    clock.advanceSeconds(8_726_400 + 1);
    await expect(client.refreshUsingToken(refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});

describe('reads with node-quickbooks', () => {
  it('pages through more than 1000 invoices with fetchAll', async () => {
    const qbo = await connectedQuickbooks(emulator, bigRealmId);
    emulator.resetCounters();
    const data = await call((cb) =>
      qbo.findInvoices(
        [
          { field: 'Balance', value: '0', operator: '>' },
          { field: 'fetchAll', value: true },
        ],
        cb,
      ),
    );
    const invoices = data.QueryResponse.Invoice;
    expect(invoices).toHaveLength(2345);
    expect(new Set(invoices.map((i: { Id: string }) => i.Id)).size).toBe(2345);
    expect(invoices.every((i: { Balance: number }) => i.Balance > 0)).toBe(true);
    expect(emulator.counters().byKind.query).toBe(3);
    expect(emulator.counters().byRealm[bigRealmId]).toBe(3);
  });

  it('counts, filters with IN and orders', async () => {
    const qbo = await connectedQuickbooks(emulator, bigRealmId);
    const count = await call((cb) => qbo.findInvoices({ count: true }, cb));
    expect(count.QueryResponse.totalCount).toBe(2745);
    const some = await call((cb) =>
      qbo.findInvoices(
        [
          { field: 'Id', value: ['3', '1', '2'], operator: 'IN' },
          { field: 'desc', value: 'Id' },
        ],
        cb,
      ),
    );
    expect(some.QueryResponse.Invoice.map((i: { Id: string }) => i.Id)).toEqual(['3', '2', '1']);
    expect(some.QueryResponse.maxResults).toBe(3);
    const none = await call((cb) => qbo.findInvoices({ DocNumber: 'no-such-number' }, cb));
    expect(none.QueryResponse).toEqual({});
  });

  it('returns only active customers unless Active is asked for', async () => {
    emulator.changes(realmId).deactivateCustomer('2');
    const qbo = await connectedQuickbooks(emulator, realmId);
    const active = await call((cb) => qbo.findCustomers(cb));
    expect(active.QueryResponse.Customer.map((c: { Id: string }) => c.Id)).toEqual(['1', '3']);
    const inactive = await call((cb) => qbo.findCustomers({ Active: false }, cb));
    expect(inactive.QueryResponse.Customer.map((c: { Id: string }) => c.Id)).toEqual(['2']);
  });

  it('answers query syntax errors with a 4000 QueryParserError fault', async () => {
    const qbo = await connectedQuickbooks(emulator, realmId);
    // node-quickbooks passes a string criterion through verbatim (its types only admit objects).
    const syntax = await failure(call((cb) => qbo.findInvoices('where Balance ~ 3' as never, cb)));
    expect(syntax.status).toBe(400);
    expect(syntax.body.Fault.Error[0].code).toBe('4000');
    expect(syntax.body.Fault.Error[0].Detail).toMatch(/^QueryParserError: /);
    const property = await failure(call((cb) => qbo.findInvoices({ Colour: 'red' }, cb)));
    expect(property.body.Fault.Error[0]).toMatchObject({ code: '4001', Message: 'Invalid query' });
  });

  it('reads an invoice with decimal amounts and, when asked, its InvoiceLink', async () => {
    const qbo = await connectedQuickbooks(emulator, realmId);
    const invoice = await call((cb) => qbo.getInvoice('10?include=invoiceLink', cb));
    expect(invoice).toMatchObject({
      Id: '10',
      TotalAmt: 125.5,
      Balance: 125.5,
      BillEmail: { Address: 'ap@alpha.example' },
    });
    expect(invoice.InvoiceLink).toMatch(new RegExp(`^${emulator.url}/portal/invoice/${realmId}/10/`));
    const page = await fetch(invoice.InvoiceLink);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Balance due: 125.5 USD');
    const withoutEmail = await call((cb) => qbo.getInvoice('12?include=invoiceLink', cb));
    expect(withoutEmail.InvoiceLink).toBeUndefined();
    const plain = await call((cb) => qbo.getInvoice('10', cb));
    expect(plain.InvoiceLink).toBeUndefined();
  });

  it('keeps seeded books consistent: partial and paid invoices have payments', async () => {
    const qbo = await connectedQuickbooks(emulator, realmId);
    const partial = await call((cb) => qbo.getInvoice('14', cb));
    expect(partial).toMatchObject({ TotalAmt: 700, Balance: 200, CurrencyRef: { value: 'CAD' } });
    expect(partial.LinkedTxn).toHaveLength(1);
    const payment = await call((cb) => qbo.getPayment(partial.LinkedTxn[0].TxnId, cb));
    expect(payment).toMatchObject({ TotalAmt: 500, UnappliedAmt: 0, CustomerRef: { value: '3' } });
    const customer = await call((cb) => qbo.getCustomer('1', cb));
    expect(customer.Balance).toBe(525.5);
  });

  it('answers 400 for an unknown invoice and for a minorversion below 75', async () => {
    const qbo = await connectedQuickbooks(emulator, realmId);
    const missing = await failure(call((cb) => qbo.getInvoice('999', cb)));
    expect(missing.body.Fault.Error[0]).toMatchObject({ code: '610', Message: 'Object Not Found' });
    qbo.minorversion = '65';
    const old = await failure(call((cb) => qbo.getInvoice('10', cb)));
    expect(old.status).toBe(400);
    expect(old.body.Fault.Error[0].Detail).toMatch(/minorversion/);
  });

  it('serves CompanyInfo', async () => {
    const qbo = await connectedQuickbooks(emulator, realmId);
    const info = await call((cb) => qbo.getCompanyInfo(realmId, cb));
    expect(info).toMatchObject({ CompanyName: 'Harness Plumbing', Country: 'US' });
  });
});
