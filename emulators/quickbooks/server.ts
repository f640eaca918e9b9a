/** The Fastify app: body parsers, request counting, OAuth and Accounting API routes. */
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiDeps } from './api/pipeline.js';
import { JSON_TYPE } from './api/pipeline.js';
import { registerApiRoutes } from './api/routes.js';
import { apiKind, type Counters } from './counters.js';
import { faultResponse, invalidValue, systemFault } from './faults.js';
import { type OAuthDeps, registerOAuthRoutes } from './oauth/routes.js';
import { PATHS } from './paths.js';

const OAUTH_PATHS = new Set<string>([
  PATHS.authorize,
  PATHS.token,
  PATHS.revoke,
  PATHS.userInfo,
  PATHS.jwks,
  PATHS.discovery,
]);

export function buildServer(deps: { oauth: OAuthDeps; api: ApiDeps; counters: Counters; logger: boolean }) {
  const app: FastifyInstance = Fastify({ logger: deps.logger, bodyLimit: 10 * 1024 * 1024 });
  app.register(formbody);
  // Intuit takes queries as POST bodies with Content-Type application/text.
  app.addContentTypeParser(
    ['text/plain', 'application/text'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );

  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith(PATHS.apiBase)) {
      const [realmId = '', resource = ''] = path.slice(PATHS.apiBase.length).split('/');
      deps.counters.request(apiKind(request.method, resource.toLowerCase()), realmId);
    } else if (OAUTH_PATHS.has(path)) {
      deps.counters.request('oauth');
    }
  });

  // Malformed bodies and unexpected errors on the API still answer in Intuit's Fault shape.
  app.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
    if (!request.url.startsWith(PATHS.apiBase)) return reply.send(error);
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error(error, 'emulator API error');
    const fault = status < 500 ? invalidValue('body', error.message ?? 'Bad request') : systemFault();
    const answer = faultResponse(fault, deps.api.now());
    return reply.code(answer.status).type(JSON_TYPE).send(answer.body);
  });

  app.register(async (instance) => {
    registerOAuthRoutes(instance, deps.oauth);
    registerApiRoutes(instance, deps.api);
  });
  return app;
}
