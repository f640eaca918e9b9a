import { and, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Writer } from '../db/client.js';
import {
  activityLog,
  collectionFlags,
  collectionSteps,
  disputeInvoices,
  invoices,
  outboundMessages,
  paymentAllocations,
  paymentPlans,
  paymentPromises,
  payments,
} from '../db/schema/index.js';
import { formatPlainMoney } from '../domain/money.js';
import { type Policy, type Segment, segments } from '../domain/policy.js';
import { effectiveSteps } from './effective-steps.js';
import { flagWords } from './flag-decision.js';
import { ladderOf } from './journey.js';

type Flag = Pick<
  typeof collectionFlags.$inferSelect,
  'id' | 'orgId' | 'customerId' | 'invoiceIds' | 'kinds' | 'createdAt' | 'idempotencyKey'
>;

/**
 * Why a waiting flag no longer stands, or null when it does. `withdraw`: something the debtor did
 * (a dispute, a promise, a plan in force, a payment) or the rule itself (a flag only after the final
 * notice and its grace) says no; `hold`: it may stand again, but not while a request waits for a
 * person (a plan asked for outside the limits), so it cannot be approved now.
 */
export type FlagStanding = { withdraw: string } | { hold: string } | null;

const dayMs = 86_400_000;
const text = (values: string[]) =>
  sql`array[${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )}]::text[]`;

/** The keys of the last rung of the ladder, under every segment's schedule: the final notice. */
function finalNoticeKeys(policy: Policy): string[] {
  const keys = new Set<string>();
  for (const segment of segments as readonly Segment[]) {
    const last = ladderOf(effectiveSteps(policy, policy.steps, segment)).slice(-1)[0];
    if (last) keys.add(last.key);
  }
  return [...keys];
}

/**
 * Reads, in the caller's transaction when given one, whether the flag still stands: the same rules
 * the planner raises it by (DOMAIN.md: never for an invoice paid, disputed or under an arrangement;
 * DESIGN.md and the policy: one flag per debtor, after the final notice and `finalNoticeGraceDays`),
 * and nothing the debtor did since it was raised (a payment) that changes its arithmetic.
 */
export async function flagStanding(db: Writer, flag: Flag, policy: Policy, now: Date): Promise<FlagStanding> {
  const ids = flag.invoiceIds;
  if (ids.length === 0) return null;
  const scope = { orgId: flag.orgId, customerId: flag.customerId };
  const [covered, disputed, promised, plans] = await Promise.all([
    db
      .select({
        id: invoices.id,
        number: invoices.number,
        status: invoices.status,
        balanceMinor: invoices.balanceMinor,
        dueDate: invoices.dueDate,
      })
      .from(invoices)
      .where(and(eq(invoices.orgId, scope.orgId), inArray(invoices.id, ids))),
    db
      .select({ invoiceId: disputeInvoices.invoiceId })
      .from(disputeInvoices)
      .where(
        and(
          eq(disputeInvoices.orgId, scope.orgId),
          inArray(disputeInvoices.invoiceId, ids),
          eq(disputeInvoices.open, true),
        ),
      ),
    db
      .select({ promisedDate: paymentPromises.promisedDate })
      .from(paymentPromises)
      .where(
        and(
          eq(paymentPromises.orgId, scope.orgId),
          eq(paymentPromises.customerId, scope.customerId),
          eq(paymentPromises.status, 'open'),
          sql`${paymentPromises.invoiceIds} ?| ${text(ids)}`,
        ),
      ),
    db
      .select({ status: paymentPlans.status })
      .from(paymentPlans)
      .where(
        and(
          eq(paymentPlans.orgId, scope.orgId),
          eq(paymentPlans.customerId, scope.customerId),
          inArray(paymentPlans.status, ['active', 'awaiting_approval']),
          sql`${paymentPlans.invoiceIds} ?| ${text(ids)}`,
        ),
      ),
  ]);
  const name = (id: string) => {
    const invoice = covered.find((row) => row.id === id);
    return invoice?.number ?? id.slice(0, 8);
  };
  if (disputed.length > 0)
    return {
      withdraw: `the customer disputed ${[...new Set(disputed.map((row) => name(row.invoiceId)))].join(', ')}`,
    };
  if (plans.some((plan) => plan.status === 'active')) return { withdraw: 'a payment plan is in place' };
  const promise = promised[0];
  if (promise) return { withdraw: `the customer promised to pay by ${promise.promisedDate}` };
  const owing = covered.filter((invoice) => invoice.status === 'open' && invoice.balanceMinor > 0);
  if (owing.length === 0) return { withdraw: 'everything it covered has been paid or closed' };
  const [payment] = await db
    .select({
      amountMinor: paymentAllocations.amountMinor,
      currency: payments.currency,
      paidOn: payments.paidOn,
    })
    .from(paymentAllocations)
    .innerJoin(payments, eq(payments.id, paymentAllocations.paymentId))
    .where(
      and(
        eq(paymentAllocations.orgId, scope.orgId),
        inArray(paymentAllocations.invoiceId, ids),
        gt(payments.createdAt, flag.createdAt),
      ),
    )
    .limit(1);
  if (payment)
    return {
      withdraw: `a payment of ${formatPlainMoney(payment)} came in on ${payment.paidOn}; the arithmetic is done again`,
    };
  const final = await finalNoticeSentAt(db, flag, policy, owing);
  const grace = policy.finalNoticeGraceDays;
  if (final === null)
    return {
      withdraw: `the final notice has not been sent: a flag waits for it and ${grace} days after it`,
    };
  if (now.getTime() < final.getTime() + grace * dayMs)
    return {
      withdraw: `the final notice went on ${final.toISOString().slice(0, 10)}: a flag waits ${grace} days after it`,
    };
  if (plans.length > 0)
    return {
      hold: 'the customer asked for a payment plan, which waits for your decision: decide that first',
    };
  return null;
}

/**
 * When this journey's final notice reached the debtor: the first one sent since the oldest invoice
 * the flag covers fell due (a step with no message of its own, as imported history has, counts from
 * when it was taken).
 */
async function finalNoticeSentAt(
  db: Writer,
  flag: Flag,
  policy: Policy,
  owing: Array<{ dueDate: string }>,
): Promise<Date | null> {
  const keys = finalNoticeKeys(policy);
  if (keys.length === 0) return null;
  const since = owing.reduce(
    (oldest, invoice) => (invoice.dueDate < oldest ? invoice.dueDate : oldest),
    '9999',
  );
  const [row] = await db
    .select({
      at: sql<Date | null>`min(coalesce(${outboundMessages.sentAt}, ${collectionSteps.takenAt}))`.mapWith(
        collectionSteps.takenAt,
      ),
    })
    .from(collectionSteps)
    .leftJoin(
      outboundMessages,
      and(
        eq(outboundMessages.orgId, collectionSteps.orgId),
        eq(outboundMessages.customerId, collectionSteps.customerId),
        eq(outboundMessages.idempotencyKey, collectionSteps.effectKey),
      ),
    )
    .where(
      and(
        eq(collectionSteps.orgId, flag.orgId),
        eq(collectionSteps.customerId, flag.customerId),
        eq(collectionSteps.kind, 'email'),
        inArray(collectionSteps.stepKey, keys),
        sql`${collectionSteps.takenAt} >= ${since}::date`,
        or(isNull(outboundMessages.id), eq(outboundMessages.status, 'sent')),
      ),
    );
  return row?.at ?? null;
}

/**
 * Withdraws a waiting flag, with the reason on the customer's timeline. Its steps are released and its
 * key freed, so the planner raises it again, with fresh arithmetic, if and when it stands again.
 */
export async function withdrawFlag(
  tx: Writer,
  flag: Flag,
  request: { reason: string; actor: string; now: Date },
): Promise<void> {
  const [withdrawn] = await tx
    .update(collectionFlags)
    .set({
      status: 'withdrawn',
      withdrawnReason: request.reason,
      decidedAt: request.now,
      decidedBy: request.actor,
      idempotencyKey: `${flag.idempotencyKey}:withdrawn:${flag.id}`,
    })
    .where(and(eq(collectionFlags.id, flag.id), eq(collectionFlags.status, 'pending')))
    .returning({ id: collectionFlags.id });
  if (!withdrawn) return;
  await tx
    .delete(collectionSteps)
    .where(
      and(
        eq(collectionSteps.orgId, flag.orgId),
        eq(collectionSteps.customerId, flag.customerId),
        eq(collectionSteps.effectKey, flag.idempotencyKey),
      ),
    );
  const kinds = flag.kinds.map((kind) => flagWords[kind as keyof typeof flagWords] ?? kind).join(' or ');
  await tx.insert(activityLog).values({
    orgId: flag.orgId,
    customerId: flag.customerId,
    kind: 'flag.withdrawn',
    actor: request.actor,
    summary: `Withdrew the ${kinds} suggestion: ${request.reason}`,
    details: { flagId: flag.id, invoiceIds: flag.invoiceIds, reason: request.reason },
    occurredAt: request.now,
  });
}

/**
 * What the debtor just arranged (a plan in force, a promise, a dispute) supersedes the waiting flags
 * that cover any of these invoices: they are withdrawn in the arrangement's own transaction.
 */
export async function withdrawFlagsCovering(
  tx: Writer,
  request: {
    orgId: string;
    customerId: string;
    invoiceIds: string[];
    reason: string;
    actor: string;
    now: Date;
  },
): Promise<number> {
  if (request.invoiceIds.length === 0) return 0;
  const covering = await tx
    .select()
    .from(collectionFlags)
    .where(
      and(
        eq(collectionFlags.orgId, request.orgId),
        eq(collectionFlags.customerId, request.customerId),
        eq(collectionFlags.status, 'pending'),
        sql`${collectionFlags.invoiceIds} ?| ${text(request.invoiceIds)}`,
      ),
    )
    .for('update');
  for (const flag of covering) await withdrawFlag(tx, flag, request);
  return covering.length;
}

/**
 * The evaluation's look at an organisation's waiting flags, set-based: the few that a payment came in
 * on since they were raised, or that were raised before the final notice had its grace (by an older
 * version of the planner), are looked at one by one and withdrawn with their reason. Arrangements
 * withdraw theirs in their own transaction (withdrawFlagsCovering).
 */
export async function reviewWaitingFlags(
  db: Writer,
  request: { orgId: string; policy: Policy; actor: string; now: Date },
): Promise<number> {
  const keys = finalNoticeKeys(request.policy);
  const graceStart = new Date(request.now.getTime() - request.policy.finalNoticeGraceDays * dayMs);
  const paidSince = sql`exists (
    select 1 from jsonb_array_elements_text(${collectionFlags.invoiceIds}) as covered(id)
    join ${paymentAllocations} on ${paymentAllocations.invoiceId} = covered.id::uuid
    join ${payments} on ${payments.id} = ${paymentAllocations.paymentId}
    where ${payments.orgId} = ${collectionFlags.orgId} and ${payments.createdAt} > ${collectionFlags.createdAt})`;
  const finalNoticeGraceOver =
    keys.length === 0
      ? sql`false`
      : sql`exists (
    select 1 from ${collectionSteps}
    left join ${outboundMessages} on ${outboundMessages.orgId} = ${collectionSteps.orgId}
      and ${outboundMessages.customerId} = ${collectionSteps.customerId}
      and ${outboundMessages.idempotencyKey} = ${collectionSteps.effectKey}
    where ${collectionSteps.orgId} = ${collectionFlags.orgId}
      and ${collectionSteps.customerId} = ${collectionFlags.customerId}
      and ${collectionSteps.kind} = 'email' and ${collectionSteps.stepKey} = any(${text(keys)})
      and (${outboundMessages.id} is null or ${outboundMessages.status} = 'sent')
      and coalesce(${outboundMessages.sentAt}, ${collectionSteps.takenAt}) <= ${graceStart.toISOString()}::timestamptz)`;
  const candidates = await db
    .select()
    .from(collectionFlags)
    .where(
      and(
        eq(collectionFlags.orgId, request.orgId),
        eq(collectionFlags.status, 'pending'),
        or(paidSince, sql`not ${finalNoticeGraceOver}`),
      ),
    );
  let count = 0;
  for (const flag of candidates) {
    const standing = await flagStanding(db, flag, request.policy, request.now);
    if (standing && 'withdraw' in standing) {
      await withdrawFlag(db, flag, { reason: standing.withdraw, actor: request.actor, now: request.now });
      count++;
    }
  }
  return count;
}
