import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../logger.js';
import { portalRoutes } from '../portal/routes.js';
import { installErrorHandlers } from './errors.js';
import { arrangementRoutes } from './routes/arrangements.js';
import { connectRoutes } from './routes/connect.js';
import { flagRoutes } from './routes/flags.js';
import { healthRoutes, type ReadinessCheck } from './routes/health.js';
import { organisationSettingsRoutes } from './routes/organisation-settings.js';
import { policyRoutes } from './routes/policy.js';
import { webhookRoutes } from './routes/webhooks.js';
import type { WebServices } from './services.js';

export interface AppOptions {
  logger: Logger;
  readinessChecks: readonly ReadinessCheck[];
  /** The web role's services; without them the app serves only /healthz and /readyz (worker role). */
  services?: WebServices;
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
}

/** Assembles the HTTP app without listening, so tests drive it with `app.inject()`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1_048_576,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: true,
    return503OnClosing: true,
    // Portal links carry a signed token (about 170 characters) in the path.
    routerOptions: { maxParamLength: 600 },
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(helmet);
  installErrorHandlers(app);
  await app.register(healthRoutes(options.readinessChecks));
  if (options.services) {
    await app.register(cookie, { secret: options.services.sessionSecret });
    await app.register(formbody);
    await app.register(connectRoutes(options.services));
    await app.register(webhookRoutes(options.services));
    await app.register(flagRoutes(options.services));
    await app.register(policyRoutes(options.services));
    await app.register(portalRoutes(options.services));
    await app.register(arrangementRoutes(options.services));
    await app.register(organisationSettingsRoutes(options.services));
  }
  return app;
}
