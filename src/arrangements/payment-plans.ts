import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.js';
import { collectionTasks, paymentPlans } from '../db/schema/index.js';
import { formatPlainMoney } from '../domain/money.js';
import { AppError } from '../errors.js';
import { queueLedgerWrites } from '../ledger-writes/queue.js';
import { closeTask, record } from './arrangement-log.js';
import { type ArrangementRequest, lockDebtor, who } from './arrangement-request.js';
import { chooseInvoices, invoiceNames, openInvoicesOf } from './debtor-invoices.js';
import { recordOwnerEvent } from './owner-events.js';
import { ArrangementInputError, proposePlan } from './proposals.js';

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
    if (request.source === 'portal')
      await recordOwnerEvent(tx, {
        orgId: request.orgId,
        customerId: request.customerId,
        kind: proposal.withinLimits ? 'plan' : 'plan_request',
        summary: proposal.withinLimits
          ? `set up a payment plan for ${invoiceNames(chosen)}: ${schedule}`
          : `asked for a payment plan outside your limits for ${invoiceNames(chosen)} (${plan.approvalReason}): ${schedule}`,
        invoices: chosen,
        now: request.now,
      });
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
