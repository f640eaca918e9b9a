import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { vendorIds, vendors } from '../../../../connectors/vendors.js';
import { signInWithVendor } from '../../../accounts/sign-in.js';
import { startConnect } from '../../../connections/connect.js';
import { AppError } from '../../../errors.js';
import { parseOr400 } from '../../parse.js';
import type { WebServices } from '../../services.js';
import {
  csrfTokenFor,
  endSession,
  rememberOAuthState,
  safeReturnTo,
  signedInUser,
  startSession,
  takeOAuthState,
} from '../../session.js';
import { disconnectedPage, signInPage, unknownLoginPage } from '../pages/sign-in.js';
import { callbackQuery, vendorParams } from './connect.js';

const signInQuery = z.object({
  returnTo: z.string().max(500).optional(),
  signedOut: z.string().optional(),
  erased: z.string().optional(),
  connect: z.string().optional(),
});

/** Signing in and out with the vendors' OpenID login, the vendors' launch and disconnect pages. */
export function signInRoutes(services: WebServices) {
  const redirectUri = (vendor: string) => `${services.publicUrl}/signin/${vendor}/callback`;
  const page = (reply: import('fastify').FastifyReply, body: string) =>
    reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);

  return async (app: FastifyInstance) => {
    app.get('/', async (request, reply) => reply.redirect(request.signedIn ? '/app' : '/signin', 302));

    app.get('/signin', async (request, reply) => {
      const query = signInQuery.safeParse(request.query);
      const options = query.success ? query.data : {};
      const notice = options.signedOut
        ? 'You are signed out. Your books stay connected and nothing changes: an organisation that is live keeps sending reminders, one in preview or paused sends none. Sign in and open Sending to pause or go live.'
        : options.erased
          ? 'All of your organisation’s data has been erased from Dunwell, and your books are disconnected.'
          : options.connect === 'cancelled'
            ? 'Connecting was cancelled; nothing was changed.'
            : options.connect === 'none'
              ? 'You are signed in, but no company is connected yet. Connect your books to start.'
              : null;
      return page(reply, signInPage({ returnTo: safeReturnTo(options.returnTo), notice }));
    });

    app.get('/signin/:vendor', async (request, reply) => {
      const { vendor } = parseOr400(vendorParams, request.params);
      const query = signInQuery.safeParse(request.query);
      const returnTo = safeReturnTo(query.success ? query.data.returnTo : undefined);
      const { state, codeVerifier, url } = startConnect(
        services.ledger,
        vendor,
        redirectUri(vendor),
        'signin',
      );
      rememberOAuthState(reply, services.cookies, {
        vendor,
        purpose: 'signin',
        state,
        verifier: codeVerifier,
        returnTo,
      });
      return reply.redirect(url, 302);
    });

    app.get('/signin/:vendor/callback', async (request, reply) => {
      const { vendor } = parseOr400(vendorParams, request.params);
      const query = parseOr400(callbackQuery, request.query);
      const login = query.state
        ? takeOAuthState(request, reply, { vendor, purpose: 'signin', state: query.state })
        : null;
      if (!login)
        throw new AppError(
          400,
          'invalid_state',
          'This sign-in link has expired or was not started here. Please start again.',
          { startAgain: `/signin/${vendor}` },
        );
      if (query.error || !query.code) return reply.redirect('/signin', 302);
      const userId = await signInWithVendor(services.ledger, {
        vendor,
        callback: {
          callbackUrl: `${services.publicUrl}${request.url}`,
          redirectUri: redirectUri(vendor),
          codeVerifier: login.verifier,
        },
        startAgain: `/signin/${vendor}`,
      });
      if (!userId) return page(reply, unknownLoginPage(vendors[vendor].name));
      await startSession(services.ledger, request, reply, services.cookies, userId);
      return reply.redirect(safeReturnTo(login.returnTo), 302);
    });

    // A vendor's Launch URL (Intuit has one): the app opened from the vendor's own pages signs in with
    // the vendor and opens Dunwell.
    for (const vendor of vendorIds) {
      const { launchPath } = vendors[vendor];
      if (launchPath === undefined) continue;
      app.get(launchPath, async (request, reply) =>
        reply.redirect(request.signedIn ? '/app' : `/signin/${vendor}`, 302),
      );
    }

    // Intuit's Disconnect URL: shown after the app is disconnected from inside QuickBooks.
    app.get('/disconnected/:vendor', async (request, reply) => {
      const { vendor } = parseOr400(vendorParams, request.params);
      return page(reply, disconnectedPage(vendors[vendor].name, `/connect/${vendor}`));
    });

    // For API clients in the browser: who is signed in, where they may go, and the CSRF token to send.
    app.get('/api/session', async (request, reply) => {
      const user = signedInUser(request);
      reply.header('cache-control', 'no-store');
      return { email: user.email, organisationIds: user.orgIds, csrfToken: csrfTokenFor(request, reply) };
    });

    app.post('/signout', async (request, reply) => {
      await endSession(services.ledger, request, reply);
      return reply.redirect('/signin?signedOut=1', 303);
    });
  };
}
