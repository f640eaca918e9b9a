import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Writer } from '../db/client.js';
import { activityLog, collectionSteps, organisations, outboundMessages } from '../db/schema/index.js';
import { actorKey } from '../domain/actor.js';
import { AppError, notFound } from '../errors.js';
import type { ServiceContext } from '../services/context.js';

/**
 * Whether an organisation's emails go out. `preview`: a newly connected organisation; everything is
 * planned (and shown), nothing is sent or written to the books. `live`: sending. `paused`: the owner
 * stopped everything; planned like preview, nothing goes.
 */
export type SendingState = 'preview' | 'live' | 'paused';

/**
 * Messages to the organisation's own people go whatever the state: every message about no customer
 * (the weekly summary, the go-live checklist's test email, anything else to the owner), and a
 * dispute passed on (about a customer, to the organisation). Everything else is to a debtor.
 */
export const ownerNoticeTemplates = ['dispute-notice'] as const;

/** Whether a message is to the organisation's own people (see `ownerNoticeTemplates`). */
export const toOwners = (message: { customerId: string | null; template: string }) =>
  message.customerId === null || (ownerNoticeTemplates as readonly string[]).includes(message.template);

/** The same, in SQL over outbound_messages. */
export const toOwnersSql = sql`(${outboundMessages.customerId} is null or ${inArray(outboundMessages.template, [...ownerNoticeTemplates])})`;

export async function sendingOf(db: Writer, orgId: string): Promise<SendingState | null> {
  const [row] = await db
    .select({ sending: organisations.sending })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  return row?.sending ?? null;
}

/**
 * The SQL condition a claim adds: the message is to the organisation's own people, or its
 * organisation is live at this instant. Read in the claim's own statement, so a pause stops a
 * message already queued, down to the last moment before the transport.
 */
export const mayGoNow = sql`(${toOwnersSql} or exists (select 1 from ${organisations} o where o.id = ${outboundMessages.orgId} and o.sending = 'live'))`;

/**
 * Takes back the debtors' reminders still waiting in the outbox (planned before a pause, or at any
 * time before going live): each row, its steps and so its place in the journey, with an entry in the
 * activity log. The evaluation that follows plans again from the moment it runs, so nothing stale
 * goes: no backlog (at most the one contact each debtor is due now), no heads-up after its due date,
 * and the contact cap counted from what was really sent. Messages being sent, awaiting a person's
 * approval, or to the organisation itself are left alone. Returns how many were taken back.
 */
export async function withdrawWaitingReminders(
  tx: Writer,
  orgId: string,
  at: Date,
  /** Only this customer's, and why (in the activity log). */
  only: { customerId?: string; summary?: string } = {},
): Promise<number> {
  const withdrawn = await tx
    .delete(outboundMessages)
    .where(
      and(
        eq(outboundMessages.orgId, orgId),
        eq(outboundMessages.status, 'pending'),
        eq(outboundMessages.purpose, 'reminder'),
        only.customerId ? eq(outboundMessages.customerId, only.customerId) : undefined,
      ),
    )
    .returning({
      id: outboundMessages.id,
      customerId: outboundMessages.customerId,
      key: outboundMessages.idempotencyKey,
      sendAfter: outboundMessages.sendAfter,
    });
  const keys = withdrawn.map((row) => row.key);
  if (keys.length === 0) return 0;
  await tx
    .delete(collectionSteps)
    .where(
      and(
        eq(collectionSteps.orgId, orgId),
        eq(collectionSteps.kind, 'email'),
        inArray(collectionSteps.effectKey, keys),
      ),
    );
  await tx.insert(activityLog).values(
    withdrawn.map((row) => ({
      orgId,
      customerId: row.customerId,
      kind: 'reminder.withdrawn',
      actor: 'system',
      summary: only.summary ?? 'Not sent: planned while emails were not going out; planned again from today',
      details: { key: row.key, plannedFor: row.sendAfter.toISOString() },
      occurredAt: at,
    })),
  );
  return withdrawn.length;
}

const words: Record<SendingState, string> = {
  preview: 'Emails set to preview',
  live: 'Emails went live',
  paused: 'All emails paused',
};

/**
 * Moves the organisation to `to` (under a row lock, so two clicks apply once), recording who did it.
 * Going live or resuming takes back the reminders left waiting (see `withdrawWaitingReminders`); the
 * caller then asks for an evaluation. Returns the state before, and how many were taken back.
 */
export async function changeSending(
  ctx: ServiceContext,
  to: SendingState,
  allowedFrom: SendingState[],
): Promise<{ from: SendingState; withdrawn: number }> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ sending: organisations.sending })
      .from(organisations)
      .where(eq(organisations.id, ctx.orgId))
      .for('update');
    if (!row) throw notFound('organisation');
    if (row.sending === to) return { from: row.sending, withdrawn: 0 };
    if (!allowedFrom.includes(row.sending))
      throw new AppError(
        409,
        'sending_state',
        `Emails are ${row.sending}: that cannot change to ${to} here.`,
      );
    const withdrawn = to === 'live' ? await withdrawWaitingReminders(tx, ctx.orgId, ctx.now) : 0;
    await tx
      .update(organisations)
      .set({ sending: to, sendingChangedAt: ctx.now })
      .where(eq(organisations.id, ctx.orgId));
    await tx.insert(activityLog).values({
      orgId: ctx.orgId,
      kind: `organisation.sending_${to}`,
      actor: actorKey(ctx.actor),
      summary: words[to],
      details: { from: row.sending, withdrawn },
      occurredAt: ctx.now,
    });
    return { from: row.sending, withdrawn };
  });
}
