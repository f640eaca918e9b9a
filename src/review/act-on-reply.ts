import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { ArrangementRequest } from '../arrangements/arrangement-request.js';
import { openDispute } from '../arrangements/disputes.js';
import { makePromise } from '../arrangements/promises.js';
import { policyOf } from '../collections/policy-versions.js';
import { customers, debtorReplies } from '../db/schema/index.js';
import { actorKey } from '../domain/actor.js';
import { localMoment } from '../domain/local-time.js';
import { promiseMaxDaysLimit } from '../domain/policy.js';
import { AppError, notFound } from '../errors.js';
import { optOutCustomer } from '../messaging/opt-out.js';
import { organisationProfile } from '../organisations/settings.js';
import { ownWords } from '../replies/reply-text.js';
import type { ServiceContext } from '../services/context.js';
import { markReplyRead } from './replies-to-read.js';
import { actOffered, type ReplyAct } from './reply-acts.js';

/** The longest dispute message the arrangements accept. */
const disputeMessageLength = 4_000;

/**
 * A person does what a debtor's reply asks, in one click: records the promise with the date the
 * debtor gave, opens a dispute with the debtor's own words, or stops emails to a debtor who asked
 * for no more. Each covers the debtor's open invoices, is recorded as the debtor's by reply (with the
 * person who confirmed it), and marks the reply read. Refused when the reply does not offer it.
 */
export async function actOnReply(
  ctx: ServiceContext,
  request: { replyId: string; act: ReplyAct },
): Promise<void> {
  const { db, orgId, now } = ctx;
  const [reply] = await db
    .select({
      customerId: debtorReplies.customerId,
      customerName: customers.name,
      class: debtorReplies.class,
      promisedDate: debtorReplies.promisedDate,
      text: debtorReplies.text,
      receivedAt: debtorReplies.receivedAt,
      byText: isNotNull(debtorReplies.inboundSmsId),
    })
    .from(debtorReplies)
    .innerJoin(customers, and(eq(customers.id, debtorReplies.customerId), eq(customers.orgId, orgId)))
    .where(
      and(
        eq(debtorReplies.id, request.replyId),
        eq(debtorReplies.orgId, orgId),
        isNull(debtorReplies.readAt),
      ),
    );
  if (!reply) throw notFound('unread reply');
  if (actOffered(reply) !== request.act)
    throw new AppError(400, 'invalid_request', 'That action is not one this reply offers.');
  const actor = actorKey(ctx.actor);
  const debtor = { orgId, customerId: reply.customerId };
  if (request.act === 'stop') {
    await optOutCustomer(db, debtor, {
      at: now,
      summary: `${reply.customerName} asked by email reply for no more emails; a person confirmed it: no further automatic emails will be sent.`,
      details: { via: 'reply', replyId: request.replyId, confirmedBy: actor },
    });
  } else {
    const [organisation, policy] = await Promise.all([organisationProfile(db, orgId), policyOf(db, orgId)]);
    if (!organisation) throw notFound('organisation');
    const arrangement: ArrangementRequest = {
      ...debtor,
      invoiceIds: [],
      source: 'reply',
      actor,
      now,
      today: localMoment(now, organisation.timeZone).date,
      // A person accepts the date the debtor wrote: the portal's own limit on how far ahead a debtor
      // may promise without asking does not bind them; the furthest any promise may be still does.
      limits: { ...policy.arrangements, promiseMaxDays: promiseMaxDaysLimit },
    };
    if (request.act === 'promise')
      await makePromise(db, { ...arrangement, promisedDate: reply.promisedDate ?? '' });
    else {
      const words = ownWords(reply.text).trim() || '(the reply held no words of its own)';
      const message = `In their ${reply.byText ? 'text' : 'email reply'} of ${reply.receivedAt.toISOString().slice(0, 10)}: ${words}`;
      await openDispute(db, {
        ...arrangement,
        reason: 'other',
        message:
          message.length > disputeMessageLength ? `${message.slice(0, disputeMessageLength - 1)}…` : message,
      });
    }
  }
  await markReplyRead(db, { orgId, replyId: request.replyId, actor, now });
}
