/** The Fastify app: Intuit's query bodies, request counting, OAuth and Accounting API routes. */
import { emulatorApp, identityPaths } from '../kit/server.js';
import type { ApiDeps } from './api/pipeline.js';
import { registerApiRoutes } from './api/routes.js';
import { apiKind, type Counters } from './counters.js';
import { faultResponse, invalidValue, systemFault } from './faults.js';
import { type OAuthDeps, registerOAuthRoutes } from './oauth/routes.js';
import { PATHS } from './paths.js';

const OAUTH_PATHS = identityPaths(PATHS);

export function buildServer(deps: { oauth: OAuthDeps; api: ApiDeps; counters: Counters; logger: boolean }) {
  return emulatorApp({
    logger: deps.logger,
    bodyLimit: 10 * 1024 * 1024,
    isApi: (path) => path.startsWith(PATHS.apiBase),
    count(request, path) {
      if (path.startsWith(PATHS.apiBase)) {
        const [realmId = '', resource = ''] = path.slice(PATHS.apiBase.length).split('/');
        deps.counters.request(apiKind(request.method, resource.toLowerCase()), realmId);
      } else if (OAUTH_PATHS.has(path)) {
        deps.counters.request('oauth');
      }
    },
    // Malformed bodies and unexpected errors on the API still answer in Intuit's Fault shape.
    apiError(status, message) {
      const fault = status < 500 ? invalidValue('body', message ?? 'Bad request') : systemFault();
      return faultResponse(fault, deps.api.now());
    },
    register(app) {
      // Intuit takes queries as POST bodies with Content-Type application/text.
      app.addContentTypeParser(
        ['text/plain', 'application/text'],
        { parseAs: 'string' },
        (_request, body, done) => done(null, body),
      );
      registerOAuthRoutes(app, deps.oauth);
      registerApiRoutes(app, deps.api);
    },
  });
}
