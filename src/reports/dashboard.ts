import { type ConnectionSummary, listConnections } from '../connections/list-connections.js';
import { addDays, localMoment } from '../domain/local-time.js';
import { localeOf } from '../domain/locale.js';
import { organisationOf } from '../organisations/organisation-of.js';
import type { ServiceContext } from '../services/context.js';
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
}

/**
 * The dashboard's figures, as of today in the organisation's zone: what is overdue and how late,
 * DSO, what came in this week and this month, the promises due in the coming week, the largest
 * debtors, and the connections.
 */
export async function dashboard(ctx: ServiceContext): Promise<Dashboard> {
  const { db, orgId } = ctx;
  const profile = await organisationOf(ctx);
  const today = localMoment(ctx.now, profile.timeZone);
  const weekStart = addDays(today.date, 1 - today.weekday);
  const monthStart = `${today.date.slice(0, 8)}01`;
  const [overdue, daysOutstanding, collectedWeek, collectedMonth, due, largest, connections] =
    await Promise.all([
      overdueFigures(db, orgId, { today: today.date }),
      dso(db, orgId, { today: today.date }),
      collectedBetween(db, orgId, { from: weekStart, to: today.date }),
      collectedBetween(db, orgId, { from: monthStart, to: today.date }),
      promisesDue(db, orgId, { from: today.date, to: addDays(today.date, 7) }),
      largestOverdueDebtors(db, orgId, { today: today.date }),
      listConnections(db, [orgId]),
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
  };
}
