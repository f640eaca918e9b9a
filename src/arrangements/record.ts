import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ArrangementLimits } from '../collections/policy.js';
import type { Database, Transaction } from '../db/client.js';
import {
  type ArrangementSource,
  activityLog,
  collectionTasks,
  disputeInvoices,
  disputes,
  outboundMessages,
  paymentPlans,
  paymentPromises,
  settlements,
} from '../db/schema/index.js';
import { formatPlainMoney } from '../domain/money.js';
import { AppError } from '../errors.js';
import { escapeHtml } from '../http/html.js';
import { notesFor, queueLedgerWrites } from '../ledger-writes/queue.js';
import {
  chooseInvoices,
  type DebtorScope,
  invoiceNames,
  type OpenInvoice,
  openInvoicesOf,
} from './debtor-invoices.js';
import { ArrangementInputError, checkPromisedDate, proposePlan } from './proposals.js';

export interface ArrangementRequest extends DebtorScope {
  invoiceIds: string[];
  source: ArrangementSource;
  /** Who acted, for the activity log: `debtor` or `user:<id>`. */
  actor: string;
  now: Date;
  /** Today in the organisation's time zone. */
  today: string;
  limits: ArrangementLimits;
}

const who = (source: ArrangementSource) =>
  source === 'portal' ? 'The customer (on their page)' : 'A person';

/** Overlapping arrangements of one kind are refused, so there is one answer to "when will they pay?". */
function assertNoneOpen(existing: Array<{ invoiceIds: string[] }>, chosen: OpenInvoice[], what: string) {
  const clash = existing.find((row) =>
    row.invoiceIds.some((id) => chosen.some((invoice) => invoice.id === id)),
  );
  if (clash) throw new ArrangementInputError(what);
}

async function lockDebtor(tx: Transaction, scope: DebtorScope) {
  // One arrangement at a time per debtor: two tabs submitting at once must not both pass the checks.
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`arrangements:${scope.customerId}`}, 0))`,
  );
}

/** "I will pay by …": pauses reminders for those invoices until the date (+ grace). */
export async function makePromise(db: Database, request: ArrangementRequest & { promisedDate: string }) {
  const promisedDate = checkPromisedDate(request.promisedDate, request.today, request.limits);
  return db.transaction(async (tx) => {
    await lockDebtor(tx, request);
    const chosen = chooseInvoices(await openInvoicesOf(tx, request), request.invoiceIds);
    const open = await tx
      .select({ invoiceIds: paymentPromises.invoiceIds, promisedDate: paymentPromises.promisedDate })
      .from(paymentPromises)
      .where(
        and(
          eq(paymentPromises.orgId, request.orgId),
          eq(paymentPromises.customerId, request.customerId),
          eq(paymentPromises.status, 'open'),
        ),
      );
    assertNoneOpen(
      open,
      chosen,
      `You have already told us a date for ${open[0] ? `these invoices (${open[0].promisedDate})` : 'these invoices'}. To change it, please contact us.`,
    );
    const [promise] = await tx
      .insert(paymentPromises)
      .values({
        orgId: request.orgId,
        customerId: request.customerId,
        invoiceIds: chosen.map((invoice) => invoice.id),
        promisedDate,
        source: request.source,
        createdAt: request.now,
      })
      .returning();
    if (!promise) throw new Error('the promise was not stored');
    const summary = `${who(request.source)} promised to pay ${invoiceNames(chosen)} by ${promisedDate}`;
    await record(tx, request, chosen, {
      kind: 'promise.made',
      summary,
      key: `promise:${promise.id}`,
      details: { promiseId: promise.id, promisedDate },
    });
    return promise;
  });
}

/** A plan inside the organisation's limits starts at once; outside them it waits for a person. */
export async function requestPaymentPlan(
  db: Database,
  request: ArrangementRequest & { installmentCount: number; firstDate: string },
) {
  return db.transaction(async (tx) => {
    await lockDebtor(tx, request);
    const chosen = chooseInvoices(await openInvoicesOf(tx, request), request.invoiceIds);
    const currencies = new Set(chosen.map((invoice) => invoice.currency));
    if (currencies.size > 1)
      throw new ArrangementInputError(
        'A plan covers invoices in one currency; choose them one currency at a time.',
      );
    const running = await tx
      .select({ invoiceIds: paymentPlans.invoiceIds })
      .from(paymentPlans)
      .where(
        and(
          eq(paymentPlans.orgId, request.orgId),
          eq(paymentPlans.customerId, request.customerId),
          inArray(paymentPlans.status, ['active', 'awaiting_approval']),
        ),
      );
    if (running.length > 0)
      throw new ArrangementInputError('You already have a payment plan. To change it, please contact us.');
    const balanceMinor = chosen.reduce((sum, invoice) => sum + invoice.balanceMinor, 0);
    const proposal = proposePlan({
      balanceMinor,
      count: request.installmentCount,
      firstDate: request.firstDate,
      today: request.today,
      limits: request.limits,
    });
    const currency = chosen[0]?.currency ?? '';
    const [plan] = await tx
      .insert(paymentPlans)
      .values({
        orgId: request.orgId,
        customerId: request.customerId,
        invoiceIds: chosen.map((invoice) => invoice.id),
        currency,
        startBalanceMinor: balanceMinor,
        installments: proposal.installments,
        status: proposal.withinLimits ? 'active' : 'awaiting_approval',
        approvalReason: proposal.withinLimits ? null : proposal.reasons.join('; '),
        source: request.source,
        createdAt: request.now,
      })
      .returning();
    if (!plan) throw new Error('the plan was not stored');
    const schedule = describeSchedule(plan.installments, currency);
    if (proposal.withinLimits) {
      await startPlan(
        tx,
        plan,
        chosen,
        request.actor,
        request.now,
        `${who(request.source)} set up a payment plan`,
      );
    } else {
      await record(tx, request, chosen, {
        kind: 'plan.requested',
        summary: `${who(request.source)} asked for a payment plan outside the limits (${plan.approvalReason}): ${schedule}`,
        key: `plan:${plan.id}:requested`,
        details: { planId: plan.id },
      });
      await tx
        .insert(collectionTasks)
        .values({
          orgId: request.orgId,
          customerId: request.customerId,
          idempotencyKey: `plan:${plan.id}:approve`,
          description: `Approve or decline a payment plan: ${schedule} (${plan.approvalReason})`,
          invoiceIds: plan.invoiceIds,
        })
        .onConflictDoNothing();
    }
    return plan;
  });
}

/** "3 payments: GBP 400.00 on 2026-12-01, …" */
export function describeSchedule(
  installments: Array<{ dueDate: string; amountMinor: number }>,
  currency: string,
) {
  return `${installments.length} payments: ${installments
    .map(
      (installment) =>
        `${formatPlainMoney({ amountMinor: installment.amountMinor, currency })} on ${installment.dueDate}`,
    )
    .join(', ')}`;
}

/** Records a plan that is in force, notes its schedule, and moves the due dates to the first installment. */
async function startPlan(
  tx: Transaction,
  plan: typeof paymentPlans.$inferSelect,
  chosen: Array<{ id: string; connectionId: string; number: string | null }>,
  actor: string,
  now: Date,
  lead: string,
) {
  const schedule = describeSchedule(plan.installments, plan.currency);
  await record(tx, { orgId: plan.orgId, customerId: plan.customerId, actor, now }, chosen, {
    kind: 'plan.started',
    summary: `${lead} for ${invoiceNames(chosen)}: ${schedule}`,
    key: `plan:${plan.id}:started`,
    details: { planId: plan.id },
  });
  const first = plan.installments[0];
  if (first) await queueDueDateMoves(tx, plan.orgId, plan.id, 1, first.dueDate, chosen);
}

/** Moves the plan's invoices' due dates to an installment's date (once per installment and invoice). */
export async function queueDueDateMoves(
  tx: Transaction,
  orgId: string,
  planId: string,
  installmentNumber: number,
  dueDate: string,
  chosen: Array<{ id: string; connectionId: string }>,
) {
  await queueLedgerWrites(
    tx,
    chosen.map((invoice) => ({
      orgId,
      connectionId: invoice.connectionId,
      invoiceId: invoice.id,
      kind: 'due_date' as const,
      idempotencyKey: `plan:${planId}:installment:${installmentNumber}:${invoice.id}`,
      payload: { dueDate, reason: `payment plan installment ${installmentNumber}` },
    })),
  );
}

/** A person's decision on a plan that was outside the limits. */
export async function decidePaymentPlan(
  db: Database,
  request: { orgIds: string[]; planId: string; decision: 'approved' | 'rejected'; actor: string; now: Date },
) {
  if (request.orgIds.length === 0) throw new AppError(404, 'not_found', 'No such payment plan.');
  return db.transaction(async (tx) => {
    const [plan] = await tx
      .select()
      .from(paymentPlans)
      .where(and(eq(paymentPlans.id, request.planId), inArray(paymentPlans.orgId, request.orgIds)))
      .for('update');
    if (!plan) throw new AppError(404, 'not_found', 'No such payment plan.');
    if (plan.status !== 'awaiting_approval')
      throw new AppError(409, 'already_decided', `This plan is already ${plan.status.replace('_', ' ')}.`);
    const [decided] = await tx
      .update(paymentPlans)
      .set({
        status: request.decision === 'approved' ? 'active' : 'rejected',
        resolvedAt: request.decision === 'approved' ? null : request.now,
      })
      .where(eq(paymentPlans.id, plan.id))
      .returning();
    const open = await openInvoicesOf(tx, plan);
    const chosen = open.filter((invoice) => plan.invoiceIds.includes(invoice.id));
    await closeTask(tx, plan.orgId, `plan:${plan.id}:approve`, request);
    if (request.decision === 'approved' && decided) {
      await startPlan(
        tx,
        decided,
        chosen,
        request.actor,
        request.now,
        'A person approved the requested payment plan',
      );
    } else {
      await record(
        tx,
        { orgId: plan.orgId, customerId: plan.customerId, actor: request.actor, now: request.now },
        chosen,
        {
          kind: 'plan.rejected',
          summary: `A person declined the requested payment plan (${describeSchedule(plan.installments, plan.currency)})`,
          key: `plan:${plan.id}:rejected`,
          details: { planId: plan.id },
        },
      );
    }
    return decided;
  });
}

export const disputeReasons = {
  not_received: 'The goods or services were not received',
  wrong_amount: 'The amount is wrong',
  quality: 'A problem with the quality',
  already_paid: 'Already paid',
  other: 'Something else',
} as const;
export type DisputeReason = keyof typeof disputeReasons;

/** Postgres's unique_violation, as the driver reports it (possibly wrapped by drizzle). */
function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let current: unknown = error; typeof current === 'object' && current !== null; ) {
    if (Reflect.get(current, 'code') === '23505' && Reflect.get(current, 'constraint') === constraint)
      return true;
    current = Reflect.get(current, 'cause');
  }
  return false;
}

/** The debtor's page says this when the invoices are under review already: one dispute per invoice. */
export function alreadyUnderReview(names: string): ArrangementInputError {
  return new ArrangementInputError(
    `We already have your message about ${names}: it is under review and reminders for it stay paused until someone gets back to you. To add anything, reply to our email or contact us.`,
    409,
  );
}

/**
 * Stops chasing the invoices, gives a person a task to answer it, and tells the organisation. One
 * open dispute per invoice (the database holds it too): disputing an invoice already under review is
 * refused, so a debtor who submits again, or twice at once, does not pile up tasks and ledger notes.
 * Named invoices of which some are under review are refused whole, naming those; with none named,
 * the invoices not yet under review are disputed.
 */
export async function openDispute(
  db: Database,
  request: ArrangementRequest & { reason: DisputeReason; message: string; notifyEmail: string | null },
) {
  const message = request.message.trim();
  if (message.length === 0) throw new ArrangementInputError('Tell us what is wrong, so we can look into it.');
  if (message.length > 4000)
    throw new ArrangementInputError('Please keep the message under 4,000 characters.');
  try {
    return await db.transaction(async (tx) => {
      await lockDebtor(tx, request);
      const open = await openInvoicesOf(tx, request);
      const reviewed = await underReview(
        tx,
        request.orgId,
        open.map((invoice) => invoice.id),
      );
      let chosen: OpenInvoice[];
      if (request.invoiceIds.length === 0) {
        chosen = chooseInvoices(open, []).filter((invoice) => !reviewed.has(invoice.id));
        if (chosen.length === 0) throw alreadyUnderReview(invoiceNames(open));
      } else {
        chosen = chooseInvoices(open, request.invoiceIds);
        const clash = chosen.filter((invoice) => reviewed.has(invoice.id));
        if (clash.length > 0) throw alreadyUnderReview(invoiceNames(clash));
      }
      return await insertDispute(tx, request, chosen, message);
    });
  } catch (error) {
    // Another dispute of these invoices got in first (the lock is per debtor; the index is the rule).
    if (isUniqueViolation(error, 'dispute_invoices_one_open_idx')) throw alreadyUnderReview('these invoices');
    throw error;
  }
}

/** Which of these invoices are under an open dispute now. */
async function underReview(tx: Transaction, orgId: string, invoiceIds: string[]): Promise<Set<string>> {
  if (invoiceIds.length === 0) return new Set();
  const rows = await tx
    .select({ invoiceId: disputeInvoices.invoiceId })
    .from(disputeInvoices)
    .where(
      and(
        eq(disputeInvoices.orgId, orgId),
        inArray(disputeInvoices.invoiceId, invoiceIds),
        eq(disputeInvoices.open, true),
      ),
    );
  return new Set(rows.map((row) => row.invoiceId));
}

async function insertDispute(
  tx: Transaction,
  request: ArrangementRequest & { reason: DisputeReason; notifyEmail: string | null },
  chosen: OpenInvoice[],
  message: string,
) {
  const [dispute] = await tx
    .insert(disputes)
    .values({
      orgId: request.orgId,
      customerId: request.customerId,
      invoiceIds: chosen.map((invoice) => invoice.id),
      reason: request.reason,
      message,
      source: request.source,
      createdAt: request.now,
    })
    .returning();
  if (!dispute) throw new Error('the dispute was not stored');
  await tx
    .insert(disputeInvoices)
    .values(
      chosen.map((invoice) => ({ disputeId: dispute.id, orgId: request.orgId, invoiceId: invoice.id })),
    );
  const reason = disputeReasons[request.reason];
  await record(tx, request, chosen, {
    kind: 'dispute.opened',
    summary: `${who(request.source)} disputed ${invoiceNames(chosen)}: ${reason}`,
    key: `dispute:${dispute.id}`,
    details: { disputeId: dispute.id, reason: request.reason },
  });
  await tx.insert(collectionTasks).values({
    orgId: request.orgId,
    customerId: request.customerId,
    idempotencyKey: `dispute:${dispute.id}`,
    description: `Answer the dispute about ${invoiceNames(chosen)} (${reason}); chasing is paused until it is resolved`,
    invoiceIds: dispute.invoiceIds,
  });
  if (request.notifyEmail) {
    const text = `A customer disputed ${invoiceNames(chosen)} on their Dunwell page.\n\nReason: ${reason}\n\n${message}\n\nReminders for these invoices are paused until someone resolves the dispute in Dunwell.`;
    await tx.insert(outboundMessages).values({
      orgId: request.orgId,
      customerId: request.customerId,
      purpose: 'notice',
      idempotencyKey: `dispute:${dispute.id}:notice`,
      to: [{ email: request.notifyEmail }],
      subject: `Dispute: ${invoiceNames(chosen)}`,
      template: 'dispute-notice',
      bodyText: text,
      bodyHtml: `<pre style="font-family:inherit;white-space:pre-wrap">${escapeHtml(text)}</pre>`,
    });
  }
  return dispute;
}

/** A person resolves a dispute; chasing the invoices resumes from where it stopped. */
export async function resolveDispute(
  db: Database,
  request: { orgIds: string[]; disputeId: string; resolution: string; actor: string; now: Date },
) {
  if (request.orgIds.length === 0) throw new AppError(404, 'not_found', 'No such dispute.');
  return db.transaction(async (tx) => {
    const [dispute] = await tx
      .select()
      .from(disputes)
      .where(and(eq(disputes.id, request.disputeId), inArray(disputes.orgId, request.orgIds)))
      .for('update');
    if (!dispute) throw new AppError(404, 'not_found', 'No such dispute.');
    if (dispute.status !== 'open')
      throw new AppError(409, 'already_resolved', 'This dispute is already resolved.');
    const [resolved] = await tx
      .update(disputes)
      .set({
        status: 'resolved',
        resolvedAt: request.now,
        resolvedBy: request.actor,
        resolution: request.resolution,
      })
      .where(eq(disputes.id, dispute.id))
      .returning();
    await tx
      .update(disputeInvoices)
      .set({ open: false })
      .where(and(eq(disputeInvoices.orgId, dispute.orgId), eq(disputeInvoices.disputeId, dispute.id)));
    const open = await openInvoicesOf(tx, dispute);
    await record(
      tx,
      { orgId: dispute.orgId, customerId: dispute.customerId, actor: request.actor, now: request.now },
      open.filter((invoice) => dispute.invoiceIds.includes(invoice.id)),
      {
        kind: 'dispute.resolved',
        summary: `A person resolved the dispute (${request.resolution}); chasing resumes`,
        key: `dispute:${dispute.id}:resolved`,
        details: { disputeId: dispute.id },
      },
    );
    await closeTask(tx, dispute.orgId, `dispute:${dispute.id}`, request);
    return resolved;
  });
}

/** The debtor accepts a settlement offer: it stays open until its date, and the credit follows payment. */
export async function acceptSettlement(
  db: Database,
  request: DebtorScope & { settlementId: string; actor: string; now: Date },
) {
  return db.transaction(async (tx) => {
    const [offer] = await tx
      .select()
      .from(settlements)
      .where(
        and(
          eq(settlements.id, request.settlementId),
          eq(settlements.orgId, request.orgId),
          eq(settlements.customerId, request.customerId),
        ),
      )
      .for('update');
    if (!offer || (offer.status !== 'offered' && offer.status !== 'accepted'))
      throw new ArrangementInputError('This offer is no longer open. Please contact us.');
    if (offer.status === 'accepted') return offer;
    const [accepted] = await tx
      .update(settlements)
      .set({ status: 'accepted', acceptedAt: request.now })
      .where(eq(settlements.id, offer.id))
      .returning();
    const open = await openInvoicesOf(tx, request);
    const amount = formatPlainMoney({ amountMinor: offer.offerMinor, currency: offer.currency });
    await record(
      tx,
      request,
      open.filter((invoice) => offer.invoiceIds.includes(invoice.id)),
      {
        kind: 'settlement.accepted',
        summary: `The customer accepted the settlement offer: ${amount} by ${offer.payBy}`,
        key: `settlement:${offer.id}:accepted`,
        details: { settlementId: offer.id },
      },
    );
    return accepted;
  });
}

/** Marks done the task a person was given for an arrangement, once they have acted on it. */
async function closeTask(tx: Transaction, orgId: string, key: string, by: { actor: string; now: Date }) {
  await tx
    .update(collectionTasks)
    .set({ status: 'done', closedAt: by.now, closedBy: by.actor })
    .where(and(eq(collectionTasks.orgId, orgId), eq(collectionTasks.idempotencyKey, key)));
}

/** The activity-log entry and the ledger note of one arrangement event, on each invoice it concerns. */
export async function record(
  tx: Transaction,
  scope: DebtorScope & { actor: string; now: Date },
  chosen: Array<{ id: string; connectionId: string }>,
  event: { kind: string; summary: string; key: string; details: Record<string, unknown> },
) {
  await tx.insert(activityLog).values({
    orgId: scope.orgId,
    customerId: scope.customerId,
    kind: event.kind,
    actor: scope.actor,
    summary: event.summary,
    details: { ...event.details, invoiceIds: chosen.map((invoice) => invoice.id) },
    occurredAt: scope.now,
  });
  const day = scope.now.toISOString().slice(0, 10);
  await queueLedgerWrites(
    tx,
    notesFor(scope.orgId, chosen, `note:${event.key}`, `Dunwell ${day}: ${event.summary}.`),
  );
}
