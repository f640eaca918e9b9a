import { and, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client.js';
import {
  activityLog,
  collectionFlags,
  disputes,
  outboundMessages,
  paymentPlans,
  paymentPromises,
} from '../db/schema/index.js';

export interface ActivityFigures {
  from: Date;
  to: Date;
  /** Reminder emails that went out (status `sent`, `sent_at` in the window); notices are not counted. */
  remindersSent: number;
  /** Different debtors those reminders went to. */
  debtorsReminded: number;
  /** Of the reminders sent, those SendGrid reported as not delivered (bounce, block, drop, spam report). */
  remindersUndelivered: number;
  /** Promises to pay made (created) in the window. */
  promisesMade: number;
  /** Promises found kept (paid in full) or broken (not paid by the date plus grace) in the window. */
  promisesKept: number;
  promisesBroken: number;
  /** Plans that came into force (`plan.started`: at once within the limits, or when a person approved them). */
  plansStarted: number;
  plansCompleted: number;
  /**
   * Plans broken: an installment missed (still short after the grace days). The first missed
   * installment breaks the plan, so this is also the count of missed installments.
   */
  plansBroken: number;
  disputesOpened: number;
  disputesResolved: number;
  /** Recommendations (agency, settlement, write-off) raised for a person to decide. */
  flagsRaised: number;
}

/** What happened in the collection process from `from` (inclusive) to `to` (exclusive). */
export async function activityBetween(
  db: Database,
  orgId: string,
  options: { from: Date; to: Date },
): Promise<ActivityFigures> {
  const { from, to } = options;
  if (!(from.getTime() <= to.getTime())) throw new RangeError('activityBetween: from must not be after to');
  const within = (column: AnyPgColumn) => and(gte(column, from), lt(column, to));
  const counted = (condition: SQL | undefined) => sql<number>`(count(*) filter (where ${condition}))::int`;
  const [[reminders], [promises], [plans], [started], [disputed], [flags]] = await Promise.all([
    db
      .select({
        sent: sql<number>`count(*)::int`,
        debtors: sql<number>`count(distinct ${outboundMessages.customerId})::int`,
        undelivered: counted(sql`${outboundMessages.deliveryProblem} is not null`),
      })
      .from(outboundMessages)
      .where(
        and(
          eq(outboundMessages.orgId, orgId),
          eq(outboundMessages.purpose, 'reminder'),
          eq(outboundMessages.status, 'sent'),
          within(outboundMessages.sentAt),
        ),
      ),
    db
      .select({
        made: counted(within(paymentPromises.createdAt)),
        kept: counted(and(eq(paymentPromises.status, 'kept'), within(paymentPromises.resolvedAt))),
        broken: counted(and(eq(paymentPromises.status, 'broken'), within(paymentPromises.resolvedAt))),
      })
      .from(paymentPromises)
      .where(eq(paymentPromises.orgId, orgId)),
    db
      .select({
        completed: counted(eq(paymentPlans.status, 'completed')),
        broken: counted(eq(paymentPlans.status, 'broken')),
      })
      .from(paymentPlans)
      .where(and(eq(paymentPlans.orgId, orgId), within(paymentPlans.resolvedAt))),
    // The plan table keeps when a plan was asked for, not when it came into force: the log does.
    db
      .select({ plans: sql<number>`count(distinct ${activityLog.details}->>'planId')::int` })
      .from(activityLog)
      .where(
        and(
          eq(activityLog.orgId, orgId),
          eq(activityLog.kind, 'plan.started'),
          within(activityLog.occurredAt),
        ),
      ),
    db
      .select({
        opened: counted(within(disputes.createdAt)),
        resolved: counted(and(eq(disputes.status, 'resolved'), within(disputes.resolvedAt))),
      })
      .from(disputes)
      .where(eq(disputes.orgId, orgId)),
    db
      .select({ raised: sql<number>`count(*)::int` })
      .from(collectionFlags)
      .where(and(eq(collectionFlags.orgId, orgId), within(collectionFlags.createdAt))),
  ]);
  return {
    from,
    to,
    remindersSent: reminders?.sent ?? 0,
    debtorsReminded: reminders?.debtors ?? 0,
    remindersUndelivered: reminders?.undelivered ?? 0,
    promisesMade: promises?.made ?? 0,
    promisesKept: promises?.kept ?? 0,
    promisesBroken: promises?.broken ?? 0,
    plansStarted: started?.plans ?? 0,
    plansCompleted: plans?.completed ?? 0,
    plansBroken: plans?.broken ?? 0,
    disputesOpened: disputed?.opened ?? 0,
    disputesResolved: disputed?.resolved ?? 0,
    flagsRaised: flags?.raised ?? 0,
  };
}
