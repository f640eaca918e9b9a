import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { localeOf } from '../../../collections/render-reminder.js';
import { disconnectConnection } from '../../../connections/disconnect.js';
import { listConnections } from '../../../connections/list-connections.js';
import { addDays, localMoment } from '../../../domain/local-time.js';
import { AppError } from '../../../errors.js';
import { revokeAndEraseOrganisation } from '../../../organisations/erase.js';
import { organisationProfile } from '../../../organisations/settings.js';
import { collectedBetween } from '../../../reports/collected-between.js';
import { dso } from '../../../reports/days-sales-outstanding.js';
import { largestOverdueDebtors } from '../../../reports/overdue-debtors.js';
import { overdueFigures } from '../../../reports/overdue-figures.js';
import { promisesDue } from '../../../reports/promises-due.js';
import { parseOr400 } from '../../parse.js';
import type { WebServices } from '../../services.js';
import { endSession, sessionOrg, signedInUser } from '../../session.js';
import { pageFrame, sendPage } from '../frame.js';
import { connectionPage } from '../pages/connection.js';
import { dashboardPage } from '../pages/dashboard.js';

const switchQuery = z.object({ org: z.uuid().optional() });
const connectionParams = z.object({ orgId: z.uuid(), connectionId: z.uuid() });
const deleteBody = z.object({ confirmName: z.string().max(300).default('') });

/** The app's start, the dashboard, and the connection and data page. */
export function appHomeRoutes(services: WebServices) {
  const db = services.ledger.db;
  const now = () => services.now?.() ?? new Date();

  const profileOf = async (orgId: string) => {
    const profile = await organisationProfile(db, orgId);
    if (!profile) throw new AppError(404, 'not_found', 'No such organisation.');
    return profile;
  };

  return async (app: FastifyInstance) => {
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
      const orgId = sessionOrg(request);
      const profile = await profileOf(orgId);
      const today = localMoment(now(), profile.timeZone);
      const weekStart = addDays(today.date, 1 - today.weekday);
      const monthStart = `${today.date.slice(0, 8)}01`;
      const [overdue, daysOutstanding, collectedWeek, collectedMonth, due, largest, connections] =
        await Promise.all([
          overdueFigures(db, orgId, { today: today.date }),
          dso(db, orgId, { today: today.date }),
          collectedBetween(db, orgId, { from: weekStart, to: today.date }),
          collectedBetween(db, orgId, { from: monthStart, to: today.date }),
          promisesDue(db, orgId, { from: today.date, to: addDays(today.date, 7) }),
          largestOverdueDebtors(db, orgId, { today: today.date }),
          listConnections(db, [orgId]),
        ]);
      const frame = await pageFrame(db, request, reply, { orgId, section: 'dashboard', title: 'Dashboard' });
      return sendPage(
        reply,
        dashboardPage(frame, {
          locale: localeOf(profile.country),
          overdue,
          dso: daysOutstanding,
          collectedWeek,
          collectedMonth,
          promisesDue: due,
          largest,
          connections,
        }),
      );
    });

    app.get('/app/:orgId/connection', async (request, reply) => {
      const orgId = sessionOrg(request);
      const [profile, connections] = await Promise.all([profileOf(orgId), listConnections(db, [orgId])]);
      const frame = await pageFrame(db, request, reply, {
        orgId,
        section: 'connection',
        title: 'Connection & data',
      });
      return sendPage(
        reply,
        connectionPage(frame, { organisationName: profile.name, timeZone: profile.timeZone, connections }),
      );
    });

    app.post('/app/:orgId/connection/:connectionId/disconnect', async (request, reply) => {
      const orgId = sessionOrg(request);
      const { connectionId } = parseOr400(connectionParams, request.params);
      await disconnectConnection(services.ledger, orgId, connectionId);
      return reply.redirect(`/app/${orgId}/connection?done=disconnected`, 303);
    });

    app.post('/app/:orgId/data/delete', async (request, reply) => {
      const orgId = sessionOrg(request);
      const { confirmName } = parseOr400(deleteBody, request.body);
      const profile = await profileOf(orgId);
      if (confirmName.trim() !== profile.name) {
        const connections = await listConnections(db, [orgId]);
        const frame = await pageFrame(db, request, reply, {
          orgId,
          section: 'connection',
          title: 'Connection & data',
        });
        return sendPage(
          reply.status(400),
          connectionPage(frame, {
            organisationName: profile.name,
            timeZone: profile.timeZone,
            connections,
            deleteProblem: 'That is not the organisation’s name, so nothing was deleted.',
          }),
        );
      }
      await revokeAndEraseOrganisation(services.ledger, orgId);
      // Their sign-in went with the data when this was their only organisation.
      await endSession(db, request, reply);
      return reply.redirect('/signin?erased=1', 303);
    });
  };
}
