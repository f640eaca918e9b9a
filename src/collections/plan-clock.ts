import type { Policy } from '../domain/policy.js';
import { momentIn } from './sending-window.js';
import type { DebtorSnapshot } from './snapshot.js';

const dayMs = 86_400_000;

/**
 * Everything `plan` reads from the clock, as one key: for the same snapshot and policy, two instants
 * with the same key get the same plan. It is what lets the planner be run forward hour by hour
 * (the forecast) without asking it again while nothing it looks at has moved:
 * - today in the organisation's zone (journeys, days overdue, segments, promises and plans lapsing);
 * - the debtor's local date (sending days, public holidays and closed days) and where the local
 *   hour stands against the sending window (before, inside, after);
 * - for each email sent, whether the contact cap and the final notice's grace have run out since.
 * `test/unit/collections/plan-clock.test.ts` holds the planner to it.
 */
export function planClock(snapshot: DebtorSnapshot, policy: Policy, now: Date): string {
  const orgDate = momentIn(now, snapshot.orgTimeZone).date;
  const local = momentIn(now, snapshot.debtorTimeZone ?? snapshot.orgTimeZone);
  const { startHour, endHour } = policy.sendingWindow;
  const band = local.hour < startHour ? 0 : local.hour < endHour ? 1 : 2;
  const at = now.getTime();
  const capMs = policy.minDaysBetweenContacts * dayMs;
  const graceMs = policy.finalNoticeGraceDays * dayMs;
  let capsOver = 0;
  let gracesOver = 0;
  for (const contact of snapshot.history.contacts) {
    if (contact.kind !== 'email' || contact.unsent) continue;
    const sent = Date.parse(contact.at);
    if (sent + capMs <= at) capsOver += 1;
    if (sent + graceMs <= at) gracesOver += 1;
  }
  return `${orgDate}|${local.date}|${band}|${capsOver}|${gracesOver}`;
}
