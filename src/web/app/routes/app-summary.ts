import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../errors.js';
import { scheduleWeeklySummary } from '../../../reports/schedule-weekly-summary.js';
import { sendSummaryNow } from '../../../reports/send-summary-now.js';
import { sentWeeklySummaries, sentWeeklySummary } from '../../../reports/sent-summaries.js';
import { weeklySummaryLinks } from '../../../reports/summary-links.js';
import { weeklySummaryPage as weeklySummaryPageData } from '../../../reports/weekly-summary-page.js';
import type { ServiceContext } from '../../../services/context.js';
import { personContext } from '../../context.js';
import type { WebServices } from '../../services.js';
import { firstValue } from '../forms/form-fields.js';
import type { FormBody } from '../forms/schedule-form.js';
import { pageFrame, sendPage } from '../frame.js';
import { sentSummariesPage, sentSummaryPage } from '../pages/sent-summaries.js';
import { weeklySummaryPage } from '../pages/weekly-summary.js';

const first = firstValue;

/** The weekly summary page: when and to whom, a preview, and send-now. */
export function appSummaryRoutes(services: WebServices) {
  const links = weeklySummaryLinks(services.sessionSecret, services.publicUrl);

  const show = async (
    ctx: ServiceContext,
    request: FastifyRequest,
    reply: FastifyReply,
    form?: { values: Record<string, string>; problems: string[] },
    problem?: string,
  ) => {
    const data = await weeklySummaryPageData(ctx, links);
    const frame = pageFrame(request, reply, {
      orgId: ctx.orgId,
      section: 'summary',
      title: 'Weekly summary',
    });
    if ((request.query as { done?: string }).done === 'sent')
      frame.notice = { kind: 'ok', text: 'Sent. It arrives within a few minutes.' };
    if (problem) frame.notice = { kind: 'problem', text: problem };
    return sendPage(reply, weeklySummaryPage(frame, { ...data, ...(form ? { form } : {}) }));
  };

  return async (app: FastifyInstance) => {
    app.get('/app/:orgId/weekly-summary', async (request, reply) =>
      show(personContext(services, request), request, reply),
    );

    app.get('/app/:orgId/weekly-summary/sent', async (request, reply) => {
      const ctx = personContext(services, request);
      const data = await sentWeeklySummaries(ctx);
      const frame = pageFrame(request, reply, {
        orgId: ctx.orgId,
        section: 'summary',
        title: 'Sent summaries',
      });
      return sendPage(reply, sentSummariesPage(frame, data));
    });

    app.get('/app/:orgId/weekly-summary/sent/:messageId', async (request, reply) => {
      const ctx = personContext(services, request);
      const { messageId } = request.params as { messageId: string };
      const summary = await sentWeeklySummary(ctx, messageId);
      const frame = pageFrame(request, reply, {
        orgId: ctx.orgId,
        section: 'summary',
        title: 'Sent summary',
      });
      return sendPage(reply, sentSummaryPage(frame, summary));
    });

    app.post('/app/:orgId/weekly-summary', async (request, reply) => {
      const ctx = personContext(services, request);
      const body = (request.body ?? {}) as FormBody;
      const values = {
        enabled: body['enabled'] === undefined ? '' : 'on',
        weekday: first(body['weekday']),
        hour: first(body['hour']),
        recipients: first(body['recipients']),
      };
      const saved = await scheduleWeeklySummary(ctx, {
        enabled: values.enabled === 'on',
        weekday: Number(values.weekday),
        hour: /^\d{1,2}$/.test(values.hour) ? Number(values.hour) : Number.NaN,
        recipients: values.recipients
          .split(/[\s,;]+/)
          .map((email) => email.trim().toLowerCase())
          .filter(Boolean),
      });
      if (saved.ok) return reply.redirect(`/app/${ctx.orgId}/weekly-summary?done=saved`, 303);
      reply.status(400);
      return show(ctx, request, reply, { values, problems: saved.problems });
    });

    app.post('/app/:orgId/weekly-summary/send-now', async (request, reply) => {
      const ctx = personContext(services, request);
      const deliver = services.requests.deliverMessage;
      try {
        await sendSummaryNow(ctx, {
          links,
          ...(deliver ? { deliver: (id: string) => deliver.call(services.requests, id) } : {}),
        });
      } catch (error) {
        // Nobody verified to send it to (409) or used too often (429): the page says which.
        if (!(error instanceof AppError) || (error.statusCode !== 409 && error.statusCode !== 429))
          throw error;
        const retry = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
        if (retry !== undefined) reply.header('retry-after', String(retry));
        reply.status(error.statusCode);
        return show(ctx, request, reply, undefined, error.message);
      }
      return reply.redirect(`/app/${ctx.orgId}/weekly-summary?done=sent`, 303);
    });
  };
}
