import { resolveDispute } from '../arrangements/disputes.js';
import { decidePaymentPlan } from '../arrangements/payment-plans.js';
import { ArrangementInputError } from '../arrangements/proposals.js';
import { decideFlag } from '../collections/decide-flag.js';
import { actorKey } from '../domain/actor.js';
import { AppError } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import { actOnReply } from './act-on-reply.js';
import { type CallOutcome, markLetterPosted, recordCallOutcome } from './contact-outcomes.js';
import { markReplyRead } from './replies-to-read.js';
import type { ReplyAct } from './reply-acts.js';
import { decideMessage, finishTask, settleUncertainMessage } from './review-queue.js';

export type ReviewVerb =
  | 'approve'
  | 'reject'
  | 'done'
  | 'dismiss'
  | 'resolve'
  | 'arrived'
  | 'resend'
  | 'read'
  | 'called'
  | 'posted'
  | ReplyAct;

/** One answer on the review page: what it is about, the verb, and what the person added to it. */
export interface ReviewAction {
  kind: 'flag' | 'message' | 'task' | 'plan' | 'dispute' | 'reply';
  id: string;
  verb: ReviewVerb | undefined;
  /** Why, for the audit trail. */
  reason?: string;
  /** For a flag: the choice approved, instead of the recommendation. */
  choice?: string;
  /** For a settlement: the percentage to forgive, as typed. */
  discount?: string;
  /** For a dispute: how it was resolved. */
  resolution?: string;
  /** For a call: how it went, the date promised, what was said. */
  outcome?: string;
  promisedDate?: string;
  note?: string;
  /** For a letter: posted by certified post, and its tracking number. */
  certified?: boolean;
  tracking?: string;
}

const notOffered = 'That action is not one this page offers.';

/**
 * Carries out a person's answers on the review page, one by one; in bulk, the same verb for every
 * item picked, skipping those it does not apply to. An answer refused (already decided, not valid)
 * is a problem to show, and the others still happen. `null` stands for an item the page never offers.
 */
export async function carryOutReview(
  ctx: ServiceContext,
  request: { bulk: boolean; actions: ReadonlyArray<ReviewAction | null> },
): Promise<{ problems: string[] }> {
  const problems: string[] = [];
  for (const action of request.actions) {
    if (!action) {
      problems.push(notOffered);
      continue;
    }
    try {
      await carryOut(ctx, action, request.bulk);
    } catch (error) {
      if (error instanceof ArrangementInputError) problems.push(error.message);
      else if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      else problems.push(error.message);
    }
  }
  return { problems };
}

async function carryOut(ctx: ServiceContext, action: ReviewAction, bulk: boolean): Promise<void> {
  const { db, orgId, now } = ctx;
  const actor = actorKey(ctx.actor);
  const { kind, id, verb, reason } = action;
  if (kind === 'flag' && (verb === 'approve' || verb === 'reject')) {
    const discount = action.discount ?? '';
    if (discount !== '' && !/^\d{1,2}(\.\d{1,2})?$/.test(discount))
      throw new AppError(400, 'invalid_request', 'The settlement discount is a percentage such as 30.');
    await decideFlag(db, {
      orgIds: [orgId],
      flagId: id,
      decision: verb === 'approve' ? 'approved' : 'rejected',
      ...(verb === 'approve' && action.choice && !bulk ? { choice: action.choice } : {}),
      ...(reason ? { reason } : {}),
      ...(discount !== '' && !bulk ? { settlementDiscount: Number(discount) / 100 } : {}),
      actor,
      now,
    });
  } else if (kind === 'message' && (verb === 'approve' || verb === 'reject')) {
    await decideMessage(db, {
      orgId,
      messageId: id,
      decision: verb === 'approve' ? 'approved' : 'rejected',
      actor,
      now,
    });
  } else if (kind === 'message' && (verb === 'arrived' || verb === 'resend') && !bulk) {
    await settleUncertainMessage(db, { orgId, messageId: id, outcome: verb, actor, now });
  } else if (kind === 'task' && verb === 'called' && !bulk) {
    await recordCallOutcome(ctx, {
      taskId: id,
      outcome: (action.outcome ?? '') as CallOutcome,
      ...(action.promisedDate ? { promisedDate: action.promisedDate } : {}),
      ...(action.note ? { note: action.note } : {}),
    });
  } else if (kind === 'task' && verb === 'posted' && !bulk) {
    await markLetterPosted(ctx, {
      taskId: id,
      certified: action.certified === true,
      ...(action.tracking ? { tracking: action.tracking } : {}),
    });
  } else if (kind === 'task' && (verb === 'done' || verb === 'dismiss')) {
    await finishTask(db, { orgId, taskId: id, status: verb === 'done' ? 'done' : 'dismissed', actor, now });
  } else if (kind === 'plan' && (verb === 'approve' || verb === 'reject')) {
    await decidePaymentPlan(db, {
      orgIds: [orgId],
      planId: id,
      decision: verb === 'approve' ? 'approved' : 'rejected',
      actor,
      now,
    });
  } else if (kind === 'dispute' && verb === 'resolve') {
    if (!action.resolution)
      throw new AppError(400, 'invalid_request', 'Say how the dispute was resolved before resuming.');
    await resolveDispute(db, { orgIds: [orgId], disputeId: id, resolution: action.resolution, actor, now });
  } else if (kind === 'reply' && verb === 'read' && !bulk) {
    await markReplyRead(db, { orgId, replyId: id, actor, now });
  } else if (kind === 'reply' && (verb === 'promise' || verb === 'dispute' || verb === 'stop') && !bulk) {
    await actOnReply(ctx, { replyId: id, act: verb });
  } else if (bulk) {
    // A bulk action skips what it does not apply to (e.g. "done" on a flag).
  } else throw new AppError(400, 'invalid_request', notOffered);
}
