/**
 * Drives the QuickBooks emulator through the real client libraries: intuit-oauth for the OAuth dance and
 * node-quickbooks for the Accounting API. Both keep endpoints in static fields shared by the whole process,
 * so each test file points them at its emulator and puts the originals back afterwards (`restoreClientStatics`).
 */
import OAuthClient from 'intuit-oauth';
import nodeQuickBooks, { type QuickBooks as QuickBooksClient } from 'node-quickbooks';
import {
  createQuickBooksEmulator,
  type QuickBooksEmulator,
  type QuickBooksEmulatorOptions,
} from '../../emulators/quickbooks/index.js';

// node-quickbooks is CommonJS (module.exports is the class) while its types declare an ES default.
const QuickBooks = nodeQuickBooks as unknown as typeof QuickBooksClient;

export const APP = { clientId: 'dunwell-test-client', clientSecret: 'dunwell-test-secret' };
export const VERIFIER = 'dunwell-test-verifier';
export const REDIRECT_URI = 'http://localhost:3999/quickbooks/callback';
export const ALL_SCOPES = ['com.intuit.quickbooks.accounting', 'openid', 'profile', 'email'];

const originals = {
  authorize: OAuthClient.authorizeEndpoint,
  token: OAuthClient.tokenEndpoint,
  revoke: OAuthClient.revokeEndpoint,
  userInfo: OAuthClient.userinfo_endpoint_sandbox,
  jwks: OAuthClient.jwks_uri,
  v3: QuickBooks.V3_ENDPOINT_BASE_URL,
  tokenUrl: QuickBooks.TOKEN_URL,
  revokeUrl: QuickBooks.REVOKE_URL,
};

export function restoreClientStatics(): void {
  OAuthClient.authorizeEndpoint = originals.authorize;
  OAuthClient.tokenEndpoint = originals.token;
  OAuthClient.revokeEndpoint = originals.revoke;
  OAuthClient.userinfo_endpoint_sandbox = originals.userInfo;
  OAuthClient.jwks_uri = originals.jwks;
  QuickBooks.V3_ENDPOINT_BASE_URL = originals.v3;
  QuickBooks.TOKEN_URL = originals.tokenUrl;
  QuickBooks.REVOKE_URL = originals.revokeUrl;
}

/** A clock the tests move forward; starts at the real time so the libraries' own expiry checks agree. */
export class TestClock {
  private offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;
  advanceSeconds(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export async function startEmulator(
  options: Partial<QuickBooksEmulatorOptions> = {},
): Promise<{ emulator: QuickBooksEmulator; clock: TestClock }> {
  const clock = new TestClock();
  const emulator = createQuickBooksEmulator({
    ...APP,
    webhookVerifierToken: VERIFIER,
    now: clock.now,
    ...options,
  });
  await emulator.listen();
  return { emulator, clock };
}

export function oauthClient(
  emulator: QuickBooksEmulator,
  extra: { includeRefreshTokenHardExpiresIn?: boolean } = {},
) {
  const client = new OAuthClient({ ...APP, environment: 'sandbox', redirectUri: REDIRECT_URI, ...extra });
  const { endpoints } = emulator;
  client.setAuthorizeURLs({
    authorizeEndpoint: endpoints.authorize,
    tokenEndpoint: endpoints.token,
    revokeEndpoint: endpoints.revoke,
    userInfoEndpoint: endpoints.userInfo,
  });
  return client;
}

/** What the browser does: follow the authorize URL and hand back the callback URL the emulator redirects to. */
export async function consent(authorizeUrl: string, realmId?: string): Promise<string> {
  const url = new URL(authorizeUrl);
  if (realmId) url.searchParams.set('realm_id', realmId);
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) {
    throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
  }
  return location;
}

export async function connect(emulator: QuickBooksEmulator, realmId?: string, scopes = ALL_SCOPES) {
  const client = oauthClient(emulator);
  const callbackUrl = await consent(client.authorizeUri({ scope: scopes, state: 'state-123' }), realmId);
  await client.createToken(callbackUrl);
  const token = client.getToken();
  return { client, callbackUrl, token, accessToken: token.access_token, refreshToken: token.refresh_token };
}

export function quickbooks(
  emulator: QuickBooksEmulator,
  realmId: string,
  accessToken: string,
  refreshToken?: string,
) {
  QuickBooks.V3_ENDPOINT_BASE_URL = emulator.endpoints.apiBase;
  QuickBooks.TOKEN_URL = emulator.endpoints.token;
  QuickBooks.REVOKE_URL = emulator.endpoints.revoke;
  return new QuickBooks(
    APP.clientId,
    APP.clientSecret,
    accessToken,
    false,
    realmId,
    false,
    false,
    '75',
    '2.0',
    refreshToken ?? null,
  );
}

/** An API client already connected to `realmId`. */
export async function connectedQuickbooks(emulator: QuickBooksEmulator, realmId: string) {
  const { accessToken, refreshToken } = await connect(emulator, realmId);
  return quickbooks(emulator, realmId, accessToken, refreshToken);
}

// node-quickbooks' callbacks carry loose types; the tests read wire JSON through this alias.
// biome-ignore lint/suspicious/noExplicitAny: wire JSON from the library.
export type Json = any;

/** node-quickbooks is callback based: `(err, data)`. On HTTP errors `err` is an AxiosError. */
export function call(run: (callback: (err: unknown, data?: unknown) => void) => void): Promise<Json> {
  return new Promise((resolve, reject) => {
    run((err, data) => (err ? reject(err) : resolve(data)));
  });
}

/** The HTTP status and body of a failed node-quickbooks call. */
export async function failure(promise: Promise<unknown>): Promise<{ status: number; body: Json }> {
  try {
    await promise;
  } catch (error) {
    const response = (error as { response?: { status: number; data: unknown } }).response;
    if (!response) throw error;
    return { status: response.status, body: response.data };
  }
  throw new Error('expected the call to fail');
}

export const demoSeed = {
  name: 'Harness Plumbing',
  user: { email: 'owner@harness.example', givenName: 'Hana', familyName: 'Harness' },
  customers: [
    { id: '1', displayName: 'Alpha Dental', email: 'ap@alpha.example' },
    { id: '2', displayName: 'Beta Bakery', email: null },
    { id: '3', displayName: 'Gamma Garage', email: 'ap@gamma.example', currency: 'CAD' },
  ],
  invoices: [
    { id: '10', customerId: '1', total: 12550, status: 'overdue' as const },
    { id: '11', customerId: '1', total: 40000, status: 'open' as const },
    { id: '12', customerId: '2', total: 9999, status: 'overdue' as const },
    { id: '13', customerId: '1', total: 5000, status: 'paid' as const },
    { id: '14', customerId: '3', total: 70000, balance: 20000, status: 'partial' as const },
  ],
};
