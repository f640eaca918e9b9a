import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { carryOutReview, type ReviewAction, type ReviewVerb } from '../../../review/carry-out-review.js';
import { reviewPage as reviewPageData } from '../../../review/review-page.js';
import type { ServiceContext } from '../../../services/context.js';
import { personContext } from '../../context.js';
import type { WebServices } from '../../services.js';
import { firstValue } from '../forms/form-fields.js';
import type { FormBody } from '../forms/schedule-form.js';
import { pageFrame, sendPage } from '../frame.js';
import { reviewPage } from '../pages/review.js';
import { appActivityRoutes } from './app-activity.js';
import { appUnmatchedRoutes } from './app-unmatched.js';

const itemPattern =
  /^(flag|message|task|plan|dispute|reply):([0-9a-f-]{36})(?::(approve|reject|done|dismiss|resolve|arrived|resend|read|promise|dispute|stop|called|posted))?$/;

const first = firstValue;
const all = (value: string | string[] | undefined) => (Array.isArray(value) ? value : value ? [value] : []);

/** An item of the form ("flag:<id>:approve") with what the person typed beside it; null when not offered. */
function actionOf(item: string, body: FormBody): ReviewAction | null {
  const match = itemPattern.exec(item);
  if (!match) return null;
  const [, kind, id = '', verb] = match as unknown as [string, ReviewAction['kind'], string, ReviewVerb?];
  const field = (name: string) => first(body[`${name}.${id}`]);
  return {
    kind,
    id,
    verb,
    ...(field('reason') ? { reason: field('reason') } : {}),
    choice: field('choice'),
    discount: field('discount'),
    resolution: field('resolution'),
    outcome: field('outcome'),
    promisedDate: field('promisedDate'),
    note: field('note'),
    certified: field('certified') === 'on',
    tracking: field('tracking'),
  };
}

/**
 * The review queue: flags, reminders and plans to approve, emails in doubt, tasks to do, disputes to
 * answer; one at a time or in bulk. Beside it, the activity feed: what happened across customers.
 */
export function appReviewRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    await app.register(appActivityRoutes(services));
    await app.register(appUnmatchedRoutes(services));
    const show = async (
      ctx: ServiceContext,
      request: FastifyRequest,
      reply: FastifyReply,
      problems: string[] = [],
    ) => {
      const data = await reviewPageData(ctx);
      const frame = pageFrame(request, reply, { orgId: ctx.orgId, section: 'review', title: 'Review' });
      if (problems.length > 0) frame.notice = { kind: 'problem', text: problems.join(' ') };
      return sendPage(reply, reviewPage(frame, data.queue, data.locale, data.unmatched));
    };

    app.get('/app/:orgId/review', async (request, reply) =>
      show(personContext(services, request), request, reply),
    );

    app.post('/app/:orgId/review', async (request, reply) => {
      const ctx = personContext(services, request);
      const body = (request.body ?? {}) as FormBody;
      const bulk = first(body['bulk']) as '' | 'approve' | 'reject' | 'done';
      const items = bulk ? all(body['pick']).map((pick) => `${pick}:${bulk}`) : [first(body['act'])];
      const actions = items.map((item) => actionOf(item, body));
      const { problems } = await carryOutReview(ctx, { bulk: bulk !== '', actions });
      if (problems.length > 0) return show(ctx, request, reply.status(409), problems);
      // A reply read or acted on, a call made or a letter posted ends a wait the planner honours:
      // the organisation is planned again now, not at the next hourly evaluation.
      if (
        actions.some(
          (action) => action?.kind === 'reply' || action?.verb === 'called' || action?.verb === 'posted',
        )
      )
        await services.requests.evaluate?.(ctx.orgId);
      return reply.redirect(`/app/${ctx.orgId}/review?done=decided`, 303);
    });
  };
}
