import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { disputes, paymentPlans, paymentPromises, settlements } from '../db/schema/index.js';
import type { Money } from '../domain/money.js';

/** What a customer has arranged that is still in force, for their page. */
export interface StandingArrangements {
  promise: { promisedDate: string } | null;
  plan: {
    status: 'awaiting_approval' | 'active';
    installments: number;
    /** The first installment not yet due (or the last one), with its amount. */
    next: { dueDate: string; amount: Money } | null;
  } | null;
  dispute: { reason: string; message: string; since: Date } | null;
  settlement: { status: 'offered' | 'accepted'; amount: Money; payBy: string } | null;
}

/** The open promise, plan, dispute and settlement of one customer (the newest of each), as of `today`. */
export async function standingArrangements(
  db: Database,
  orgId: string,
  customerId: string,
  today: string,
): Promise<StandingArrangements> {
  const [promise, plan, dispute, settlement] = await Promise.all([
    db
      .select({ promisedDate: paymentPromises.promisedDate })
      .from(paymentPromises)
      .where(
        and(
          eq(paymentPromises.orgId, orgId),
          eq(paymentPromises.customerId, customerId),
          eq(paymentPromises.status, 'open'),
        ),
      )
      .orderBy(desc(paymentPromises.createdAt))
      .limit(1),
    db
      .select({
        status: paymentPlans.status,
        currency: paymentPlans.currency,
        installments: paymentPlans.installments,
      })
      .from(paymentPlans)
      .where(
        and(
          eq(paymentPlans.orgId, orgId),
          eq(paymentPlans.customerId, customerId),
          inArray(paymentPlans.status, ['awaiting_approval', 'active']),
        ),
      )
      .orderBy(desc(paymentPlans.createdAt))
      .limit(1),
    db
      .select({ reason: disputes.reason, message: disputes.message, since: disputes.createdAt })
      .from(disputes)
      .where(and(eq(disputes.orgId, orgId), eq(disputes.customerId, customerId), eq(disputes.status, 'open')))
      .orderBy(desc(disputes.createdAt))
      .limit(1),
    db
      .select({
        status: settlements.status,
        currency: settlements.currency,
        offerMinor: settlements.offerMinor,
        payBy: settlements.payBy,
      })
      .from(settlements)
      .where(
        and(
          eq(settlements.orgId, orgId),
          eq(settlements.customerId, customerId),
          inArray(settlements.status, ['offered', 'accepted']),
        ),
      )
      .orderBy(desc(settlements.createdAt))
      .limit(1),
  ]);
  const [openPlan] = plan;
  const upcoming = openPlan
    ? (openPlan.installments.find((installment) => installment.dueDate >= today) ??
      openPlan.installments.at(-1))
    : undefined;
  const [offer] = settlement;
  return {
    promise: promise[0] ?? null,
    plan: openPlan
      ? {
          status: openPlan.status as 'awaiting_approval' | 'active',
          installments: openPlan.installments.length,
          next: upcoming
            ? {
                dueDate: upcoming.dueDate,
                amount: { amountMinor: upcoming.amountMinor, currency: openPlan.currency },
              }
            : null,
        }
      : null,
    dispute: dispute[0] ?? null,
    settlement: offer
      ? {
          status: offer.status as 'offered' | 'accepted',
          amount: { amountMinor: offer.offerMinor, currency: offer.currency },
          payBy: offer.payBy,
        }
      : null,
  };
}
