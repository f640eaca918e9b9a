import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../logger.js';
import { installErrorHandlers } from './errors.js';
import { healthRoutes, type ReadinessCheck } from './routes/health.js';

export interface AppOptions {
  logger: Logger;
  readinessChecks: readonly ReadinessCheck[];
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
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(helmet);
  installErrorHandlers(app);
  await app.register(healthRoutes(options.readinessChecks));
  return app;
}
