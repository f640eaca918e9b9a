import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { moneyPage as moneyPageData } from '../../../collections/money-page.js';
import { saveMoneyMatters } from '../../../collections/save-money-matters.js';
import type { ServiceContext } from '../../../services/context.js';
import { personContext } from '../../context.js';
import type { WebServices } from '../../services.js';
import { firstValue } from '../forms/form-fields.js';
import { moneyFormValues, moneyFromForm } from '../forms/money-form.js';
import type { FormBody } from '../forms/schedule-form.js';
import { pageFrame, sendPage } from '../frame.js';
import { moneyPage } from '../pages/money.js';

const first = firstValue;

/** Money matters: late fees, recovery assumptions, plan limits, the value gate, and the credit accounts. */
export function appMoneyRoutes(services: WebServices) {
  const show = async (
    ctx: ServiceContext,
    request: FastifyRequest,
    reply: FastifyReply,
    form?: { values: Record<string, string>; problems: Map<string, string[]> },
  ) => {
    const data = await moneyPageData(ctx, services.ledger);
    const frame = pageFrame(request, reply, { orgId: ctx.orgId, section: 'money', title: 'Money matters' });
    return sendPage(
      reply,
      moneyPage(frame, {
        values: form?.values ?? moneyFormValues(data.inForce.policy, data.currency),
        problems: form?.problems ?? new Map(),
        version: data.inForce.version,
        currency: data.currency,
        targets: data.targets,
        writeOffTarget: data.writeOffTarget,
        settlementTarget: data.settlementTarget,
      }),
    );
  };

  return async (app: FastifyInstance) => {
    app.get('/app/:orgId/money', async (request, reply) =>
      show(personContext(services, request), request, reply),
    );

    app.post('/app/:orgId/money', async (request, reply) => {
      const ctx = personContext(services, request);
      const body = (request.body ?? {}) as FormBody;
      const saved = await saveMoneyMatters(ctx, services.ledger, {
        edit: (current, currency) => moneyFromForm(body, current, currency),
        basedOnVersion: Number(first(body['basedOnVersion'])),
        writeOffTarget: first(body['writeOffTarget']),
        settlementTarget: first(body['settlementTarget']),
      });
      if (saved.ok) return reply.redirect(`/app/${ctx.orgId}/money?done=saved`, 303);
      const values: Record<string, string> = {};
      for (const [name, value] of Object.entries(body)) values[name] = first(value);
      reply.status(400);
      return show(ctx, request, reply, { values, problems: saved.problems });
    });
  };
}
