import type { DebtorHistory } from '../collections/snapshot.js';
import { dayNumber } from '../domain/local-time.js';

/** Whether a promised date, an installment or a pay-by date has passed, grace included, by `today`. */
export const lapsedBy = (date: string, today: string, graceDays: number): boolean =>
  dayNumber(today) > dayNumber(date) + graceDays;

/**
 * What the reconciliation (`reconcile.ts`) makes of a debtor's arrangements when nothing is paid,
 * applied to planner history instead of rows: an open promise past its date and grace is broken,
 * an active plan whose next installment lapsed is broken, a lapsed settlement offer expires (and is
 * no longer read). The forecast runs it before each simulated evaluation, as the engine runs the
 * reconciliation. Returns whether anything changed; changes `history` in place.
 */
export function lapseUnpaid(
  history: DebtorHistory,
  options: { today: string; graceDays: number; now: Date },
): boolean {
  let changed = false;
  const at = options.now.toISOString();
  const lapsed = (date: string) => lapsedBy(date, options.today, options.graceDays);
  history.promises = history.promises.map((promise) => {
    if (promise.status !== 'open' || !lapsed(promise.promisedDate)) return promise;
    changed = true;
    return { ...promise, status: 'broken', resolvedAt: at };
  });
  const plan = history.plan;
  if (plan?.status === 'active' && plan.nextInstallment && lapsed(plan.nextInstallment.dueDate)) {
    history.plan = { ...plan, status: 'broken', brokenAt: at };
    changed = true;
  }
  const offers = history.settlements ?? [];
  const open = offers.filter((offer) => !lapsed(offer.payBy));
  if (open.length !== offers.length) {
    history.settlements = open;
    changed = true;
  }
  return changed;
}
