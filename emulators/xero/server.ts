/** The Fastify app: request counting, identity, connections and Accounting API routes. */
import { emulatorApp, identityPaths } from '../kit/server.js';
import type { ApiDeps } from './api/pipeline.js';
import { registerApiRoutes } from './api/routes.js';
import { type ConnectionDeps, registerConnectionRoutes } from './connections.js';
import type { Counters } from './counters.js';
import { postDataInvalid, problem, XeroHttpError } from './faults.js';
import { type OAuthDeps, registerOAuthRoutes } from './oauth/routes.js';
import { PATHS } from './paths.js';

const OAUTH_PATHS = identityPaths(PATHS);

/** Xero refuses requests over 3.5 MB (developer.xero.com, "API limits"). */
const BODY_LIMIT = 3.5 * 1024 * 1024;

export function buildServer(deps: {
  oauth: OAuthDeps;
  api: ApiDeps;
  connections: ConnectionDeps;
  counters: Counters;
  logger: boolean;
}) {
  return emulatorApp({
    logger: deps.logger,
    bodyLimit: BODY_LIMIT,
    caseInsensitive: true,
    isApi: (path) => path.startsWith(PATHS.apiBase),
    count(request, path) {
      if (path.startsWith(PATHS.apiBase)) {
        const tenant = request.headers['xero-tenant-id'];
        const tenantId = typeof tenant === 'string' && tenant !== '' ? tenant.toLowerCase() : undefined;
        deps.counters.request(request.method === 'GET' ? 'read' : 'write', tenantId);
      } else if (path === PATHS.connections || path.startsWith(`${PATHS.connections}/`)) {
        deps.counters.request('connections');
      } else if (OAUTH_PATHS.has(path)) {
        deps.counters.request('oauth');
      }
    },
    // Malformed bodies and unexpected errors on the API answer in Xero's shapes.
    apiError(status, message) {
      if (status === 413) {
        const detail = 'The request is larger than 3.5 MB';
        return new XeroHttpError(413, JSON.stringify(problem(413, 'Request Entity Too Large', detail)));
      }
      if (status < 500)
        return postDataInvalid(`JSON request body could not be read, ${message ?? 'bad request'}`);
      return new XeroHttpError(500, JSON.stringify(problem(500, 'Internal Server Error', message ?? null)));
    },
    register(app) {
      registerOAuthRoutes(app, deps.oauth);
      registerConnectionRoutes(app, deps.connections);
      registerApiRoutes(app, deps.api);
    },
  });
}
