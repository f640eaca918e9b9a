/**
 * A local Xero: the identity service (OpenID Connect, OAuth 2 with rotating refresh tokens), the connections API
 * and the Accounting API over HTTP, with in-memory organisations, so the real xero-node client can be tested and
 * benchmarked without Xero.
 *
 *   const xero = createXeroEmulator({ clientId, clientSecret, webhookKey });
 *   await xero.listen();
 *   const tenantId = xero.addOrganisation({ name: 'Acme', user: {...}, contacts: [...] });
 *   const issuer = await Issuer.discover(xero.url);               // openid-client 5
 *   client.openIdClient = new issuer.Client({ client_id, client_secret, redirect_uris });
 *   client.accountingApi.basePath = xero.endpoints.apiBase;
 * See README.md for the axios interceptor that sends api.xero.com / identity.xero.com calls here.
 */
import { applyFaultOptions, type FaultOptions, type FaultSettings, noFaults } from '../kit/faults.js';
import { EmulatorHost } from '../kit/host.js';
import type { ApiDeps } from './api/pipeline.js';
import { organisationChanges } from './changes.js';
import { Counters } from './counters.js';
import { generateSeed } from './generator.js';
import { Directory } from './oauth/directory.js';
import { GrantStore } from './oauth/grants.js';
import { Signer } from './oauth/keys.js';
import { PATHS } from './paths.js';
import { DEFAULT_LIMITS, type Limits, RateLimiter } from './rate-limiter.js';
import { buildServer } from './server.js';
import type { Ledger } from './store/ledger.js';
import type { Organisation } from './store/model.js';
import { buildOrganisation } from './store/seed.js';
import type { RateLimitOptions, XeroEmulator, XeroEmulatorEndpoints, XeroEmulatorOptions } from './types.js';
import { organisationView } from './view.js';
import { WebhookHub } from './webhooks.js';

export type * from './types.js';
export { signXeroWebhook } from './webhooks.js';

const DEFAULT_REFRESH_TTL_SECONDS = 60 * 86_400;

function applyOptions(
  limits: Limits,
  settings: FaultSettings,
  rateLimit?: RateLimitOptions,
  faults?: FaultOptions,
) {
  for (const key of ['perMinute', 'concurrent', 'perDay', 'appPerMinute'] as const) {
    const value = rateLimit?.[key];
    if (value !== undefined) limits[key] = value;
  }
  applyFaultOptions(settings, faults);
}

export function createXeroEmulator(options: XeroEmulatorOptions): XeroEmulator {
  const now = options.now ?? Date.now;
  const orgs = new Map<string, Organisation>();
  const ledgers = new Map<string, Ledger>();
  const counters = new Counters();
  const directory = new Directory(now);
  const signer = new Signer();
  const host = new EmulatorHost();
  const url = () => host.url;

  const endpoints = (): XeroEmulatorEndpoints => ({
    issuer: url(),
    authorize: `${url()}${PATHS.authorize}`,
    token: `${url()}${PATHS.token}`,
    revoke: `${url()}${PATHS.revoke}`,
    userInfo: `${url()}${PATHS.userInfo}`,
    jwks: `${url()}${PATHS.jwks}`,
    connections: `${url()}${PATHS.connections}`,
    apiBase: `${url()}${PATHS.apiBase}`,
  });

  const grants = new GrantStore(
    {
      accessSeconds: options.accessTokenTtlSeconds ?? 1800,
      refreshSeconds: options.refreshTokenTtlSeconds ?? DEFAULT_REFRESH_TTL_SECONDS,
      graceSeconds: options.refreshGraceSeconds ?? 1800,
    },
    now,
    (grant, issuedAt, expiresAt) => {
      const user = directory.byId(grant.userId);
      return signer.accessToken({
        issuer: url(),
        clientId: options.clientId,
        sub: user?.sub ?? grant.userId,
        xeroUserId: grant.userId,
        sessionId: grant.sessionId,
        authEventId: grant.authEventId,
        authTime: grant.authTime,
        scopes: grant.scopes,
        issuedAt,
        expiresAt,
      });
    },
  );
  const limits: Limits = { ...DEFAULT_LIMITS };
  const settings = noFaults();
  applyOptions(limits, settings, options.rateLimit, options.faults);
  const limiter = new RateLimiter({ ...limits }, now);
  const webhooks = new WebhookHub(options.webhookKey, () => `${url()}${PATHS.apiBase}`);

  const ledgerOf = (tenantId: string): Ledger => {
    const ledger = ledgers.get(tenantId.toLowerCase());
    if (!ledger) throw new Error(`The emulator has no organisation with tenant id ${tenantId}`);
    return ledger;
  };

  const api: ApiDeps = {
    orgs,
    ledger: ledgerOf,
    grants,
    directory,
    limiter,
    counters,
    held: host.held,
    settings: () => settings,
    now,
    baseUrl: url,
    appName: options.appName ?? 'Dunwell',
  };
  const app = buildServer({
    counters,
    logger: options.logger ?? false,
    api,
    connections: { directory, grants, tenantName: (tenantId) => orgs.get(tenantId)?.name },
    oauth: {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      redirectUris: options.redirectUris,
      directory,
      grants,
      signer,
      now,
      endpoints,
    },
  });

  const addOrganisation: XeroEmulator['addOrganisation'] = (seed) => {
    const { org, ledger } = buildOrganisation(seed, now, (event) => webhooks.record(event));
    if (orgs.has(org.tenantId))
      throw new Error(`An organisation with tenant id ${org.tenantId} exists already`);
    orgs.set(org.tenantId, org);
    ledgers.set(org.tenantId, ledger);
    directory.user(seed.user).tenantIds.push(org.tenantId);
    return org.tenantId;
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
    addOrganisation,
    generateOrganisation: (generate) => addOrganisation(generateSeed(generate, now())),
    organisation: (tenantId) => organisationView(ledgerOf(tenantId).org, now),
    changes: (tenantId) => organisationChanges(ledgerOf(tenantId)),
    disconnectTenant(tenantId) {
      const id = ledgerOf(tenantId).org.tenantId;
      directory.removeWhere((connection) => connection.tenantId === id);
    },
    revokeUser(email) {
      const user = directory.byEmail(email);
      if (!user) throw new Error(`The emulator has no user ${email}`);
      grants.revokeUser(user.id);
    },
    setWebhookTarget: (target) => webhooks.setTarget(target),
    deliverWebhooks: (deliver) => webhooks.deliver(deliver),
    intentToReceive: (target) => webhooks.intentToReceive(target),
    counters: () => counters.snapshot(),
    resetCounters: () => counters.reset(),
    configure({ rateLimit, faults }) {
      applyOptions(limits, settings, rateLimit, faults);
      limiter.configure(limits);
    },
    tenants: () => [...orgs.keys()],
  };
}
