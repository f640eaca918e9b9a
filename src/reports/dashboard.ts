import { and, asc, eq } from 'drizzle-orm';
import { type ConnectionSummary, listConnections } from '../connections/list-connections.js';
import type { Database } from '../db/client.js';
import { customers, outboundMessages } from '../db/schema/index.js';
import { addDays, localMoment } from '../domain/local-time.js';
import { localeOf } from '../domain/locale.js';
import { organisationOf } from '../organisations/organisation-of.js';
import { reviewQueue } from '../review/review-queue.js';
import type { ServiceContext } from '../services/context.js';
import { type ActivityItem, activityFeed } from '../timeline/activity-feed.js';
import { type CollectedFigures, collectedBetween } from './collected-between.js';
import { type DaysSalesOutstanding, dso } from './days-sales-outstanding.js';
import { largestOverdueDebtors, type OverdueDebtors } from './overdue-debtors.js';
import { type OverdueFigures, overdueFigures } from './overdue-figures.js';
import { type PromiseDue, promisesDue } from './promises-due.js';

export interface Dashboard {
  locale: string;
  overdue: OverdueFigures;
  dso: DaysSalesOutstanding;
  collectedWeek: CollectedFigures;
  collectedMonth: CollectedFigures;
  promisesDue: PromiseDue[];
  largest: OverdueDebtors;
  connections: ConnectionSummary[];
  /** What needs a decision: the review queue's own count. */
  decisions: number;
  /** The next emails queued in the outbox, soonest first. */
  nextSends: NextSend[];
  /** What debtors did lately: disputes, promises, plans, payments, visits to their page. */
  lately: ActivityItem[];
  timeZone: string;
}

export interface NextSend {
  id: string;
  customerId: string | null;
  customerName: string | null;
  subject: string | null;
  template: string;
  tone: string | null;
  sendAfter: Date;
  /** Its time has come: it goes with the next delivery run. */
  due: boolean;
}

/** The next queued sends of the organisation (pending in the outbox), soonest first. */
export async function nextSends(db: Database, orgId: string, now: Date, limit = 5): Promise<NextSend[]> {
  const rows = await db
    .select({
      id: outboundMessages.id,
      customerId: outboundMessages.customerId,
      customerName: customers.name,
      subject: outboundMessages.subject,
      template: outboundMessages.template,
      renderInputs: outboundMessages.renderInputs,
      sendAfter: outboundMessages.sendAfter,
    })
    .from(outboundMessages)
    .leftJoin(customers, eq(customers.id, outboundMessages.customerId))
    .where(and(eq(outboundMessages.orgId, orgId), eq(outboundMessages.status, 'pending')))
    .orderBy(asc(outboundMessages.sendAfter), asc(outboundMessages.id))
    .limit(limit);
  return rows.map(({ renderInputs, ...row }) => ({
    ...row,
    tone: renderInputs?.tone ?? null,
    due: row.sendAfter <= now,
  }));
}

/**
 * The dashboard's figures, as of today in the organisation's zone: what is overdue and how late,
 * DSO, what came in this week and this month, the promises due in the coming week, the largest
 * debtors, the connections; what needs a decision (the review queue's count), what goes out next,
 * and what debtors did lately.
 */
export async function dashboard(ctx: ServiceContext): Promise<Dashboard> {
  const { db, orgId } = ctx;
  const profile = await organisationOf(ctx);
  const today = localMoment(ctx.now, profile.timeZone);
  const weekStart = addDays(today.date, 1 - today.weekday);
  const monthStart = `${today.date.slice(0, 8)}01`;
  const [
    overdue,
    daysOutstanding,
    collectedWeek,
    collectedMonth,
    due,
    largest,
    connections,
    queue,
    next,
    lately,
  ] = await Promise.all([
    overdueFigures(db, orgId, { today: today.date }),
    dso(db, orgId, { today: today.date }),
    collectedBetween(db, orgId, { from: weekStart, to: today.date }),
    collectedBetween(db, orgId, { from: monthStart, to: today.date }),
    promisesDue(db, orgId, { from: today.date, to: addDays(today.date, 7) }),
    largestOverdueDebtors(db, orgId, { today: today.date }),
    listConnections(db, [orgId]),
    reviewQueue(db, orgId),
    nextSends(db, orgId, ctx.now),
    activityFeed(db, { orgId, filter: 'debtors', limit: 8 }),
  ]);
  return {
    locale: localeOf(profile.country),
    overdue,
    dso: daysOutstanding,
    collectedWeek,
    collectedMonth,
    promisesDue: due,
    largest,
    connections,
    decisions: queue.total,
    nextSends: next,
    lately: lately.items,
    timeZone: profile.timeZone,
  };
}
