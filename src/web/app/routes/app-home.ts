import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { connectionOverview } from '../../../connections/connection-overview.js';
import { disconnectConnection } from '../../../connections/disconnect.js';
import { eraseOnRequest } from '../../../organisations/erase-on-request.js';
import { dashboard } from '../../../reports/dashboard.js';
import { personContext } from '../../context.js';
import { parseOr400 } from '../../parse.js';
import type { WebServices } from '../../services.js';
import { endSession, signedInUser } from '../../session.js';
import { pageFrame, sendPage } from '../frame.js';
import { connectionPage } from '../pages/connection.js';
import { dashboardPage } from '../pages/dashboard.js';
import { appGoLiveRoutes } from './app-go-live.js';

const switchQuery = z.object({ org: z.uuid().optional() });
const connectionParams = z.object({ orgId: z.uuid(), connectionId: z.uuid() });
const deleteBody = z.object({ confirmName: z.string().max(300).default('') });

/** The app's start, the dashboard, the connection and data page, and the go-live checklist. */
export function appHomeRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    await app.register(appGoLiveRoutes(services));
    app.get('/app', async (request, reply) => {
      const user = signedInUser(request);
      const wanted = switchQuery.safeParse(request.query);
      const orgId =
        wanted.success && wanted.data.org && user.orgIds.includes(wanted.data.org)
          ? wanted.data.org
          : user.orgIds[0];
      if (!orgId) return reply.redirect('/signin?connect=none', 302);
      return reply.redirect(`/app/${orgId}`, 302);
    });

    app.get('/app/:orgId', async (request, reply) => {
      const ctx = personContext(services, request);
      const data = await dashboard(ctx);
      const frame = pageFrame(request, reply, { orgId: ctx.orgId, section: 'dashboard', title: 'Dashboard' });
      return sendPage(reply, dashboardPage(frame, data));
    });

    app.get('/app/:orgId/connection', async (request, reply) => {
      const ctx = personContext(services, request);
      const data = await connectionOverview(ctx);
      const frame = pageFrame(request, reply, {
        orgId: ctx.orgId,
        section: 'connection',
        title: 'Connection & data',
      });
      return sendPage(reply, connectionPage(frame, data));
    });

    app.post('/app/:orgId/connection/:connectionId/disconnect', async (request, reply) => {
      const ctx = personContext(services, request);
      const { connectionId } = parseOr400(connectionParams, request.params);
      await disconnectConnection(services.ledger, ctx.orgId, connectionId);
      return reply.redirect(`/app/${ctx.orgId}/connection?done=disconnected`, 303);
    });

    app.post('/app/:orgId/data/delete', async (request, reply) => {
      const ctx = personContext(services, request);
      const { confirmName } = parseOr400(deleteBody, request.body);
      const outcome = await eraseOnRequest(ctx, services.ledger, confirmName);
      if (!outcome.erased) {
        const data = await connectionOverview(ctx);
        const frame = pageFrame(request, reply, {
          orgId: ctx.orgId,
          section: 'connection',
          title: 'Connection & data',
        });
        return sendPage(
          reply.status(400),
          connectionPage(frame, {
            ...data,
            deleteProblem: 'That is not the organisation’s name, so nothing was deleted.',
          }),
        );
      }
      // Their sign-in went with the data when this was their only organisation.
      await endSession(services.ledger, request, reply);
      return reply.redirect('/signin?erased=1', 303);
    });
  };
}
