import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.js';
import { collectionTasks, disputeInvoices, disputes } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { closeTask, record } from './arrangement-log.js';
import { type ArrangementRequest, lockDebtor, who } from './arrangement-request.js';
import { chooseInvoices, invoiceNames, type OpenInvoice, openInvoicesOf } from './debtor-invoices.js';
import { recordOwnerEvent } from './owner-events.js';
import { ArrangementInputError } from './proposals.js';

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
 * Stops chasing the invoices, gives a person a task to answer it, and tells the organisation (the
 * owner digest). One
 * open dispute per invoice (the database holds it too): disputing an invoice already under review is
 * refused, so a debtor who submits again, or twice at once, does not pile up tasks and ledger notes.
 * Named invoices of which some are under review are refused whole, naming those; with none named,
 * the invoices not yet under review are disputed.
 */
export async function openDispute(
  db: Database,
  request: ArrangementRequest & { reason: DisputeReason; message: string },
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
  request: ArrangementRequest & { reason: DisputeReason },
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
  // The organisation hears through the owner digest (at most one email per window, however many
  // disputes arrive at once), only of what a debtor did themselves.
  if (request.source === 'portal')
    await recordOwnerEvent(tx, {
      orgId: request.orgId,
      customerId: request.customerId,
      kind: 'dispute',
      summary: `disputed ${invoiceNames(chosen)} (${reason}): “${message}”`,
      invoices: chosen,
      now: request.now,
    });
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
