import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { openDisputes, plansAwaitingApproval } from '../arrangements/review.js';
import { pendingFlags } from '../collections/decide-flag.js';
import { loadOrganisationContext, loadSnapshots } from '../collections/load-snapshots.js';
import { policyOf } from '../collections/policy-versions.js';
import { nextSendingInstant } from '../collections/sending-window.js';
import type { Database, Transaction } from '../db/client.js';
import { activityLog, collectionTasks, customers, outboundMessages } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { recordSent, sendAttemptedAt } from '../messaging/record-sent.js';
import { repliesToRead } from './replies-to-read.js';

/** Everything waiting for a person in one organisation: what the review page lists. */
export async function reviewQueue(db: Database, orgId: string) {
  const [flags, waiting, tasks, plans, disputes, replies] = await Promise.all([
    pendingFlags(db, [orgId]),
    // Reminders waiting for approval, and emails in doubt after a crash: both wait for a person.
    db
      .select({
        id: outboundMessages.id,
        status: outboundMessages.status,
        customerId: outboundMessages.customerId,
        customerName: customers.name,
        to: outboundMessages.to,
        subject: outboundMessages.subject,
        renderInputs: outboundMessages.renderInputs,
        createdAt: outboundMessages.createdAt,
        attemptedAt:
          sql<Date>`coalesce(${outboundMessages.sendingSince}, ${outboundMessages.updatedAt})`.mapWith(
            outboundMessages.updatedAt,
          ),
      })
      .from(outboundMessages)
      .innerJoin(customers, eq(customers.id, outboundMessages.customerId))
      .where(
        and(
          eq(outboundMessages.orgId, orgId),
          inArray(outboundMessages.status, ['awaiting_approval', 'uncertain']),
        ),
      )
      .orderBy(desc(outboundMessages.updatedAt))
      .limit(400),
    db
      .select({
        id: collectionTasks.id,
        customerId: collectionTasks.customerId,
        customerName: customers.name,
        kind: collectionTasks.kind,
        description: collectionTasks.description,
        idempotencyKey: collectionTasks.idempotencyKey,
        createdAt: collectionTasks.createdAt,
      })
      .from(collectionTasks)
      .innerJoin(customers, eq(customers.id, collectionTasks.customerId))
      .where(and(eq(collectionTasks.orgId, orgId), eq(collectionTasks.status, 'open')))
      .orderBy(desc(collectionTasks.createdAt))
      .limit(200),
    plansAwaitingApproval(db, [orgId]),
    openDisputes(db, [orgId]),
    repliesToRead(db, orgId),
  ]);
  const names = new Map<string, string>();
  if (flags.length > 0) {
    const rows = await db
      .select({ id: customers.id, name: customers.name })
      .from(customers)
      .where(
        and(
          eq(customers.orgId, orgId),
          inArray(customers.id, [...new Set(flags.map((flag) => flag.customerId))]),
        ),
      );
    for (const row of rows) names.set(row.id, row.name);
  }
  // A dispute and a plan asked for outside the limits each carry a task for a person (the timeline
  // shows it); the queue lists them once, as the dispute or the plan, where they are decided.
  const listedElsewhere = new Set([
    ...disputes.map((dispute) => `dispute:${dispute.id}`),
    ...plans.map((plan) => `plan:${plan.id}:approve`),
  ]);
  const queue = {
    flags: flags.map((flag) => ({ ...flag, customerName: names.get(flag.customerId) ?? '' })),
    messages: waiting.filter((message) => message.status === 'awaiting_approval'),
    uncertain: waiting.filter((message) => message.status === 'uncertain'),
    tasks: tasks.filter((task) => !listedElsewhere.has(task.idempotencyKey)),
    plans,
    disputes,
    replies,
  };
  return { ...queue, total: Object.values(queue).reduce((sum, items) => sum + items.length, 0) };
}
export type ReviewQueue = Awaited<ReturnType<typeof reviewQueue>>;

/**
 * When an approved reminder may go: now, or the next opening of its debtor's sending window (their
 * hours and working days, never a public holiday or a closed day), as the planner would have sent it.
 */
async function sendingWindowFrom(db: Database, message: typeof outboundMessages.$inferSelect, now: Date) {
  if (!message.customerId) return now;
  const org = await loadOrganisationContext(db, message.orgId);
  if (!org) return now;
  const [snapshot] = await loadSnapshots(db, org, { customerIds: [message.customerId], now });
  return snapshot ? nextSendingInstant(snapshot, await policyOf(db, message.orgId), now) : now;
}

/** One of the organisation's messages, locked for a decision, as long as it is still `status`. */
async function lockMessage(
  tx: Transaction,
  request: { orgId: string; messageId: string },
  status: (typeof outboundMessages.$inferSelect)['status'],
  decidedAlready: string,
) {
  const [message] = await tx
    .select()
    .from(outboundMessages)
    .where(and(eq(outboundMessages.id, request.messageId), eq(outboundMessages.orgId, request.orgId)))
    .for('update');
  if (!message) throw new AppError(404, 'not_found', 'No such message.');
  if (message.status !== status) throw new AppError(409, 'already_decided', decidedAlready);
  return message;
}

/**
 * A person's answer to a reminder that waits for approval (a high-value customer, a step marked
 * "you approve"): approved, it is sent in the next sending window; rejected, it is cancelled.
 */
export async function decideMessage(
  db: Database,
  request: { orgId: string; messageId: string; decision: 'approved' | 'rejected'; actor: string; now: Date },
) {
  return db.transaction(async (tx) => {
    const message = await lockMessage(
      tx,
      request,
      'awaiting_approval',
      'This message is no longer waiting for approval.',
    );
    const approved = request.decision === 'approved';
    await tx
      .update(outboundMessages)
      .set({
        status: approved ? 'pending' : 'cancelled',
        sendAfter: approved ? await sendingWindowFrom(db, message, request.now) : request.now,
      })
      .where(eq(outboundMessages.id, message.id));
    await tx.insert(activityLog).values({
      orgId: request.orgId,
      customerId: message.customerId,
      kind: approved ? 'reminder.approved' : 'reminder.rejected',
      actor: request.actor,
      summary: approved
        ? 'Approved a reminder; it goes out in the next sending window.'
        : 'Rejected a reminder; it will not be sent.',
      details: { messageId: message.id },
    });
  });
}

/**
 * A person's answer about an email the provider could not account for after a crash (it is never
 * sent again on its own): it arrived (recorded as sent when it was tried, with its note), or it did
 * not and should go now (back to the outbox, sent within minutes).
 */
export async function settleUncertainMessage(
  db: Database,
  request: { orgId: string; messageId: string; outcome: 'arrived' | 'resend'; actor: string; now: Date },
) {
  return db.transaction(async (tx) => {
    const message = await lockMessage(tx, request, 'uncertain', 'This email is no longer in doubt.');
    if (request.outcome === 'arrived') {
      await recordSent(tx, message, {
        at: sendAttemptedAt(message),
        providerMessageId: null,
        actor: request.actor,
      });
      return;
    }
    await tx
      .update(outboundMessages)
      .set({ status: 'pending', sendAfter: request.now, lastError: null })
      .where(eq(outboundMessages.id, message.id));
    await tx.insert(activityLog).values({
      orgId: request.orgId,
      customerId: message.customerId,
      kind: 'reminder.resend',
      actor: request.actor,
      summary: "Not received, by a person's account: sent again.",
      details: { messageId: message.id },
    });
  });
}

/** Marks a task for a person done (or dismissed), once. */
export async function finishTask(
  db: Database,
  request: { orgId: string; taskId: string; status: 'done' | 'dismissed'; actor: string; now: Date },
) {
  return db.transaction(async (tx) => {
    const [task] = await tx
      .update(collectionTasks)
      .set({ status: request.status, closedAt: request.now, closedBy: request.actor })
      .where(
        and(
          eq(collectionTasks.id, request.taskId),
          eq(collectionTasks.orgId, request.orgId),
          eq(collectionTasks.status, 'open'),
          // A call or a letter is done through its own form, which says how it went.
          ...(request.status === 'done' ? [eq(collectionTasks.kind, 'task')] : []),
        ),
      )
      .returning();
    if (!task) throw new AppError(404, 'not_found', 'No such open task.');
    await tx.insert(activityLog).values({
      orgId: request.orgId,
      customerId: task.customerId,
      kind: request.status === 'done' ? 'task.done' : 'task.dismissed',
      actor: request.actor,
      summary: `${request.status === 'done' ? 'Done' : 'Dismissed'}: ${task.description}`,
      details: { taskId: task.id, invoiceIds: task.invoiceIds },
    });
  });
}
