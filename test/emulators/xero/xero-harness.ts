/**
 * Drives the Xero emulator through the real xero-node 20 client (and its openid-client 5).
 *
 * Wiring, as Dunwell's connector does it:
 * - `client.openIdClient = new issuer.Client(...)` with `issuer = await Issuer.discover(emulator.url)`;
 * - `client.accountingApi.basePath = emulator.endpoints.apiBase`;
 * - an axios request interceptor that sends xero-node's hard-coded https://api.xero.com (connections) and
 *   https://identity.xero.com (tokenRequest) calls to the emulator. It must sit on the CommonJS axios instance
 *   xero-node `require`s: an ESM `import axios from 'axios'` loads axios's ESM build, a different instance whose
 *   interceptors xero-node never sees.
 */
import { createRequire } from 'node:module';
import type { AxiosStatic, InternalAxiosRequestConfig } from 'axios';
import { custom, Issuer } from 'openid-client';
import { type TokenSet, XeroClient } from 'xero-node';
import {
  createXeroEmulator,
  type OrganisationSeed,
  type XeroEmulator,
  type XeroEmulatorOptions,
} from '../../../emulators/xero/index.js';

export const APP = { clientId: 'dunwell-test-client', clientSecret: 'dunwell-test-secret' };
export const WEBHOOK_KEY = 'dunwell-test-webhook-key';
export const REDIRECT_URI = 'http://localhost:3999/xero/callback';
export const SCOPES = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'accounting.transactions',
  'accounting.contacts',
  'accounting.settings',
];

/** The axios instance xero-node uses (CommonJS). */
export const xeroAxios = createRequire(import.meta.url)('axios') as AxiosStatic;

/** Sends api.xero.com / identity.xero.com requests to the emulator; returns a function that removes the rule. */
export function routeXeroHostsTo(emulator: XeroEmulator): () => void {
  const id = xeroAxios.interceptors.request.use((config: InternalAxiosRequestConfig) => {
    if (typeof config.url === 'string') {
      config.url = config.url.replace(/^https:\/\/(api|identity)\.xero\.com(?=\/)/, emulator.url);
    }
    return config;
  });
  return () => xeroAxios.interceptors.request.eject(id);
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
  options: Partial<XeroEmulatorOptions> = {},
): Promise<{ emulator: XeroEmulator; clock: TestClock; unroute: () => void }> {
  const clock = new TestClock();
  const emulator = createXeroEmulator({ ...APP, webhookKey: WEBHOOK_KEY, now: clock.now, ...options });
  await emulator.listen();
  return { emulator, clock, unroute: routeXeroHostsTo(emulator) };
}

export async function xeroClient(
  emulator: XeroEmulator,
  options: { scopes?: string[]; state?: string } = {},
): Promise<XeroClient> {
  const client = new XeroClient({
    ...APP,
    redirectUris: [REDIRECT_URI],
    scopes: options.scopes ?? SCOPES,
    state: options.state ?? 'state-123',
  });
  const issuer = await Issuer.discover(emulator.url);
  client.openIdClient = new issuer.Client({
    client_id: APP.clientId,
    client_secret: APP.clientSecret,
    redirect_uris: [REDIRECT_URI],
  });
  (client.openIdClient as unknown as Record<symbol, number>)[custom.clock_tolerance] = 5;
  client.accountingApi.basePath = emulator.endpoints.apiBase;
  return client;
}

/** What the browser does: follow the consent URL and hand back the callback URL the emulator redirects to. */
export async function consent(
  consentUrl: string,
  choice: { user?: string; tenants?: string[] } = {},
): Promise<string> {
  const url = new URL(consentUrl);
  if (choice.user) url.searchParams.set('user', choice.user);
  if (choice.tenants) url.searchParams.set('tenants', choice.tenants.join(','));
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) {
    throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
  }
  return location;
}

export interface Connected {
  client: XeroClient;
  tokenSet: TokenSet;
  callbackUrl: string;
}

export async function connect(
  emulator: XeroEmulator,
  choice: { user?: string; tenants?: string[]; scopes?: string[] } = {},
): Promise<Connected> {
  const client = await xeroClient(emulator, choice.scopes ? { scopes: choice.scopes } : {});
  const callbackUrl = await consent(await client.buildConsentUrl(), choice);
  const tokenSet = await client.apiCallback(callbackUrl);
  return { client, tokenSet, callbackUrl };
}

/**
 * The parsed rejection of an accountingApi call: xero-node rejects with a JSON STRING of
 * `{ response: { statusCode, body, headers, request }, body }`.
 */
export interface XeroApiFailure {
  statusCode: number;
  // biome-ignore lint/suspicious/noExplicitAny: wire JSON (or a plain-text body).
  body: any;
  headers: Record<string, string>;
}

export async function apiFailure(promise: Promise<unknown>): Promise<XeroApiFailure> {
  try {
    await promise;
  } catch (error) {
    if (typeof error !== 'string') throw error;
    const parsed = JSON.parse(error) as { response: XeroApiFailure };
    return {
      statusCode: parsed.response.statusCode,
      body: parsed.response.body,
      headers: parsed.response.headers,
    };
  }
  throw new Error('expected the call to fail');
}

/** The HTTP status and body of a failed XeroClient call (updateTenants, disconnect): an AxiosError. */
export async function axiosFailure(promise: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  try {
    await promise;
  } catch (error) {
    const response = (error as { response?: { status: number; data: unknown } }).response;
    if (!response) throw error;
    return { status: response.status, data: response.data };
  }
  throw new Error('expected the call to fail');
}

export const OWNER = { email: 'owner@harness.example', firstName: 'Hana', lastName: 'Harness' };
export const IDS = {
  alpha: '11111111-1111-4111-8111-111111111111',
  beta: '22222222-2222-4222-8222-222222222222',
  gamma: '33333333-3333-4333-8333-333333333333',
  archived: '44444444-4444-4444-8444-444444444444',
  open: 'a0000000-0000-4000-8000-000000000001',
  overdue: 'a0000000-0000-4000-8000-000000000002',
  partial: 'a0000000-0000-4000-8000-000000000003',
  paid: 'a0000000-0000-4000-8000-000000000004',
  draft: 'a0000000-0000-4000-8000-000000000005',
  foreign: 'a0000000-0000-4000-8000-000000000006',
};

export function harnessSeed(today: string, overrides: Partial<OrganisationSeed> = {}): OrganisationSeed {
  const day = (offset: number) =>
    new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  return {
    name: 'Harness Plumbing',
    countryCode: 'NZ',
    user: OWNER,
    contacts: [
      {
        id: IDS.alpha,
        name: 'Alpha Dental',
        emailAddress: 'ap@alpha.example',
        contactPersons: [
          {
            firstName: 'Ana',
            lastName: 'Payables',
            emailAddress: 'ana@alpha.example',
            includeInEmails: true,
          },
        ],
      },
      { id: IDS.beta, name: 'Beta Bakery', emailAddress: null },
      { id: IDS.gamma, name: 'Gamma Garage', emailAddress: 'ap@gamma.example', defaultCurrency: 'AUD' },
      {
        id: IDS.archived,
        name: 'Old Orchard',
        emailAddress: 'old@orchard.example',
        contactStatus: 'ARCHIVED',
      },
    ],
    invoices: [
      { id: IDS.open, contactId: IDS.alpha, total: 40000, dueDate: day(14) },
      { id: IDS.overdue, contactId: IDS.alpha, total: 12550, dueDate: day(-10) },
      { id: IDS.partial, contactId: IDS.beta, total: 70000, amountDue: 20000, dueDate: day(-3) },
      { id: IDS.paid, contactId: IDS.alpha, total: 5000, dueDate: day(-30), status: 'PAID' },
      { id: IDS.draft, contactId: IDS.beta, total: 9999, dueDate: day(20), status: 'DRAFT' },
      { id: IDS.foreign, contactId: IDS.gamma, total: 33300, dueDate: day(-1) },
    ],
    ...overrides,
  };
}
