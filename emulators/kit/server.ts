import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';

/** The paths of a vendor's OAuth 2 / OpenID service, which the emulators count together. */
export function identityPaths(paths: {
  authorize: string;
  token: string;
  revoke: string;
  userInfo: string;
  jwks: string;
  discovery: string;
}): ReadonlySet<string> {
  return new Set([paths.authorize, paths.token, paths.revoke, paths.userInfo, paths.jwks, paths.discovery]);
}

/** An answer in the vendor's own shape. */
export interface WireAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface EmulatorAppOptions {
  logger: boolean;
  /** The largest request body the vendor takes, in bytes. */
  bodyLimit: number;
  /** Whether paths are matched ignoring case (Xero's are). */
  caseInsensitive?: boolean;
  /** Whether a path (without its query, lower-cased when case is ignored) is on the vendor's API. */
  isApi(path: string): boolean;
  /** Counts a request (for tests and benchmarks), by its path as `isApi` sees it. */
  count(request: FastifyRequest, path: string): void;
  /** The vendor's answer on its API to a body that could not be read (status < 500) or an unexpected error. */
  apiError(status: number, message: string | undefined): WireAnswer;
  /** Adds the vendor's parsers and routes. */
  register(app: FastifyInstance): void;
}

/**
 * The Fastify app every emulator runs: form bodies, a count of every request, and errors on the API
 * answered in the vendor's shapes (elsewhere, Fastify's own).
 */
export function emulatorApp(options: EmulatorAppOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger,
    bodyLimit: options.bodyLimit,
    ...(options.caseInsensitive ? { routerOptions: { caseSensitive: false } } : {}),
  });
  const pathOf = (request: FastifyRequest) => {
    const path = request.url.split('?')[0] ?? '';
    return options.caseInsensitive ? path.toLowerCase() : path;
  };
  app.register(formbody);
  app.addHook('onRequest', async (request) => options.count(request, pathOf(request)));
  app.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
    if (!options.isApi(pathOf(request))) return reply.send(error);
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error(error, 'emulator API error');
    const answer = options.apiError(status, error.message);
    return reply.code(answer.status).type(answer.contentType).send(answer.body);
  });
  app.register(async (instance) => options.register(instance));
  return app;
}
