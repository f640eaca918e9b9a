import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type Vendor, vendorIds, vendors } from '../../../../connectors/vendors.js';
import { joinOrganisation, userForIdentity } from '../../../accounts/users.js';
import {
  completeChoice,
  completeConnect,
  connectorFor,
  pendingChoice,
  startConnect,
} from '../../../connections/connect.js';
import { disconnectConnection } from '../../../connections/disconnect.js';
import { listConnections } from '../../../connections/list-connections.js';
import { AppError } from '../../../errors.js';
import { parseOr400 } from '../../parse.js';
import type { WebServices } from '../../services.js';
import {
  csrfTokenFor,
  forgetChoice,
  rememberChoice,
  rememberedChoice,
  rememberOAuthState,
  sessionOrgIds,
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
const choiceBody = z.object({ tenantId: z.string().min(1).max(64) });

/**
 * Runs the code-for-tokens exchange of an OAuth callback. A code the vendor refuses (used already, a
 * replayed callback, expired) is the person's to retry: a "start again" page, not a 500.
 */
export async function exchangeOrStartAgain<Result>(
  services: WebServices,
  vendor: Vendor,
  startAgain: string,
  exchange: () => Promise<Result>,
): Promise<Result> {
  try {
    return await exchange();
  } catch (error) {
    if (error instanceof AppError) throw error;
    const failure = connectorFor(services.ledger, vendor).classifyFailure(error);
    const name = vendors[vendor].name;
    if (failure.code === 'unavailable' || failure.code === 'rate_limited')
      throw new AppError(
        503,
        'vendor_unavailable',
        `${name} did not answer. Please start again in a minute.`,
        {
          startAgain,
        },
      );
    throw new AppError(
      400,
      'oauth_failed',
      `${name} did not accept this sign-in: it may have been used already or have expired. Please start again.`,
      { startAgain },
    );
  }
}

/** Connect (OAuth start and callback; it signs the person in too), list and disconnect ledger connections. */
export function connectRoutes(services: WebServices) {
  const redirectUri = (vendor: string) => `${services.publicUrl}/connect/${vendor}/callback`;
  const db = services.ledger.db;

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
      const outcome = await exchangeOrStartAgain(services, vendor, `/connect/${vendor}`, () =>
        completeConnect(
          services.ledger,
          services.requests,
          vendor,
          {
            callbackUrl: `${services.publicUrl}${request.url}`,
            redirectUri: redirectUri(vendor),
            codeVerifier: login.verifier,
          },
          async (identity) => {
            if (!identity)
              throw new AppError(
                403,
                'no_identity',
                `${vendors[vendor].name} did not say who you are. Please try again.`,
              );
            return userForIdentity(db, vendor, identity, request.signedIn?.userId ?? null);
          },
        ),
      );
      await startSession(db, request, reply, services.cookies, outcome.userId);
      if (outcome.kind === 'choose') {
        rememberChoice(reply, services.cookies, vendor, outcome.choiceId);
        return reply.redirect(`/connect/${vendor}/choose`, 302);
      }
      await joinOrganisation(db, outcome.userId, outcome.orgId);
      // Intuit's review asks that URLs receiving tokens answer with a redirect.
      return reply.redirect(`/app/${outcome.orgId}/connection?connected=${outcome.connectionId}`, 302);
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
      const result = await completeChoice(services.ledger, services.requests, vendor, choiceId, tenantId);
      forgetChoice(reply);
      await joinOrganisation(db, user.userId, result.orgId);
      return reply.redirect(`/app/${result.orgId}/connection?connected=${result.connectionId}`, 303);
    });

    app.get('/api/connections', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { connections: await listConnections(db, sessionOrgIds(request)) };
    });

    app.post('/api/connections/:id/disconnect', async (request, reply) => {
      const { id } = parseOr400(connectionParams, request.params);
      const owner = (await listConnections(db, sessionOrgIds(request))).find(
        (connection) => connection.id === id,
      );
      if (!owner) throw new AppError(404, 'not_found', 'No such connection.');
      await disconnectConnection(services.ledger, owner.orgId, id);
      return reply.status(204).send();
    });
  };
}
