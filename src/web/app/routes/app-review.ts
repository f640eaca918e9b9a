import type { FastifyInstance } from 'fastify';
import { resolveDispute } from '../../../arrangements/disputes.js';
import { decidePaymentPlan } from '../../../arrangements/payment-plans.js';
import { decideFlag } from '../../../collections/decide-flag.js';
import { localeOf } from '../../../collections/render-reminder.js';
import { AppError } from '../../../errors.js';
import { organisationProfile } from '../../../organisations/settings.js';
import {
  decideMessage,
  finishTask,
  reviewQueue,
  settleUncertainMessage,
} from '../../../review/review-queue.js';
import type { WebServices } from '../../services.js';
import { sessionOrg } from '../../session.js';
import { firstValue } from '../forms/form-fields.js';
import type { FormBody } from '../forms/schedule-form.js';
import { pageFrame, sendPage } from '../frame.js';
import { reviewPage } from '../pages/review.js';

type Verb = 'approve' | 'reject' | 'done' | 'dismiss' | 'resolve' | 'arrived' | 'resend';
const itemPattern =
  /^(flag|message|task|plan|dispute):([0-9a-f-]{36})(?::(approve|reject|done|dismiss|resolve|arrived|resend))?$/;

const first = firstValue;
const all = (value: string | string[] | undefined) => (Array.isArray(value) ? value : value ? [value] : []);

/**
 * The review queue: flags, reminders and plans to approve, emails in doubt, tasks to do, disputes to
 * answer; one at a time or in bulk.
 */
export function appReviewRoutes(services: WebServices) {
  const db = services.ledger.db;
  const now = () => services.now?.() ?? new Date();

  return async (app: FastifyInstance) => {
    const show = async (
      request: Parameters<typeof sessionOrg>[0],
      reply: import('fastify').FastifyReply,
      orgId: string,
      problems: string[] = [],
    ) => {
      const [queue, profile] = await Promise.all([reviewQueue(db, orgId), organisationProfile(db, orgId)]);
      const frame = await pageFrame(db, request, reply, { orgId, section: 'review', title: 'Review' });
      if (problems.length > 0) frame.notice = { kind: 'problem', text: problems.join(' ') };
      return sendPage(reply, reviewPage(frame, queue, localeOf(profile?.country ?? null)));
    };

    app.get('/app/:orgId/review', async (request, reply) => show(request, reply, sessionOrg(request)));

    app.post('/app/:orgId/review', async (request, reply) => {
      const orgId = sessionOrg(request);
      const body = (request.body ?? {}) as FormBody;
      const actor = `user:${request.signedIn?.userId}`;
      const bulk = first(body['bulk']) as '' | 'approve' | 'reject' | 'done';
      const items = bulk
        ? all(body['pick']).map((pick) => `${pick}:${bulk === 'done' ? 'done' : bulk}`)
        : [first(body['act'])];
      const problems: string[] = [];
      for (const item of items) {
        const match = itemPattern.exec(item);
        if (!match) {
          problems.push('That action is not one this page offers.');
          continue;
        }
        const [, kind, id = '', verb] = match as unknown as [string, string, string, Verb];
        try {
          await carryOut(kind, id, verb);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
          problems.push(error.message);
        }
      }
      if (problems.length > 0) return show(request, reply.status(409), orgId, problems);
      return reply.redirect(`/app/${orgId}/review?done=decided`, 303);

      async function carryOut(kind: string, id: string, verb: Verb) {
        const reason = first(body[`reason.${id}`]) || undefined;
        if (kind === 'flag' && (verb === 'approve' || verb === 'reject')) {
          const choice = first(body[`choice.${id}`]);
          const discount = first(body[`discount.${id}`]);
          if (discount !== '' && !/^\d{1,2}(\.\d{1,2})?$/.test(discount))
            throw new AppError(400, 'invalid_request', 'The settlement discount is a percentage such as 30.');
          await decideFlag(db, {
            orgIds: [orgId],
            flagId: id,
            decision: verb === 'approve' ? 'approved' : 'rejected',
            ...(verb === 'approve' && choice && !bulk ? { choice } : {}),
            ...(reason ? { reason } : {}),
            ...(discount !== '' && !bulk ? { settlementDiscount: Number(discount) / 100 } : {}),
            actor,
            now: now(),
          });
        } else if (kind === 'message' && (verb === 'approve' || verb === 'reject')) {
          await decideMessage(db, {
            orgId,
            messageId: id,
            decision: verb === 'approve' ? 'approved' : 'rejected',
            actor,
            now: now(),
          });
        } else if (kind === 'message' && (verb === 'arrived' || verb === 'resend') && !bulk) {
          await settleUncertainMessage(db, { orgId, messageId: id, outcome: verb, actor, now: now() });
        } else if (kind === 'task' && (verb === 'done' || verb === 'dismiss')) {
          await finishTask(db, {
            orgId,
            taskId: id,
            status: verb === 'done' ? 'done' : 'dismissed',
            actor,
            now: now(),
          });
        } else if (kind === 'plan' && (verb === 'approve' || verb === 'reject')) {
          await decidePaymentPlan(db, {
            orgIds: [orgId],
            planId: id,
            decision: verb === 'approve' ? 'approved' : 'rejected',
            actor,
            now: now(),
          });
        } else if (kind === 'dispute' && verb === 'resolve') {
          const resolution = first(body[`resolution.${id}`]);
          if (!resolution)
            throw new AppError(400, 'invalid_request', 'Say how the dispute was resolved before resuming.');
          await resolveDispute(db, { orgIds: [orgId], disputeId: id, resolution, actor, now: now() });
        } else if (bulk) {
          // A bulk action skips what it does not apply to (e.g. "done" on a flag).
        } else throw new AppError(400, 'invalid_request', 'That action is not one this page offers.');
      }
    });
  };
}
