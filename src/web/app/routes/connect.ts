import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { vendorIds, vendors } from '../../../../connectors/vendors.js';
import { chooseCompany } from '../../../connections/choose-company.js';
import { pendingChoice, startConnect } from '../../../connections/connect.js';
import { connectBooks } from '../../../connections/connect-books.js';
import { connectionsOf } from '../../../connections/connections-of.js';
import { disconnectOwnConnection } from '../../../connections/disconnect-own.js';
import { AppError } from '../../../errors.js';
import { accountOf } from '../../context.js';
import { parseOr400 } from '../../parse.js';
import type { WebServices } from '../../services.js';
import {
  csrfTokenFor,
  forgetChoice,
  rememberChoice,
  rememberedChoice,
  rememberOAuthState,
  signedInUser,
  startSession,
  takeOAuthState,
} from '../../session.js';
import { chooseCompanyPage } from '../pages/choose-company.js';

export const vendorParams = z.object({ vendor: z.enum(vendorIds) });
export const callbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(200).optional(),
  error: z.string().max(200).optional(),
});
const connectionParams = z.object({ id: z.uuid() });

/** Where connecting lands: a new organisation's go-live checklist, or a reconnected one's connection. */
const connectedPath = (orgId: string, connectionId: string, reconnected: boolean) =>
  `/app/${orgId}/${reconnected ? 'connection' : 'go-live'}?connected=${connectionId}`;
const choiceBody = z.object({ tenantId: z.string().min(1).max(64) });

/** Connect (OAuth start and callback; it signs the person in too), list and disconnect ledger connections. */
export function connectRoutes(services: WebServices) {
  const redirectUri = (vendor: string) => `${services.publicUrl}/connect/${vendor}/callback`;

  return async (app: FastifyInstance) => {
    // "Connect to QuickBooks", "Sign up with Xero", and the Reconnect URL: the same consent, which
    // reconnects a company that was connected before and keeps its data.
    app.get('/connect/:vendor', async (request, reply) => {
      const { vendor } = parseOr400(vendorParams, request.params);
      const { state, codeVerifier, url } = startConnect(services.ledger, vendor, redirectUri(vendor));
      rememberOAuthState(reply, services.cookies, {
        vendor,
        purpose: 'connect',
        state,
        verifier: codeVerifier,
      });
      return reply.redirect(url, 302);
    });

    app.get('/connect/:vendor/callback', async (request, reply) => {
      const { vendor } = parseOr400(vendorParams, request.params);
      const query = parseOr400(callbackQuery, request.query);
      const login = query.state
        ? takeOAuthState(request, reply, { vendor, purpose: 'connect', state: query.state })
        : null;
      if (!login) {
        throw new AppError(
          400,
          'invalid_state',
          'This sign-in link has expired or was not started here. Please start again.',
          { startAgain: `/connect/${vendor}` },
        );
      }
      if (query.error || !query.code) return reply.redirect('/signin?connect=cancelled', 302);
      const outcome = await connectBooks(services.ledger, services.requests, {
        vendor,
        callback: {
          callbackUrl: `${services.publicUrl}${request.url}`,
          redirectUri: redirectUri(vendor),
          codeVerifier: login.verifier,
        },
        signedInUserId: request.signedIn?.userId ?? null,
        startAgain: `/connect/${vendor}`,
      });
      await startSession(services.ledger, request, reply, services.cookies, outcome.userId);
      if (outcome.kind === 'choose') {
        rememberChoice(reply, services.cookies, vendor, outcome.choiceId);
        return reply.redirect(`/connect/${vendor}/choose`, 302);
      }
      // Intuit's review asks that URLs receiving tokens answer with a redirect. A new organisation
      // (in preview) goes to its go-live checklist; a reconnected one back to its connection.
      return reply.redirect(connectedPath(outcome.orgId, outcome.connectionId, outcome.reconnected), 302);
    });

    app.get('/connect/:vendor/choose', async (request, reply) => {
      const { vendor } = parseOr400(vendorParams, request.params);
      signedInUser(request);
      const choiceId = rememberedChoice(request, vendor);
      const choice = choiceId ? await pendingChoice(services.ledger, vendor, choiceId) : null;
      if (!choice)
        throw new AppError(400, 'choice_expired', 'This choice has expired. Please connect again.');
      reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
      return chooseCompanyPage(
        vendors[vendor].name,
        `/connect/${vendor}/choose`,
        choice.tenants,
        csrfTokenFor(request, reply),
      );
    });

    app.post('/connect/:vendor/choose', async (request, reply) => {
      const { vendor } = parseOr400(vendorParams, request.params);
      const { tenantId } = parseOr400(choiceBody, request.body);
      const user = signedInUser(request);
      const choiceId = rememberedChoice(request, vendor);
      if (!choiceId)
        throw new AppError(400, 'choice_expired', 'This choice has expired. Please connect again.');
      const result = await chooseCompany(services.ledger, services.requests, {
        vendor,
        choiceId,
        tenantId,
        userId: user.userId,
      });
      forgetChoice(reply);
      return reply.redirect(connectedPath(result.orgId, result.connectionId, result.reconnected), 303);
    });

    app.get('/api/connections', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { connections: await connectionsOf(accountOf(services, request)) };
    });

    app.post('/api/connections/:id/disconnect', async (request, reply) => {
      const { id } = parseOr400(connectionParams, request.params);
      await disconnectOwnConnection(accountOf(services, request), services.ledger, id);
      return reply.status(204).send();
    });
  };
}
