import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { LedgerError } from '../../connectors/errors.js';
import { AppError } from '../errors.js';
import { errorPage } from './app/pages/sign-in.js';

/** A person's browser asking for a page (not an API client, webhook or the debtor portal's own pages). */
function wantsPage(request: FastifyRequest): boolean {
  const path = request.url;
  if (path.startsWith('/api/') || path.startsWith('/webhooks/') || path.startsWith('/portal/')) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

export { AppError };

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

const frameworkCodes: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    message: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'This content type is not accepted here.',
  },
  FST_CSRF_MISSING_SECRET: {
    status: 403,
    code: 'csrf_failed',
    message: 'This form has expired or did not come from Dunwell. Please reload the page and try again.',
  },
  FST_CSRF_INVALID_TOKEN: {
    status: 403,
    code: 'csrf_failed',
    message: 'This form has expired or did not come from Dunwell. Please reload the page and try again.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_request', message: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'invalid_request',
    message: 'The body is not valid JSON.',
  },
};

/** Where a flow begins again, when an error names one (`details.startAgain`, a local path). */
function startAgainOf(details: unknown): string | undefined {
  const startAgain = (details as { startAgain?: unknown } | undefined)?.startAgain;
  return typeof startAgain === 'string' && /^\/(?!\/)/.test(startAgain) ? startAgain : undefined;
}

/** Every error leaves as `{ error: { code, message, requestId, details? } }`; 5xx never shows internals. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const send = (status: number, code: string, message: string, details?: unknown) =>
      wantsPage(request)
        ? reply
            .status(status)
            .header('cache-control', 'no-store')
            .type('text/html; charset=utf-8')
            .send(errorPage(status, message, request.id, startAgainOf(details)))
        : reply.status(status).send({
            error: { code, message, requestId: request.id, ...(details === undefined ? {} : { details }) },
          } satisfies ErrorBody);

    if (error instanceof AppError) return send(error.statusCode, error.code, error.message, error.details);
    if (error instanceof LedgerError) {
      // The accounting package failed us: say so in words a person can act on (e.g. reconnect).
      request.log.warn(
        { vendor: error.vendor, code: error.code, detail: error.detail },
        'ledger call failed',
      );
      return send(502, `ledger_${error.code}`, error.message);
    }
    if ('validation' in error && error.validation) {
      const details = error.validation.map((issue) => ({
        path: issue.instancePath || `/${String(issue.params?.['missingProperty'] ?? '')}`,
        message: issue.message ?? 'is invalid',
      }));
      return send(400, 'invalid_request', 'The request is not valid.', details);
    }
    const known = error.code ? frameworkCodes[error.code] : undefined;
    if (known) return send(known.status, known.code, known.message);

    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status < 500) return send(status, 'bad_request', error.message);
    request.log.error({ err: error }, 'request failed');
    return send(
      500,
      'internal_error',
      'Something went wrong on our side. It has been logged; please try again.',
    );
  });
}

/** The 404 for a path no route serves: a page for a browser, else JSON. */
export function installNotFoundHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    wantsPage(request)
      ? reply
          .status(404)
          .type('text/html; charset=utf-8')
          .send(errorPage(404, 'There is nothing here, or it is not yours to see.', request.id))
      : reply.status(404).send({
          error: {
            code: 'not_found',
            message: `Nothing at ${request.method} ${request.url}.`,
            requestId: request.id,
          },
        } satisfies ErrorBody),
  );
}
