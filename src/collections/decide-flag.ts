import { and, desc, eq, inArray } from 'drizzle-orm';
import { carryOutDecision } from '../arrangements/carry-out-decision.js';
import type { Database } from '../db/client.js';
import { activityLog, collectionFlags } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { flagStanding, withdrawFlag } from './flag-supersession.js';
import { policyOf } from './policy-versions.js';
import { flagArithmetic } from './recommendations.js';

export type FlagDecision = 'approved' | 'rejected';

/**
 * Records a person's decision on a flag (agency referral, settlement offer, write-off), once. What
 * an approval sets in motion (the credit, the referral) is carried out by the write-back jobs.
 */
export async function decideFlag(
  db: Database,
  request: {
    orgIds: string[];
    flagId: string;
    decision: FlagDecision;
    choice?: string;
    /** The person's reason, kept in the audit trail. */
    reason?: string;
    /**
     * For an approved settlement: the share of the balance to forgive instead of the policy's default,
     * at most the policy's `recovery.maxSettlementDiscount`.
     */
    settlementDiscount?: number;
    actor: string;
    now?: Date;
  },
) {
  if (request.orgIds.length === 0) throw new AppError(404, 'not_found', 'No such flag.');
  const now = request.now ?? new Date();
  const outcome = await db.transaction(async (tx) => {
    const [flag] = await tx
      .select()
      .from(collectionFlags)
      .where(and(eq(collectionFlags.id, request.flagId), inArray(collectionFlags.orgId, request.orgIds)))
      .for('update');
    if (!flag) throw new AppError(404, 'not_found', 'No such flag.');
    if (flag.status !== 'pending') {
      throw new AppError(
        409,
        'already_decided',
        `This flag was already ${flag.status} by ${flag.decidedBy ?? 'someone'}.`,
      );
    }
    if (request.decision === 'approved') {
      // Re-checked here, under the flag's lock: a plan, promise, dispute or payment since it was
      // listed withdraws it, and nothing is carried out (a bulk approval included).
      const standing = await flagStanding(tx, flag, await policyOf(tx, flag.orgId), now);
      if (standing && 'withdraw' in standing) {
        await withdrawFlag(tx, flag, { reason: standing.withdraw, actor: 'system', now });
        return { withdrawn: standing.withdraw };
      }
      if (standing) throw new AppError(409, 'flag_on_hold', `Not approved: ${standing.hold}.`);
    }
    const choice = request.choice ?? String(flag.recommendation['recommended'] ?? flag.kinds[0] ?? '');
    if (request.decision === 'approved' && !['keep_chasing', ...flag.kinds].includes(choice)) {
      throw new AppError(
        400,
        'invalid_request',
        `Choose one of: ${['keep_chasing', ...flag.kinds].join(', ')}.`,
      );
    }
    const [decided] = await tx
      .update(collectionFlags)
      .set({
        status: request.decision,
        decidedAt: new Date(),
        decidedBy: request.actor,
        decision: request.decision === 'approved' ? choice : null,
      })
      .where(eq(collectionFlags.id, flag.id))
      .returning();
    await tx.insert(activityLog).values({
      orgId: flag.orgId,
      customerId: flag.customerId,
      kind: request.decision === 'approved' ? 'flag.approved' : 'flag.rejected',
      actor: request.actor,
      summary: `${
        request.decision === 'approved'
          ? `Approved: ${choice.replaceAll('_', ' ')}`
          : `Rejected the ${flag.kinds.join(' / ').replaceAll('_', ' ')} recommendation`
      }${request.reason ? ` — ${request.reason}` : ''}`,
      details: { flagId: flag.id, invoiceIds: flag.invoiceIds, reason: request.reason ?? null },
    });
    if (request.decision === 'approved' && choice !== 'keep_chasing') {
      await carryOutDecision(
        tx,
        flag,
        choice as 'agency_referral' | 'settlement_offer' | 'write_off',
        request.actor,
        now,
        request.settlementDiscount === undefined ? {} : { settlementDiscount: request.settlementDiscount },
      );
    }
    return { decided };
  });
  if ('withdrawn' in outcome)
    throw new AppError(
      409,
      'flag_withdrawn',
      `Not approved: this suggestion was withdrawn, as ${outcome.withdrawn}.`,
    );
  return outcome.decided;
}

/**
 * Flags waiting for a person in the given organisations, newest first, with their arithmetic under each
 * organisation's recovery assumptions as they are now.
 */
export async function pendingFlags(db: Database, orgIds: string[]) {
  if (orgIds.length === 0) return [];
  const rows = await db
    .select({
      id: collectionFlags.id,
      orgId: collectionFlags.orgId,
      customerId: collectionFlags.customerId,
      kinds: collectionFlags.kinds,
      invoiceIds: collectionFlags.invoiceIds,
      daysOverdue: collectionFlags.daysOverdue,
      recommendation: collectionFlags.recommendation,
      createdAt: collectionFlags.createdAt,
    })
    .from(collectionFlags)
    .where(and(inArray(collectionFlags.orgId, orgIds), eq(collectionFlags.status, 'pending')))
    .orderBy(desc(collectionFlags.createdAt))
    .limit(200);
  const owners = [...new Set(rows.map((row) => row.orgId))];
  const policies = await Promise.all(owners.map((orgId) => policyOf(db, orgId)));
  const recovery = new Map(owners.map((orgId, index) => [orgId, policies[index]?.recovery]));
  return rows.map((row) => ({
    ...row,
    recommendation: flagArithmetic(row.recommendation, row.daysOverdue, recovery.get(row.orgId)),
  }));
}
