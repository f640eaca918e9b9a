import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.js';
import { invoices, paymentPlans, paymentPromises, settlements } from '../db/schema/index.js';
import { formatPlainMoney } from '../domain/money.js';
import { queueLedgerWrites } from '../ledger-writes/queue.js';
import { record } from './arrangement-log.js';
import { lapsedBy } from './lapse.js';
import { queueDueDateMoves } from './payment-plans.js';
import { planProgress } from './proposals.js';

export interface ReconcileCounts {
  promisesKept: number;
  promisesBroken: number;
  plansCompleted: number;
  plansBroken: number;
  settlementsPaid: number;
  settlementsExpired: number;
}

/** What the mirror says each of these invoices still owes (0 once paid, voided or deleted). */
async function owedOn(db: Database, orgId: string, invoiceIds: string[]) {
  if (invoiceIds.length === 0)
    return new Map<string, { owed: number; connectionId: string; number: string | null; currency: string }>();
  const rows = await db
    .select({
      id: invoices.id,
      status: invoices.status,
      balanceMinor: invoices.balanceMinor,
      connectionId: invoices.connectionId,
      number: invoices.number,
      currency: invoices.currency,
    })
    .from(invoices)
    .where(and(eq(invoices.orgId, orgId), inArray(invoices.id, invoiceIds)));
  return new Map(
    rows.map((row) => [
      row.id,
      {
        owed: row.status === 'open' ? Math.max(0, row.balanceMinor) : 0,
        connectionId: row.connectionId,
        number: row.number,
        currency: row.currency,
      },
    ]),
  );
}

interface ReconcileOptions {
  now: Date;
  today: string;
  graceDays: number;
  settlementTarget: { ref: string; description: string } | null;
}

/**
 * Carries payments (from the sync) into the arrangements: promises kept or broken, plans advanced
 * (the due dates follow the next installment), completed or broken, settlements paid (the rest is
 * credited) or expired. Run before each evaluation, so the planner sees the outcome the same hour.
 */
export async function reconcileArrangements(
  db: Database,
  orgId: string,
  options: ReconcileOptions,
): Promise<ReconcileCounts> {
  const counts: ReconcileCounts = {
    promisesKept: 0,
    promisesBroken: 0,
    plansCompleted: 0,
    plansBroken: 0,
    settlementsPaid: 0,
    settlementsExpired: 0,
  };
  const [promises, plans, offers] = await Promise.all([
    db
      .select()
      .from(paymentPromises)
      .where(and(eq(paymentPromises.orgId, orgId), eq(paymentPromises.status, 'open'))),
    db
      .select()
      .from(paymentPlans)
      .where(and(eq(paymentPlans.orgId, orgId), eq(paymentPlans.status, 'active'))),
    db
      .select()
      .from(settlements)
      .where(and(eq(settlements.orgId, orgId), inArray(settlements.status, ['offered', 'accepted']))),
  ]);
  const owed = await owedOn(db, orgId, [
    ...new Set([...promises, ...plans, ...offers].flatMap((row) => row.invoiceIds)),
  ]);
  const context = reconcileContext(owed, options);
  const count = (outcome: keyof ReconcileCounts | null) => {
    if (outcome) counts[outcome] += 1;
  };
  for (const promise of promises) count(await reconcilePromise(db, context, promise));
  for (const plan of plans) count(await reconcilePlan(db, context, plan));
  for (const offer of offers) count(await reconcileSettlement(db, context, offer));
  return counts;
}

/** What each arrangement's reconciliation reads: what its invoices still owe, and whether a date has lapsed. */
function reconcileContext(owed: Awaited<ReturnType<typeof owedOn>>, options: ReconcileOptions) {
  return {
    options,
    lapsed: (date: string) => lapsedBy(date, options.today, options.graceDays),
    refs: (ids: string[]) =>
      ids.flatMap((id) => {
        const invoice = owed.get(id);
        return invoice ? [{ id, ...invoice }] : [];
      }),
    stillOwed: (ids: string[]) => ids.reduce((sum, id) => sum + (owed.get(id)?.owed ?? 0), 0),
    scope: (row: { orgId: string; customerId: string }) => ({
      orgId: row.orgId,
      customerId: row.customerId,
      actor: 'system',
      now: options.now,
    }),
  };
}
type ReconcileContext = ReturnType<typeof reconcileContext>;

/** A promise paid in full is kept; one still short after its date and the grace is broken. */
async function reconcilePromise(
  db: Database,
  { options, lapsed, refs, stillOwed, scope }: ReconcileContext,
  promise: typeof paymentPromises.$inferSelect,
): Promise<keyof ReconcileCounts | null> {
  const paidInFull = stillOwed(promise.invoiceIds) === 0;
  if (!paidInFull && !lapsed(promise.promisedDate)) return null;
  await db.transaction(async (tx) => {
    const [changed] = await tx
      .update(paymentPromises)
      .set({ status: paidInFull ? 'kept' : 'broken', resolvedAt: options.now })
      .where(and(eq(paymentPromises.id, promise.id), eq(paymentPromises.status, 'open')))
      .returning({ id: paymentPromises.id });
    if (!changed) return;
    await record(tx, scope(promise), refs(promise.invoiceIds), {
      kind: paidInFull ? 'promise.kept' : 'promise.broken',
      summary: paidInFull
        ? `The promise to pay by ${promise.promisedDate} was kept`
        : `The promise to pay by ${promise.promisedDate} was broken (not paid in full after ${options.graceDays} days' grace); reminders resume`,
      key: `promise:${promise.id}:${paidInFull ? 'kept' : 'broken'}`,
      details: { promiseId: promise.id },
    });
  });
  return paidInFull ? 'promisesKept' : 'promisesBroken';
}

/** A plan is completed, broken (an installment missed past the grace), or its due dates follow it. */
async function reconcilePlan(
  db: Database,
  { options, lapsed, refs, stillOwed, scope }: ReconcileContext,
  plan: typeof paymentPlans.$inferSelect,
): Promise<keyof ReconcileCounts | null> {
  const progress = planProgress(plan.installments, plan.startBalanceMinor - stillOwed(plan.invoiceIds));
  const open = refs(plan.invoiceIds).filter((invoice) => invoice.owed > 0);
  if (progress.complete || open.length === 0) {
    await finishPlan(db, plan, 'completed', options.now, async (tx) =>
      record(tx, scope(plan), refs(plan.invoiceIds), {
        kind: 'plan.completed',
        summary: 'The payment plan was completed',
        key: `plan:${plan.id}:completed`,
        details: { planId: plan.id },
      }),
    );
    return 'plansCompleted';
  }
  if (lapsed(progress.next.dueDate)) {
    const short = formatPlainMoney({ amountMinor: progress.shortMinor, currency: plan.currency });
    await finishPlan(db, plan, 'broken', options.now, async (tx) =>
      record(tx, scope(plan), refs(plan.invoiceIds), {
        kind: 'plan.broken',
        summary: `Installment ${progress.next.number} of ${progress.next.of} (due ${progress.next.dueDate}) was missed: ${short} short after ${options.graceDays} days' grace; the plan is broken and escalation resumes`,
        key: `plan:${plan.id}:broken`,
        details: { planId: plan.id, installment: progress.next.number },
      }),
    );
    return 'plansBroken';
  }
  if (progress.next.number > 1) {
    // The due dates follow the plan: each invoice falls due on the next installment's date.
    await db.transaction((tx) =>
      queueDueDateMoves(tx, plan.orgId, plan.id, progress.next.number, progress.next.dueDate, open),
    );
  }
  return null;
}

/** A settlement paid by its date is settled (the rest credited in the ledger); unpaid after it, it expires. */
async function reconcileSettlement(
  db: Database,
  { options, lapsed, refs, stillOwed, scope }: ReconcileContext,
  offer: typeof settlements.$inferSelect,
): Promise<keyof ReconcileCounts | null> {
  const paid = offer.startBalanceMinor - stillOwed(offer.invoiceIds);
  const settled = paid >= offer.offerMinor;
  if (!settled && !lapsed(offer.payBy)) return null;
  // Without a settlement account chosen, the credit cannot be booked: wait (a person is told by the task list).
  if (settled && !options.settlementTarget) return null;
  await db.transaction(async (tx) => {
    const [changed] = await tx
      .update(settlements)
      .set({ status: settled ? 'paid' : 'expired', resolvedAt: options.now })
      .where(and(eq(settlements.id, offer.id), inArray(settlements.status, ['offered', 'accepted'])))
      .returning({ id: settlements.id });
    if (!changed) return;
    const amount = formatPlainMoney({ amountMinor: offer.offerMinor, currency: offer.currency });
    await record(tx, scope(offer), refs(offer.invoiceIds), {
      kind: settled ? 'settlement.paid' : 'settlement.expired',
      summary: settled
        ? `The settlement of ${amount} was paid; the rest is credited to ${options.settlementTarget?.description}`
        : `The settlement offer (${amount} by ${offer.payBy}) expired unpaid; chasing resumes`,
      key: `settlement:${offer.id}:${settled ? 'paid' : 'expired'}`,
      details: { settlementId: offer.id },
    });
    if (settled && options.settlementTarget) {
      const target = options.settlementTarget;
      await queueLedgerWrites(
        tx,
        refs(offer.invoiceIds)
          .filter((invoice) => invoice.owed > 0)
          .map((invoice) => ({
            orgId: offer.orgId,
            connectionId: invoice.connectionId,
            invoiceId: invoice.id,
            kind: 'credit' as const,
            idempotencyKey: `settlement:${offer.id}:credit:${invoice.id}`,
            payload: {
              amountMinor: invoice.owed,
              currency: invoice.currency,
              target,
              memo: `Settlement agreed ${offer.createdAt.toISOString().slice(0, 10)}: ${amount} accepted in full settlement (Dunwell).`,
            },
          })),
      );
    }
  });
  return settled ? 'settlementsPaid' : 'settlementsExpired';
}

async function finishPlan(
  db: Database,
  plan: typeof paymentPlans.$inferSelect,
  status: 'completed' | 'broken',
  now: Date,
  log: (tx: Transaction) => Promise<void>,
) {
  await db.transaction(async (tx) => {
    const [changed] = await tx
      .update(paymentPlans)
      .set({ status, resolvedAt: now })
      .where(and(eq(paymentPlans.id, plan.id), eq(paymentPlans.status, 'active')))
      .returning({ id: paymentPlans.id });
    if (changed) await log(tx);
  });
}
