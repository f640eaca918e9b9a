import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { policyInForce, policyProblems, savePolicy } from '../../../collections/policy-versions.js';
import { organisations } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { organisationProfile } from '../../../organisations/settings.js';
import type { WebServices } from '../../services.js';
import { sessionOrg } from '../../session.js';
import { fieldText } from '../forms/form-fields.js';
import {
  closedDaysFromText,
  type FormBody,
  scheduleFromForm,
  stepOperation,
} from '../forms/schedule-form.js';
import { pageFrame, sendPage } from '../frame.js';
import { schedulePage } from '../pages/schedule.js';

/** "steps.2.offsetDays: must be at most 730" → problems by path. */
export function problemsByPath(problems: string[]): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const problem of problems) {
    const split = problem.indexOf(': ');
    const path = split > 0 ? problem.slice(0, split) : 'form';
    const message = split > 0 ? problem.slice(split + 2) : problem;
    byPath.set(path, [...(byPath.get(path) ?? []), message]);
  }
  return byPath;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/**
 * The schedule page: the steps, the contact cap, the sending window, the time zone, the closed days,
 * the grace after the final notice and the segments.
 */
export function appScheduleRoutes(services: WebServices) {
  const db = services.ledger.db;

  return async (app: FastifyInstance) => {
    const render = async (
      request: FastifyRequest,
      reply: FastifyReply,
      orgId: string,
      form?: { policy: Record<string, unknown>; problems: Map<string, string[]> },
    ) => {
      const [profile, inForce] = await Promise.all([
        organisationProfile(db, orgId),
        policyInForce(db, orgId),
      ]);
      if (!profile) throw new AppError(404, 'not_found', 'No such organisation.');
      const frame = await pageFrame(db, request, reply, { orgId, section: 'schedule', title: 'Schedule' });
      return sendPage(
        reply,
        schedulePage(frame, {
          policy: form?.policy ?? { ...inForce.policy, timeZone: profile.timeZone },
          inForce: inForce.policy,
          version: inForce.version,
          timeZone: profile.timeZone,
          currency: profile.currency,
          problems: form?.problems ?? new Map(),
        }),
      );
    };

    app.get('/app/:orgId/schedule', async (request, reply) => render(request, reply, sessionOrg(request)));

    app.post('/app/:orgId/schedule', async (request, reply) => {
      const orgId = sessionOrg(request);
      const body = (request.body ?? {}) as FormBody;
      const [profile, inForce] = await Promise.all([
        organisationProfile(db, orgId),
        policyInForce(db, orgId),
      ]);
      if (!profile) throw new AppError(404, 'not_found', 'No such organisation.');
      const candidate = scheduleFromForm(body, inForce.policy, profile.currency);
      const timeZone = String(body['timeZone'] ?? '').trim();
      // Adding, removing or moving a step redraws the form; only Save saves.
      if (stepOperation(body))
        return render(request, reply, orgId, { policy: { ...candidate, timeZone }, problems: new Map() });

      const checked = policyProblems(candidate);
      const problems = problemsByPath('problems' in checked ? checked.problems : []);
      // The closed days are checked as typed, in words ("2026-02-30" is not a day on the calendar).
      const closedDays = closedDaysFromText(fieldText(body, 'closedDays'));
      for (const path of [...problems.keys()])
        if (path === 'closedDays' || path.startsWith('closedDays.')) problems.delete(path);
      if (closedDays.problems.length > 0) problems.set('closedDays', closedDays.problems);
      if (!isTimeZone(timeZone)) problems.set('timeZone', ['must be a time zone such as Europe/London']);
      const basedOnVersion = Number(body['basedOnVersion']);
      if (problems.size === 0 && 'policy' in checked) {
        try {
          await savePolicy(db, {
            orgId,
            basedOnVersion,
            policy: checked.policy,
            actor: `user:${request.signedIn?.userId}`,
          });
          if (timeZone !== profile.timeZone)
            await db.update(organisations).set({ timeZone }).where(eq(organisations.id, orgId));
          return reply.redirect(`/app/${orgId}/schedule?done=saved`, 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'policy_changed') throw error;
          problems.set('form', [error.message]);
        }
      }
      reply.status(400);
      return render(request, reply, orgId, { policy: { ...candidate, timeZone }, problems });
    });
  };
}
