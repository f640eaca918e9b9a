/** Accounting API routes under /v3/company/{realmId}/, plus the customer-facing InvoiceLink page. */
import type { FastifyInstance } from 'fastify';
import { sendInvoicePage, sendPageNotFound } from '../../kit/invoice-page.js';
import { runCdc } from '../cdc.js';
import { queryParserError, unsupportedOperation } from '../faults.js';
import { toWire } from '../money.js';
import { PATHS } from '../paths.js';
import { runQuery } from '../query/execute.js';
import { renderPreferences } from '../store/wire.js';
import { runBatch } from './batch.js';
import { type ApiDeps, runApi } from './pipeline.js';
import { readEntity } from './reads.js';
import { writeEntity } from './writes.js';

const BASE = `${PATHS.apiBase}:realmId`;

type Params = { realmId: string; resource: string; id: string };

function queryText(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw queryParserError('Encountered " <EOF> " at line 1, column 1.');
  return value;
}

export function registerApiRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(`${BASE}/query`, (request, reply) =>
    runApi(
      deps,
      request,
      reply,
      (ctx) => ({ QueryResponse: runQuery(ctx.company, queryText(ctx.query['query'])) }),
      {
        write: false,
      },
    ),
  );

  // Intuit also takes the query as a POST body (Content-Type application/text).
  app.post(`${BASE}/query`, (request, reply) =>
    runApi(
      deps,
      request,
      reply,
      (ctx) => ({ QueryResponse: runQuery(ctx.company, queryText(request.body)) }),
      {
        write: false,
      },
    ),
  );

  app.get(`${BASE}/cdc`, (request, reply) =>
    runApi(
      deps,
      request,
      reply,
      (ctx) => runCdc(ctx.company, ctx.query['entities'], ctx.query['changedSince'], ctx.now),
      {
        write: false,
      },
    ),
  );

  app.post(`${BASE}/batch`, (request, reply) =>
    runApi(deps, request, reply, (ctx) => runBatch(ctx, request.body), { write: true }),
  );

  // Company preferences (GET /preferences): the home currency and whether multicurrency is on.
  app.get(`${BASE}/preferences`, (request, reply) =>
    runApi(deps, request, reply, (ctx) => ({ Preferences: renderPreferences(ctx.company) }), {
      write: false,
    }),
  );

  app.get(`${BASE}/:resource/:id`, (request, reply) => {
    const { resource, id } = request.params as Params;
    return runApi(deps, request, reply, (ctx) => readEntity(ctx, resource.toLowerCase(), id), {
      write: false,
    });
  });

  app.post(`${BASE}/:resource`, (request, reply) => {
    const { resource } = request.params as Params;
    return runApi(
      deps,
      request,
      reply,
      (ctx) => writeEntity(ctx, resource.toLowerCase(), ctx.query['operation'], request.body),
      { write: true },
    );
  });

  app.all(`${BASE}/*`, (request, reply) =>
    runApi(
      deps,
      request,
      reply,
      () => {
        throw unsupportedOperation(request.url.split('?')[0] ?? request.url);
      },
      { write: false },
    ),
  );

  app.get(`${PATHS.portal}/:realmId/:id/:token`, async (request, reply) => {
    const { realmId, id, token } = request.params as Params & { token: string };
    const invoice = deps.companies.get(realmId)?.invoices.get(id);
    if (!invoice || invoice.linkToken !== token) return sendPageNotFound(reply);
    return sendInvoicePage(reply, {
      books: deps.companies.get(realmId)?.info.name ?? '',
      number: invoice.docNumber,
      dueDate: invoice.dueDate,
      dueLabel: 'Balance due',
      due: `${toWire(invoice.balance, invoice.currency)} ${invoice.currency}`,
    });
  });
}
