/** The Fastify app: body parsers, request counting, identity, connections and Accounting API routes. */
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiDeps } from './api/pipeline.js';
import { registerApiRoutes } from './api/routes.js';
import { type ConnectionDeps, registerConnectionRoutes } from './connections.js';
import type { Counters } from './counters.js';
import { postDataInvalid, problem, XeroHttpError } from './faults.js';
import { type OAuthDeps, registerOAuthRoutes } from './oauth/routes.js';
import { PATHS } from './paths.js';

/** Xero refuses requests over 3.5 MB (developer.xero.com, "API limits"). */
const BODY_LIMIT = 3.5 * 1024 * 1024;
const OAUTH_PATHS = new Set<string>([
  PATHS.authorize,
  PATHS.token,
  PATHS.revoke,
  PATHS.userInfo,
  PATHS.jwks,
  PATHS.discovery,
]);

export function buildServer(deps: {
  oauth: OAuthDeps;
  api: ApiDeps;
  connections: ConnectionDeps;
  counters: Counters;
  logger: boolean;
}) {
  const app: FastifyInstance = Fastify({
    logger: deps.logger,
    bodyLimit: BODY_LIMIT,
    routerOptions: { caseSensitive: false },
  });
  app.register(formbody);

  app.addHook('onRequest', async (request) => {
    const path = (request.url.split('?')[0] ?? '').toLowerCase();
    if (path.startsWith(PATHS.apiBase)) {
      const tenant = request.headers['xero-tenant-id'];
      const tenantId = typeof tenant === 'string' && tenant !== '' ? tenant.toLowerCase() : undefined;
      deps.counters.request(request.method === 'GET' ? 'read' : 'write', tenantId);
    } else if (path === PATHS.connections || path.startsWith(`${PATHS.connections}/`)) {
      deps.counters.request('connections');
    } else if (OAUTH_PATHS.has(path)) {
      deps.counters.request('oauth');
    }
  });

  // Malformed bodies and unexpected errors on the API answer in Xero's shapes.
  app.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
    if (!request.url.toLowerCase().startsWith(PATHS.apiBase)) return reply.send(error);
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error(error, 'emulator API error');
    const answer =
      status === 413
        ? new XeroHttpError(
            413,
            JSON.stringify(problem(413, 'Request Entity Too Large', 'The request is larger than 3.5 MB')),
          )
        : status < 500
          ? postDataInvalid(`JSON request body could not be read, ${error.message ?? 'bad request'}`)
          : new XeroHttpError(
              500,
              JSON.stringify(problem(500, 'Internal Server Error', error.message ?? null)),
            );
    return reply.code(answer.status).type(answer.contentType).send(answer.body);
  });

  app.register(async (instance) => {
    registerOAuthRoutes(instance, deps.oauth);
    registerConnectionRoutes(instance, deps.connections);
    registerApiRoutes(instance, deps.api);
  });
  return app;
}
