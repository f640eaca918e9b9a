import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { saveSchedule } from '../../../collections/save-schedule.js';
import {
  type PolicyEdit,
  type SchedulePage,
  schedulePage as schedulePageData,
} from '../../../collections/schedule-page.js';
import { type SchedulePreview, schedulePreviewPage } from '../../../forecast/preview-schedule.js';
import type { ServiceContext } from '../../../services/context.js';
import { personContext } from '../../context.js';
import type { WebServices } from '../../services.js';
import { fieldText } from '../forms/form-fields.js';
import {
  closedDaysFromText,
  type FormBody,
  scheduleFromForm,
  stepOperation,
} from '../forms/schedule-form.js';
import { pageFrame, sendPage } from '../frame.js';
import { schedulePreviewCard } from '../pages/forecast.js';
import { schedulePage } from '../pages/schedule.js';
import { appForecastRoutes } from './app-forecast.js';

/**
 * The schedule page: the steps, the contact cap, the sending window, the time zone, the closed days,
 * the grace after the final notice and the segments; "Preview the change" on it; and the forecast,
 * the schedule run forward over the next 30 days (`app-forecast.ts`).
 */
export function appScheduleRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    await app.register(appForecastRoutes(services));
    type Form = { edit: PolicyEdit; timeZone: string; problems: Map<string, string[]> };
    const render = async (ctx: ServiceContext, request: FastifyRequest, reply: FastifyReply, form?: Form) =>
      show(ctx, request, reply, await schedulePageData(ctx, form?.edit), form);
    const show = (
      ctx: ServiceContext,
      request: FastifyRequest,
      reply: FastifyReply,
      data: SchedulePage,
      form?: Form,
      preview?: SchedulePreview,
    ) => {
      const frame = pageFrame(request, reply, { orgId: ctx.orgId, section: 'schedule', title: 'Schedule' });
      return sendPage(
        reply,
        schedulePage(frame, {
          policy:
            form && data.edited
              ? { ...data.edited, timeZone: form.timeZone }
              : { ...data.inForce.policy, timeZone: data.timeZone },
          inForce: data.inForce.policy,
          version: data.inForce.version,
          timeZone: data.timeZone,
          currency: data.currency,
          problems: form?.problems ?? new Map(),
          ...(preview?.ok ? { preview: schedulePreviewCard(preview) } : {}),
        }),
      );
    };

    app.get('/app/:orgId/schedule', async (request, reply) =>
      render(personContext(services, request), request, reply),
    );

    app.post('/app/:orgId/schedule', async (request, reply) => {
      const ctx = personContext(services, request);
      const body = (request.body ?? {}) as FormBody;
      const edit: PolicyEdit = (current, currency) => scheduleFromForm(body, current, currency);
      const timeZone = String(body['timeZone'] ?? '').trim();
      // Adding, removing or moving a step redraws the form; only Save saves.
      if (stepOperation(body)) return render(ctx, request, reply, { edit, timeZone, problems: new Map() });

      // The closed days are checked as typed, in words ("2026-02-30" is not a day on the calendar).
      const closedDays = closedDaysFromText(fieldText(body, 'closedDays'));
      const checkedByForm = new Map([['closedDays', closedDays.problems]]);
      if (fieldText(body, 'op') === 'preview') {
        // What the change would do over the next 30 days, shown above the form still holding it.
        const { page, preview } = await schedulePreviewPage(ctx, { edit, timeZone, checkedByForm });
        const problems = preview.ok ? new Map<string, string[]>() : preview.problems;
        if (!preview.ok) reply.status(400);
        return show(ctx, request, reply, page, { edit, timeZone, problems }, preview);
      }

      const saved = await saveSchedule(ctx, {
        edit,
        timeZone,
        basedOnVersion: Number(body['basedOnVersion']),
        checkedByForm,
      });
      if (saved.ok) return reply.redirect(`/app/${ctx.orgId}/schedule?done=saved`, 303);
      reply.status(400);
      return render(ctx, request, reply, { edit, timeZone, problems: saved.problems });
    });
  };
}
