import { and, eq } from 'drizzle-orm';
import { withdrawFlagsCovering } from '../collections/flag-supersession.js';
import type { Transaction } from '../db/client.js';
import { activityLog, collectionTasks } from '../db/schema/index.js';
import { notesFor, queueLedgerWrites } from '../ledger-writes/queue.js';
import type { DebtorScope } from './debtor-invoices.js';

/** Events by which the debtor supersedes a waiting flag on the same invoices: it is withdrawn at once. */
const supersedingFlags = new Set(['promise.made', 'plan.started', 'dispute.opened']);

/**
 * The activity-log entry and the ledger note of one arrangement event, on each invoice it concerns;
 * a plan in force, a promise or a dispute withdraws the flags waiting on those invoices.
 */
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
  if (supersedingFlags.has(event.kind))
    await withdrawFlagsCovering(tx, {
      orgId: scope.orgId,
      customerId: scope.customerId,
      invoiceIds: chosen.map((invoice) => invoice.id),
      reason: event.summary.charAt(0).toLowerCase() + event.summary.slice(1),
      actor: scope.actor,
      now: scope.now,
    });
}

/** Marks done the task a person was given for an arrangement, once they have acted on it. */
export async function closeTask(
  tx: Transaction,
  orgId: string,
  key: string,
  by: { actor: string; now: Date },
) {
  await tx
    .update(collectionTasks)
    .set({ status: 'done', closedAt: by.now, closedBy: by.actor })
    .where(and(eq(collectionTasks.orgId, orgId), eq(collectionTasks.idempotencyKey, key)));
}
