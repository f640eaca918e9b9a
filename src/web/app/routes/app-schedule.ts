import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { saveSchedule } from '../../../collections/save-schedule.js';
import { type PolicyEdit, schedulePage as schedulePageData } from '../../../collections/schedule-page.js';
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
import { schedulePage } from '../pages/schedule.js';

/**
 * The schedule page: the steps, the contact cap, the sending window, the time zone, the closed days,
 * the grace after the final notice and the segments.
 */
export function appScheduleRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    const render = async (
      ctx: ServiceContext,
      request: FastifyRequest,
      reply: FastifyReply,
      form?: { edit: PolicyEdit; timeZone: string; problems: Map<string, string[]> },
    ) => {
      const data = await schedulePageData(ctx, form?.edit);
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
      const saved = await saveSchedule(ctx, {
        edit,
        timeZone,
        basedOnVersion: Number(body['basedOnVersion']),
        checkedByForm: new Map([['closedDays', closedDays.problems]]),
      });
      if (saved.ok) return reply.redirect(`/app/${ctx.orgId}/schedule?done=saved`, 303);
      reply.status(400);
      return render(ctx, request, reply, { edit, timeZone, problems: saved.problems });
    });
  };
}
