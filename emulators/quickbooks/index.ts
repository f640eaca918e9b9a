/**
 * A local QuickBooks Online: OAuth 2 / OpenID and the Accounting API over HTTP, with in-memory companies,
 * so the real intuit-oauth and node-quickbooks clients can be tested and benchmarked without Intuit.
 *
 *   const qbo = createQuickBooksEmulator({ clientId, clientSecret, webhookVerifierToken });
 *   await qbo.listen();
 *   const realmId = qbo.addCompany({ name: 'Acme', customers: [...] });
 *   oauthClient.setAuthorizeURLs({ authorizeEndpoint: qbo.endpoints.authorize, tokenEndpoint: qbo.endpoints.token,
 *     revokeEndpoint: qbo.endpoints.revoke, userInfoEndpoint: qbo.endpoints.userInfo });
 *   QuickBooks.V3_ENDPOINT_BASE_URL = qbo.endpoints.apiBase; // before `new QuickBooks(...)`
 */
import { randomInt } from 'node:crypto';
import { applyFaultOptions, type FaultOptions, noFaults } from '../kit/faults.js';
import { EmulatorHost } from '../kit/host.js';
import type { ApiDeps, RuntimeSettings } from './api/pipeline.js';
import { companyChanges } from './changes.js';
import { Counters } from './counters.js';
import { generateSeed } from './generator.js';
import { GrantStore } from './oauth/grants.js';
import { IdTokenSigner } from './oauth/id-token.js';
import { PATHS } from './paths.js';
import { RateLimiter } from './rate-limiter.js';
import { buildServer } from './server.js';
import type { Company } from './store/company.js';
import { Ledger } from './store/ledger.js';
import { buildCompany } from './store/seed.js';
import type {
  EmulatorEndpoints,
  QuickBooksEmulator,
  QuickBooksEmulatorOptions,
  RateLimitOptions,
} from './types.js';
import { companyView } from './view.js';
import { WebhookHub } from './webhooks.js';

export type * from './types.js';
export { signWebhook } from './webhooks.js';

const DEFAULT_REFRESH_TTL_SECONDS = 8_726_400;

interface Settings extends RuntimeSettings {
  perMinute: number;
  concurrent: number;
}

function applyOptions(settings: Settings, rateLimit?: RateLimitOptions, faults?: FaultOptions): void {
  if (rateLimit?.perMinute !== undefined) settings.perMinute = rateLimit.perMinute;
  if (rateLimit?.concurrent !== undefined) settings.concurrent = rateLimit.concurrent;
  if (rateLimit?.xmlFraction !== undefined) settings.xmlFraction = rateLimit.xmlFraction;
  applyFaultOptions(settings, faults);
}

export function createQuickBooksEmulator(options: QuickBooksEmulatorOptions): QuickBooksEmulator {
  const now = options.now ?? Date.now;
  const companies = new Map<string, Company>();
  const ledgers = new Map<string, Ledger>();
  const counters = new Counters();
  const webhooks = new WebhookHub(options.webhookVerifierToken, options.clientId);
  const signer = new IdTokenSigner();
  const grants = new GrantStore(
    {
      accessSeconds: options.accessTokenTtlSeconds ?? 3600,
      refreshSeconds: options.refreshTokenTtlSeconds ?? DEFAULT_REFRESH_TTL_SECONDS,
    },
    now,
  );
  const settings: Settings = { perMinute: 500, concurrent: 10, xmlFraction: 0, ...noFaults() };
  applyOptions(settings, options.rateLimit, options.faults);
  const limiter = new RateLimiter({ perMinute: settings.perMinute, concurrent: settings.concurrent }, now);
  const host = new EmulatorHost();
  const url = () => host.url;

  const endpoints = (): EmulatorEndpoints => ({
    authorize: `${url()}${PATHS.authorize}`,
    token: `${url()}${PATHS.token}`,
    revoke: `${url()}${PATHS.revoke}`,
    userInfo: `${url()}${PATHS.userInfo}`,
    apiBase: `${url()}${PATHS.apiBase}`,
    jwks: `${url()}${PATHS.jwks}`,
    discovery: `${url()}${PATHS.discovery}`,
  });

  const ledgerOf = (realmId: string): Ledger => {
    const ledger = ledgers.get(realmId);
    if (!ledger) throw new Error(`The emulator has no company with realm id ${realmId}`);
    return ledger;
  };

  const api: ApiDeps = {
    companies,
    ledger: ledgerOf,
    grants,
    limiter,
    counters,
    held: host.held,
    settings: () => settings,
    now,
    baseUrl: url,
  };
  const app = buildServer({
    counters,
    logger: options.logger ?? false,
    api,
    oauth: {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      redirectUris: options.redirectUris,
      grants,
      signer,
      now,
      companies,
      endpoints,
    },
  });

  const addCompany: QuickBooksEmulator['addCompany'] = (seed) => {
    const realmId = seed.realmId ?? `9341${String(randomInt(0, 1e12)).padStart(12, '0')}`;
    if (companies.has(realmId)) throw new Error(`A company with realm id ${realmId} exists already`);
    const company = buildCompany(seed, realmId, now());
    companies.set(realmId, company);
    ledgers.set(realmId, new Ledger(company, now, (event) => webhooks.record(event)));
    return realmId;
  };

  host.serve({ app, warmUp: () => signer.jwks(), settle: () => webhooks.idle() });

  return {
    get url() {
      return host.url;
    },
    get endpoints() {
      return endpoints();
    },
    listen: (port) => host.listen(port),
    close: () => host.close(),
    addCompany,
    generateCompany: (generateOptions) => addCompany(generateSeed(generateOptions, now())),
    company: (realmId) => companyView(ledgerOf(realmId).company),
    changes: (realmId) => companyChanges(ledgerOf(realmId)),
    revokeRealm: (realmId) => grants.revokeRealm(realmId),
    setWebhookTarget: (target) => webhooks.setTarget(target),
    deliverWebhooks: (deliverOptions) => webhooks.deliver(deliverOptions),
    counters: () => counters.snapshot(),
    resetCounters: () => counters.reset(),
    configure({ rateLimit, faults }) {
      applyOptions(settings, rateLimit, faults);
      limiter.configure({ perMinute: settings.perMinute, concurrent: settings.concurrent });
    },
    realms: () => [...companies.keys()],
  };
}
