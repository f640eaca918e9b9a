import { hkdfSync, randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TrustProxy } from '../config.js';
import { holdsUnstorable } from '../domain/text.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { appCustomerPhoneRoutes } from './app/routes/app-customer-phones.js';
import { appCustomerRoutes } from './app/routes/app-customers.js';
import { appHomeRoutes } from './app/routes/app-home.js';
import { appMoneyRoutes } from './app/routes/app-money.js';
import { appReviewRoutes } from './app/routes/app-review.js';
import { appScheduleRoutes } from './app/routes/app-schedule.js';
import { appStatementRoutes } from './app/routes/app-statements.js';
import { appSummaryRoutes } from './app/routes/app-summary.js';
import { appTemplateRoutes } from './app/routes/app-templates.js';
import { arrangementRoutes } from './app/routes/arrangements.js';
import { connectRoutes } from './app/routes/connect.js';
import { flagRoutes } from './app/routes/flags.js';
import { organisationSettingsRoutes } from './app/routes/organisation-settings.js';
import { policyRoutes } from './app/routes/policy.js';
import { signInRoutes } from './app/routes/sign-in.js';
import { weeklySummaryRoutes } from './app/routes/weekly-summary.js';
import { assetRoutes } from './assets.js';
import { installErrorHandlers, installNotFoundHandler } from './errors.js';
import { healthRoutes, type ReadinessCheck } from './health.js';
import { inboundEmailRoutes } from './inbound-email.js';
import { portalRoutes } from './portal/routes.js';
import type { WebServices } from './services.js';
import { csrfUserInfo, loadSession, safeReturnTo } from './session.js';
import { smsWebhookRoutes } from './sms-webhooks.js';
import { webhookRoutes } from './webhooks.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AppOptions {
  logger: Logger;
  readinessChecks: readonly ReadinessCheck[];
  /** The web role's services; without them the app serves only /healthz and /readyz (worker role). */
  services?: WebServices;
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
  /** Whose X-Forwarded-For to believe (Fastify's trustProxy); nobody's unless configured. */
  trustProxy?: TrustProxy;
}

/** One route of the app: its method and its URL pattern (`/app/:orgId/customers/:customerId`). */
export interface RouteEntry {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
}

/** Assembles the HTTP app without listening, so tests drive it with `app.inject()`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1_048_576,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    // Portal links carry a signed token (about 170 characters) in the path.
    routerOptions: { maxParamLength: 600 },
  });
  // Every route as registered, so checks that must cover all of them (tenant isolation) find new ones.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url });
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  installErrorHandlers(app);
  // Vendors' webhooks are machine-to-machine, signed, and the busiest routes: they stay outside the
  // site's context, so the browser's security headers (helmet) and the unstorable-text check, added
  // there, never run on them (Fastify gives a context's hooks to every route inside it, including
  // those of plugins registered before the hook). Their bodies are bytes checked against the
  // signature, and their events are made storable where they are stored.
  if (options.services) await app.register(webhookRoutes(options.services));
  await app.register(async (site) => {
    await siteGuards(site);
    await site.register(healthRoutes(options.readinessChecks));
    if (options.services) {
      // The webhooks (above) are outside the browser scope too: none of its cookie, session and CSRF
      // hooks run on them.
      await site.register(inboundEmailRoutes(options.services));
      await site.register(smsWebhookRoutes(options.services));
      await site.register(browserRoutes(options.services));
    }
  });
  return app;
}

/**
 * What every route but the vendors' webhooks gets: the browser's security headers (helmet), the 404
 * for a path nothing serves (with those headers), and text PostgreSQL cannot store (a NUL, half a
 * character) refused up front with a clear 400, before any handler could half-write it.
 */
export async function siteGuards(site: FastifyInstance): Promise<void> {
  await site.register(helmet);
  installNotFoundHandler(site);
  site.addHook('preHandler', (request, _reply, done) => {
    if (holdsUnstorable(request.query) || holdsUnstorable(request.params) || holdsUnstorable(request.body))
      return done(
        new AppError(
          400,
          'invalid_characters',
          'The request holds characters that cannot be stored (a NUL byte or a broken character). Please remove them and try again.',
        ),
      );
    done();
  });
}

/**
 * Everything a browser uses (the owner's app, the portal, sign-in, the JSON API): cookies, the
 * session, and CSRF protection on state changes, encapsulated so these hooks run only here.
 */
function browserRoutes(services: WebServices) {
  return async (browser: FastifyInstance) => {
    await browser.register(cookie, { secret: services.sessionSecret });
    await browser.register(formbody);
    await browser.register(csrfProtection, {
      sessionPlugin: '@fastify/cookie',
      cookieOpts: {
        signed: true,
        httpOnly: true,
        sameSite: 'lax',
        secure: services.cookies.secure,
        path: '/',
      },
      // Tokens are bound to the session, so one stolen before sign-in is worthless after it.
      getUserInfo: csrfUserInfo,
      csrfOpts: {
        hmacKey: Buffer.from(hkdfSync('sha256', services.sessionSecret, 'dunwell', 'csrf-v1', 32)),
      },
    });
    browser.decorateRequest('signedIn', null);
    browser.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/portal/')) await loadSession(services.ledger, request);
    });
    // Every state change made with the session cookie carries the form's or header's CSRF token.
    // Portal links carry their own signature in the path.
    browser.addHook('preHandler', (request, reply, done) => {
      if (safeMethods.has(request.method) || request.url.startsWith('/portal/')) return done();
      browser.csrfProtection(request, reply, done);
    });
    await browser.register(assetRoutes);
    await browser.register(signInRoutes(services));
    await browser.register(connectRoutes(services));
    await browser.register(async (pages) => {
      // Pages of the app send a signed-out browser to sign in, and back here afterwards.
      pages.addHook('onRequest', async (request, reply) => {
        if (!request.signedIn)
          return reply.redirect(`/signin?returnTo=${encodeURIComponent(safeReturnTo(request.url))}`, 302);
      });
      await pages.register(appHomeRoutes(services));
      await pages.register(appScheduleRoutes(services));
      await pages.register(appTemplateRoutes(services));
      await pages.register(appReviewRoutes(services));
      await pages.register(appCustomerRoutes(services));
      await pages.register(appCustomerPhoneRoutes(services));
      await pages.register(appStatementRoutes(services));
      await pages.register(appMoneyRoutes(services));
      await pages.register(appSummaryRoutes(services));
    });
    await browser.register(flagRoutes(services));
    await browser.register(policyRoutes(services));
    await browser.register(portalRoutes(services));
    await browser.register(weeklySummaryRoutes(services));
    await browser.register(arrangementRoutes(services));
    await browser.register(organisationSettingsRoutes(services));
  };
}
