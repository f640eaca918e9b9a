import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../errors.js';
import { organisationProfile } from '../../../organisations/settings.js';
import { previewWeeklySummary, sendWeeklySummaryNow } from '../../../reports/send-weekly-summary.js';
import { weeklySummaryLinks } from '../../../reports/summary-links.js';
import {
  saveWeeklySummarySchedule,
  sendNowPerHour,
  sendNowRecipients,
  summaryRecipients,
  verifiedPeople,
} from '../../../reports/weekly-summary-settings.js';
import type { WebServices } from '../../services.js';
import { sessionOrg } from '../../session.js';
import { firstValue } from '../forms/form-fields.js';
import type { FormBody } from '../forms/schedule-form.js';
import { pageFrame, sendPage } from '../frame.js';
import { weeklySummaryPage } from '../pages/weekly-summary.js';

const first = firstValue;

/** The weekly summary page: when and to whom, a preview, and send-now. */
export function appSummaryRoutes(services: WebServices) {
  const db = services.ledger.db;
  const now = () => services.now?.() ?? new Date();
  const links = weeklySummaryLinks(services.sessionSecret, services.publicUrl);

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    orgId: string,
    form?: { values: Record<string, string>; problems: string[] },
    problem?: string,
  ) => {
    const [profile, preview, verified] = await Promise.all([
      organisationProfile(db, orgId),
      previewWeeklySummary(db, orgId, now(), links),
      verifiedPeople(db, orgId),
    ]);
    if (!profile) throw new AppError(404, 'not_found', 'No such organisation.');
    const frame = await pageFrame(db, request, reply, { orgId, section: 'summary', title: 'Weekly summary' });
    if ((request.query as { done?: string }).done === 'sent')
      frame.notice = { kind: 'ok', text: 'Sent. It arrives within a few minutes.' };
    if (problem) frame.notice = { kind: 'problem', text: problem };
    return sendPage(
      reply,
      weeklySummaryPage(frame, {
        settings: profile.settings.weeklySummary,
        audience: summaryRecipients(profile.settings),
        sendNow: { to: sendNowRecipients(profile.settings, verified), verified, perHour: sendNowPerHour },
        timeZone: profile.timeZone,
        preview,
        ...(form ? { form } : {}),
      }),
    );
  };

  return async (app: FastifyInstance) => {
    app.get('/app/:orgId/weekly-summary', async (request, reply) =>
      show(request, reply, sessionOrg(request)),
    );

    app.post('/app/:orgId/weekly-summary', async (request, reply) => {
      const orgId = sessionOrg(request);
      const body = (request.body ?? {}) as FormBody;
      const values = {
        enabled: body['enabled'] === undefined ? '' : 'on',
        weekday: first(body['weekday']),
        hour: first(body['hour']),
        recipients: first(body['recipients']),
      };
      try {
        await saveWeeklySummarySchedule(db, orgId, {
          enabled: values.enabled === 'on',
          weekday: Number(values.weekday),
          hour: /^\d{1,2}$/.test(values.hour) ? Number(values.hour) : Number.NaN,
          recipients: values.recipients
            .split(/[\s,;]+/)
            .map((email) => email.trim().toLowerCase())
            .filter(Boolean),
        });
      } catch (error) {
        if (!(error instanceof z.ZodError)) throw error;
        const problems = error.issues.map((issue) => {
          const [field, index] = issue.path;
          if (field === 'recipients' && typeof index === 'number')
            return `Recipient ${index + 1} is not an email address.`;
          if (field === 'hour') return 'The hour is a whole number from 0 to 23.';
          if (field === 'recipients') return 'At most 20 recipients.';
          return `${String(field)}: ${issue.message}`;
        });
        reply.status(400);
        return show(request, reply, orgId, { values, problems });
      }
      return reply.redirect(`/app/${orgId}/weekly-summary?done=saved`, 303);
    });

    app.post('/app/:orgId/weekly-summary/send-now', async (request, reply) => {
      const orgId = sessionOrg(request);
      const deliver = services.requests.deliverMessage;
      try {
        await sendWeeklySummaryNow(
          { db, links, ...(deliver ? { deliver: (id) => deliver.call(services.requests, id) } : {}) },
          { orgId, now: now() },
        );
      } catch (error) {
        // Nobody verified to send it to (409) or used too often (429): the page says which.
        if (!(error instanceof AppError) || (error.statusCode !== 409 && error.statusCode !== 429))
          throw error;
        const retry = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
        if (retry !== undefined) reply.header('retry-after', String(retry));
        reply.status(error.statusCode);
        return show(request, reply, orgId, undefined, error.message);
      }
      return reply.redirect(`/app/${orgId}/weekly-summary?done=sent`, 303);
    });
  };
}
