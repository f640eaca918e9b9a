import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../errors.js';
import { goLive, goLiveChecklist, pauseSending } from '../../../organisations/go-live.js';
import { confirmTimeZone, saveGoLiveAddresses } from '../../../organisations/save-go-live.js';
import { sendTestEmail } from '../../../organisations/test-email.js';
import type { ServiceContext } from '../../../services/context.js';
import { personContext } from '../../context.js';
import { parseOr400 } from '../../parse.js';
import type { WebServices } from '../../services.js';
import { pageFrame, sendPage } from '../frame.js';
import { type GoLivePageData, goLivePage } from '../pages/go-live.js';

const timeZoneBody = z.object({ timeZone: z.string().max(100).default('') });
const addressesBody = z.object({
  replyTo: z.string().max(300).default(''),
  notifyEmail: z.string().max(300).default(''),
  summaryRecipients: z.string().max(4000).default(''),
});

const outcomes: Record<string, { kind: 'ok' | 'info'; text: string }> = {
  'test-sent': { kind: 'ok', text: 'The test email is on its way to you; it arrives within a few minutes.' },
  live: { kind: 'ok', text: 'You are live. Reminders go from now on, as the schedule says.' },
  paused: { kind: 'info', text: 'Paused. No email goes to any customer until you resume.' },
};

/**
 * The go-live checklist and the sending switch: the time zone, who hears back, the schedule in words,
 * what would go now, a test email to oneself, then "Go live"; afterwards "Pause all emails" / "Resume".
 */
export function appGoLiveRoutes(services: WebServices) {
  const requests = services.requests;
  const evaluate = requests.evaluate
    ? (orgId: string) => requests.evaluate?.(orgId) ?? Promise.resolve()
    : undefined;
  const deliver = requests.deliverMessage
    ? (id: string) => requests.deliverMessage?.(id) ?? Promise.resolve()
    : undefined;

  const show = async (
    ctx: ServiceContext,
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Pick<GoLivePageData, 'problems' | 'typed'> & { problem?: string } = {},
  ) => {
    const data = await goLiveChecklist(ctx);
    const frame = pageFrame(request, reply, {
      orgId: ctx.orgId,
      section: 'go-live',
      title: data.sending === 'preview' ? 'Go live' : 'Sending',
    });
    const done = (request.query as { done?: string }).done;
    if (done && outcomes[done]) frame.notice = outcomes[done];
    if (extra.problem) frame.notice = { kind: 'problem', text: extra.problem };
    return sendPage(
      reply,
      goLivePage(frame, {
        ...data,
        ...extra,
        forecastPath: `/app/${ctx.orgId}/forecast`,
        generatedAt: ctx.now,
      }),
    );
  };

  return async (app: FastifyInstance) => {
    app.get('/app/:orgId/go-live', async (request, reply) =>
      show(personContext(services, request), request, reply),
    );

    app.post('/app/:orgId/go-live/time-zone', async (request, reply) => {
      const ctx = personContext(services, request);
      const { timeZone } = parseOr400(timeZoneBody, request.body);
      const saved = await confirmTimeZone(ctx, timeZone);
      if (saved.ok) return reply.redirect(`/app/${ctx.orgId}/go-live?done=saved#time-zone`, 303);
      reply.status(400);
      return show(ctx, request, reply, { problems: saved.problems, typed: { timeZone } });
    });

    app.post('/app/:orgId/go-live/addresses', async (request, reply) => {
      const ctx = personContext(services, request);
      const form = parseOr400(addressesBody, request.body);
      const saved = await saveGoLiveAddresses(ctx, form);
      if (saved.ok) return reply.redirect(`/app/${ctx.orgId}/go-live?done=saved#addresses`, 303);
      reply.status(400);
      return show(ctx, request, reply, { problems: saved.problems, typed: form });
    });

    app.post('/app/:orgId/go-live/test-email', async (request, reply) => {
      const ctx = personContext(services, request);
      try {
        await sendTestEmail(ctx, deliver ? { deliver } : {});
      } catch (error) {
        // Used too often: the page says when it works again.
        if (!(error instanceof AppError) || error.statusCode !== 429) throw error;
        const retry = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
        if (retry !== undefined) reply.header('retry-after', String(retry));
        reply.status(429);
        return show(ctx, request, reply, { problem: error.message });
      }
      return reply.redirect(`/app/${ctx.orgId}/go-live?done=test-sent#test-email`, 303);
    });

    // "Go live" from preview and "Resume" from paused.
    app.post('/app/:orgId/go-live/live', async (request, reply) => {
      const ctx = personContext(services, request);
      try {
        await goLive(ctx, evaluate ? { evaluate } : {});
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode !== 409) throw error;
        reply.status(409);
        return show(ctx, request, reply, { problem: error.message });
      }
      return reply.redirect(`/app/${ctx.orgId}/go-live?done=live`, 303);
    });

    app.post('/app/:orgId/go-live/pause', async (request, reply) => {
      const ctx = personContext(services, request);
      await pauseSending(ctx);
      return reply.redirect(`/app/${ctx.orgId}/go-live?done=paused`, 303);
    });
  };
}
