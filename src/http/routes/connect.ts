import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { completeChoice, completeConnect, pendingChoice, startConnect } from '../../connections/connect.js';
import { disconnectConnection } from '../../connections/disconnect.js';
import { listConnections } from '../../connections/list-connections.js';
import { AppError } from '../../errors.js';
import { chooseCompanyPage } from '../pages/choose-company.js';
import type { WebServices } from '../services.js';
import {
  addSessionOrg,
  forgetChoice,
  rememberChoice,
  rememberedChoice,
  rememberOAuthState,
  sessionOrgIds,
  takeOAuthState,
} from '../session.js';

const vendorParams = z.object({ vendor: z.enum(['quickbooks', 'xero']) });
const callbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(200).optional(),
  error: z.string().max(200).optional(),
});
const connectionParams = z.object({ id: z.uuid() });
const choiceBody = z.object({ tenantId: z.string().min(1).max(64) });
const vendorNames = { quickbooks: 'QuickBooks', xero: 'Xero' } as const;

function parse<Value>(schema: z.ZodType<Value>, value: unknown): Value {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new AppError(400, 'invalid_request', 'The request is not valid.', parsed.error.issues);
  return parsed.data;
}

/** Connect (OAuth start and callback), list and disconnect ledger connections. */
export function connectRoutes(services: WebServices) {
  const redirectUri = (vendor: string) => `${services.publicUrl}/connect/${vendor}/callback`;

  return async (app: FastifyInstance) => {
    app.get('/connect/:vendor', async (request, reply) => {
      const { vendor } = parse(vendorParams, request.params);
      const { state, codeVerifier, url } = startConnect(services.ledger, vendor, redirectUri(vendor));
      rememberOAuthState(reply, services.cookies, { vendor, state, verifier: codeVerifier });
      return reply.redirect(url, 302);
    });

    app.get('/connect/:vendor/callback', async (request, reply) => {
      const { vendor } = parse(vendorParams, request.params);
      const query = parse(callbackQuery, request.query);
      const codeVerifier = query.state ? takeOAuthState(request, reply, vendor, query.state) : null;
      if (!codeVerifier) {
        throw new AppError(
          400,
          'invalid_state',
          'This sign-in link has expired or was not started here. Please start again.',
        );
      }
      if (query.error || !query.code) return reply.redirect('/api/connections?connect=cancelled', 302);
      const outcome = await completeConnect(services.ledger, services.requests, vendor, {
        callbackUrl: `${services.publicUrl}${request.url}`,
        redirectUri: redirectUri(vendor),
        codeVerifier,
      });
      if (outcome.kind === 'choose') {
        rememberChoice(reply, services.cookies, vendor, outcome.choiceId);
        return reply.redirect(`/connect/${vendor}/choose`, 302);
      }
      addSessionOrg(request, reply, services.cookies, outcome.orgId);
      // Intuit's review asks that URLs receiving tokens answer with a redirect.
      return reply.redirect(`/api/connections?connected=${outcome.connectionId}`, 302);
    });

    app.get('/connect/:vendor/choose', async (request, reply) => {
      const { vendor } = parse(vendorParams, request.params);
      const choiceId = rememberedChoice(request, vendor);
      const choice = choiceId ? await pendingChoice(services.ledger, vendor, choiceId) : null;
      if (!choice)
        throw new AppError(400, 'choice_expired', 'This choice has expired. Please connect again.');
      reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
      return chooseCompanyPage(vendorNames[vendor], `/connect/${vendor}/choose`, choice.tenants);
    });

    app.post('/connect/:vendor/choose', async (request, reply) => {
      const { vendor } = parse(vendorParams, request.params);
      const { tenantId } = parse(choiceBody, request.body);
      const choiceId = rememberedChoice(request, vendor);
      if (!choiceId)
        throw new AppError(400, 'choice_expired', 'This choice has expired. Please connect again.');
      const result = await completeChoice(services.ledger, services.requests, vendor, choiceId, tenantId);
      forgetChoice(reply);
      addSessionOrg(request, reply, services.cookies, result.orgId);
      return reply.redirect(`/api/connections?connected=${result.connectionId}`, 303);
    });

    app.get('/api/connections', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { connections: await listConnections(services.ledger.db, sessionOrgIds(request)) };
    });

    app.post('/api/connections/:id/disconnect', async (request, reply) => {
      const { id } = parse(connectionParams, request.params);
      const orgIds = sessionOrgIds(request);
      const owner = (await listConnections(services.ledger.db, orgIds)).find(
        (connection) => connection.id === id,
      );
      if (!owner) throw new AppError(404, 'not_found', 'No such connection.');
      await disconnectConnection(services.ledger, owner.orgId, id);
      return reply.status(204).send();
    });
  };
}
