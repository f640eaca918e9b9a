import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LedgerError } from '../../../../connectors/errors.js';
import type { CreditTargetOption } from '../../../../connectors/ledger.js';
import { policyInForce, policyProblems, savePolicy } from '../../../collections/policy-versions.js';
import { AppError } from '../../../errors.js';
import { creditTargetsOf } from '../../../organisations/credit-targets.js';
import {
  type CreditTarget,
  organisationProfile,
  organisationSettingsSchema,
  saveOrganisationSettings,
} from '../../../organisations/settings.js';
import type { WebServices } from '../../services.js';
import { sessionOrg } from '../../session.js';
import { firstValue } from '../forms/form-fields.js';
import { moneyFormValues, moneyFromForm } from '../forms/money-form.js';
import type { FormBody } from '../forms/schedule-form.js';
import { pageFrame, sendPage } from '../frame.js';
import { moneyPage } from '../pages/money.js';
import { problemsByPath } from './app-schedule.js';

const first = firstValue;

/** Money matters: late fees, recovery assumptions, plan limits, the value gate, and the credit accounts. */
export function appMoneyRoutes(services: WebServices) {
  const db = services.ledger.db;

  const targetsOf = async (orgId: string) => {
    try {
      return { ok: true as const, options: await creditTargetsOf(services.ledger, orgId) };
    } catch (error) {
      if (error instanceof AppError || error instanceof LedgerError)
        return { ok: false as const, problem: `Your books’ accounts could not be read: ${error.message}` };
      throw error;
    }
  };

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    orgId: string,
    form?: { values: Record<string, string>; problems: Map<string, string[]> },
  ) => {
    const [profile, inForce, targets] = await Promise.all([
      organisationProfile(db, orgId),
      policyInForce(db, orgId),
      targetsOf(orgId),
    ]);
    if (!profile) throw new AppError(404, 'not_found', 'No such organisation.');
    const frame = await pageFrame(db, request, reply, { orgId, section: 'money', title: 'Money matters' });
    return sendPage(
      reply,
      moneyPage(frame, {
        values: form?.values ?? moneyFormValues(inForce.policy, profile.currency),
        problems: form?.problems ?? new Map(),
        version: inForce.version,
        currency: profile.currency,
        targets,
        writeOffTarget: profile.settings.writeOffTarget,
        settlementTarget: profile.settings.settlementTarget,
      }),
    );
  };

  const chosenTarget = (options: CreditTargetOption[], ref: string, current: CreditTarget | null) => {
    if (ref === '') return null;
    const option = options.find((candidate) => candidate.ref === ref);
    if (option) return { ref: option.ref, description: option.name };
    // Not offered by the ledger now (it could not be read): keep what was chosen before.
    return current?.ref === ref ? current : undefined;
  };

  return async (app: FastifyInstance) => {
    app.get('/app/:orgId/money', async (request, reply) => show(request, reply, sessionOrg(request)));

    app.post('/app/:orgId/money', async (request, reply) => {
      const orgId = sessionOrg(request);
      const body = (request.body ?? {}) as FormBody;
      const [profile, inForce] = await Promise.all([
        organisationProfile(db, orgId),
        policyInForce(db, orgId),
      ]);
      if (!profile) throw new AppError(404, 'not_found', 'No such organisation.');
      const checked = policyProblems(moneyFromForm(body, inForce.policy, profile.currency));
      const problems = problemsByPath('problems' in checked ? checked.problems : []);

      const targets = await targetsOf(orgId);
      const options = targets.ok ? targets.options : [];
      const writeOffTarget = chosenTarget(
        options,
        first(body['writeOffTarget']),
        profile.settings.writeOffTarget,
      );
      const settlementTarget = chosenTarget(
        options,
        first(body['settlementTarget']),
        profile.settings.settlementTarget,
      );
      if (writeOffTarget === undefined)
        problems.set('writeOffTarget', ['is not an account or item of your books']);
      if (settlementTarget === undefined)
        problems.set('settlementTarget', ['is not an account or item of your books']);

      if (problems.size === 0 && 'policy' in checked) {
        try {
          await savePolicy(db, {
            orgId,
            basedOnVersion: Number(first(body['basedOnVersion'])),
            policy: checked.policy,
            actor: `user:${request.signedIn?.userId}`,
          });
          await saveOrganisationSettings(
            db,
            orgId,
            organisationSettingsSchema.parse({ ...profile.settings, writeOffTarget, settlementTarget }),
          );
          return reply.redirect(`/app/${orgId}/money?done=saved`, 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'policy_changed') throw error;
          problems.set('form', [error.message]);
        }
      }
      const values: Record<string, string> = {};
      for (const [name, value] of Object.entries(body)) values[name] = first(value);
      reply.status(400);
      return show(request, reply, orgId, { values, problems });
    });
  };
}
