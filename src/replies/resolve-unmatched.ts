import { and, eq, isNull } from 'drizzle-orm';
import type { Transaction } from '../db/client.js';
import { activityLog, customers, inboundEmails, inboundSms, organisations } from '../db/schema/index.js';
import { actorKey } from '../domain/actor.js';
import { notFound } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import { recordReply } from './record-reply.js';
import { unmatchedEmailsOf, unmatchedTextsOf } from './unmatched-scope.js';

/** An unmatched message of the organisation, named by its kind and id. */
export interface UnmatchedRef {
  kind: 'email' | 'text';
  id: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Takes one of the organisation's unmatched messages out of the list, in the caller's transaction,
 * and returns what it says; 404 when it is not one (another organisation's, dealt with already, or
 * a text whose number a customer holds again).
 */
async function take(tx: Transaction, ctx: ServiceContext, ref: UnmatchedRef, to: 'taken' | 'dismissed') {
  if (!uuid.test(ref.id)) throw notFound('unmatched message');
  if (ref.kind === 'email') {
    const [email] = await tx
      .update(inboundEmails)
      .set({ status: to === 'taken' ? 'matched' : 'dismissed', processedAt: ctx.now })
      .where(and(eq(inboundEmails.id, ref.id), unmatchedEmailsOf(ctx.orgId)))
      .returning();
    if (!email) throw notFound('unmatched message');
    return {
      from: email.fromAddress,
      subject: email.subject,
      text: email.text,
      receivedAt: email.receivedAt,
    };
  }
  const [text] = await tx
    .update(inboundSms)
    .set({ status: to === 'taken' ? 'assigned' : 'dismissed' })
    .where(and(eq(inboundSms.id, ref.id), unmatchedTextsOf(ctx.orgId)))
    .returning();
  if (!text) throw notFound('unmatched message');
  return { from: text.fromPhone, subject: '', text: text.body, receivedAt: text.receivedAt };
}

/**
 * "This is from <customer>": the message becomes that customer's reply, recorded as any reply is
 * (`recordReply`: on their timeline, holding their chasing until a person reads it, told to the
 * owner), noted as assigned by the person. One transaction: a second click finds nothing to take.
 */
export async function assignUnmatched(
  ctx: ServiceContext,
  request: UnmatchedRef & { customerId: string },
): Promise<{ customerId: string; customerName: string }> {
  if (!uuid.test(request.customerId)) throw notFound('customer');
  return ctx.db.transaction(async (tx) => {
    const [customer] = await tx
      .select({ id: customers.id, name: customers.name, timeZone: organisations.timeZone })
      .from(customers)
      .innerJoin(organisations, eq(organisations.id, customers.orgId))
      .where(
        and(
          eq(customers.id, request.customerId),
          eq(customers.orgId, ctx.orgId),
          isNull(customers.deletedAt),
        ),
      );
    if (!customer) throw notFound('customer');
    const message = await take(tx, ctx, request, 'taken');
    await recordReply(tx, {
      orgId: ctx.orgId,
      customerId: customer.id,
      customerName: customer.name,
      timeZone: customer.timeZone,
      source: request.kind === 'email' ? { inboundEmailId: request.id } : { inboundSmsId: request.id },
      messageId: null,
      matchedBy: 'person',
      assignedBy: actorKey(ctx.actor),
      fromAddress: message.from,
      subject: message.subject,
      text: message.text,
      receivedAt: message.receivedAt,
      now: ctx.now,
    });
    return { customerId: customer.id, customerName: customer.name };
  });
}

/** "Dismiss": the message leaves the list, on nobody's timeline; the organisation's activity records who. */
export async function dismissUnmatched(ctx: ServiceContext, ref: UnmatchedRef): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const message = await take(tx, ctx, ref, 'dismissed');
    await tx.insert(activityLog).values({
      orgId: ctx.orgId,
      customerId: null,
      kind: 'unmatched.dismissed',
      actor: actorKey(ctx.actor),
      summary: `Dismissed an unmatched ${ref.kind === 'email' ? 'email' : 'text'} from ${message.from}`,
      details: ref.kind === 'email' ? { inboundEmailId: ref.id } : { inboundSmsId: ref.id },
      occurredAt: ctx.now,
    });
  });
}
