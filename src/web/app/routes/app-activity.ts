import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { saveSlackWebhook } from '../../../organisations/owner-notifications.js';
import { type ActivityFilter, isActivityFilter } from '../../../timeline/activity-feed.js';
import { activityPage } from '../../../timeline/activity-page.js';
import { personContext } from '../../context.js';
import { parseOr400 } from '../../parse.js';
import type { WebServices } from '../../services.js';
import { pageFrame, sendPage } from '../frame.js';
import { activityPageView } from '../pages/activity.js';

const feedQuery = z.object({
  kind: z.string().max(20).optional(),
  before: z.string().max(200).optional(),
});
const slackBody = z.object({ slackWebhookUrl: z.string().max(600).default('') });

/** The activity feed across customers (paged, by kind), and where the owner's digest is posted. */
export function appActivityRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/app/:orgId/activity', async (request, reply) => {
      const ctx = personContext(services, request);
      const query = parseOr400(feedQuery, request.query);
      const filter: ActivityFilter = query.kind && isActivityFilter(query.kind) ? query.kind : 'all';
      const data = await activityPage(ctx, { filter, ...(query.before ? { before: query.before } : {}) });
      const frame = pageFrame(request, reply, { orgId: ctx.orgId, section: 'review', title: 'Activity' });
      return sendPage(reply, activityPageView(frame, data));
    });

    app.post('/app/:orgId/activity/slack', async (request, reply) => {
      const ctx = personContext(services, request);
      const body = parseOr400(slackBody, request.body ?? {});
      await saveSlackWebhook(ctx, body.slackWebhookUrl);
      return reply.redirect(`/app/${ctx.orgId}/activity?done=saved`, 303);
    });
  };
}
