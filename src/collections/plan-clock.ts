import { dayNumber, type LocalMoment } from '../domain/local-time.js';
import { contactTaskKinds, type Policy } from '../domain/policy.js';
import { momentIn } from './sending-window.js';
import type { DebtorSnapshot } from './snapshot.js';

const dayMs = 86_400_000;

/** The local time in a zone at the instant being planned. */
export type LocalAt = (timeZone: string) => LocalMoment;

/**
 * Everything `plan` reads from the clock, as one number: for the same snapshot and policy, two
 * instants with the same key get the same plan. It is what lets the planner be run forward hour by
 * hour (the forecast) without asking it again while nothing it looks at has moved. Two parts:
 * `dayClock` (the calendar and the sending window) and `sentClock` (the contact cap and the final
 * notice's grace since each email sent). `test/unit/collections/plan-clock.test.ts` holds the
 * planner to it.
 */
export function planClock(
  snapshot: DebtorSnapshot,
  policy: Policy,
  now: Date,
  localAt: LocalAt = (zone) => momentIn(now, zone),
): number {
  const sent = sentClock(snapshot, policy, now);
  return combinedClock(dayClock(snapshot, policy, localAt, sent.emailsHeld), sent.key);
}

/** The two parts in one number (a year of history holds far fewer than 4,096 emails). */
export const combinedClock = (day: number, sent: number) => day * 16_777_216 + sent;

/**
 * The calendar part: today in the organisation's zone (journeys, days overdue, segments, promises and
 * plans lapsing), the debtor's local date (sending days, public holidays, closed days) and where the
 * local hour is inside the sending window or not. The hour counts only when an email could go: while
 * one waits for approval or the contact cap holds (`emailsHeld`), the planner never asks the window.
 */
export function dayClock(
  snapshot: DebtorSnapshot,
  policy: Policy,
  localAt: LocalAt,
  emailsHeld: boolean,
): number {
  const orgDay = dayNumber(localAt(snapshot.orgTimeZone).date);
  const local = snapshot.debtorTimeZone ? localAt(snapshot.debtorTimeZone) : localAt(snapshot.orgTimeZone);
  // A zone's date is at most a day or so from the organisation's: the difference fits in 0..3.
  const localShift = Math.max(-1, Math.min(2, dayNumber(local.date) - orgDay)) + 1;
  const { startHour, endHour } = policy.sendingWindow;
  // Before the window opens and after it closes the planner sees the same thing: it is closed.
  const inside = !emailsHeld && local.hour >= startHour && local.hour < endHour ? 1 : 0;
  return (orgDay * 4 + localShift) * 2 + inside;
}

/**
 * The part the emails sent make: how many have had their contact cap, and their final notice's grace,
 * run out by `now`; and `until`, the first instant after `now` when one more will have (the key holds
 * until then; Infinity when none is left to run out). `emailsHeld`: an email waits for approval, or
 * the cap of the last one sent still holds, so no email can go whatever the hour (it changes only
 * with the key).
 */
export function sentClock(
  snapshot: DebtorSnapshot,
  policy: Policy,
  now: Date,
): { key: number; until: number; emailsHeld: boolean } {
  const contacts = snapshot.history.contacts;
  if (contacts.length === 0) return { key: 0, until: Number.POSITIVE_INFINITY, emailsHeld: false };
  const at = now.getTime();
  const capMs = policy.minDaysBetweenContacts * dayMs;
  const graceMs = policy.finalNoticeGraceDays * dayMs;
  let capsOver = 0;
  let gracesOver = 0;
  let until = Number.POSITIVE_INFINITY;
  let sentEmails = 0;
  let waiting = false;
  for (const contact of contacts) {
    if (contact.kind !== 'email' && !contactTaskKinds.has(contact.kind)) continue;
    if (contact.unsent || contact.open) {
      waiting = true;
      continue;
    }
    if (contact.dismissed) continue;
    sentEmails += 1;
    const sent = Date.parse(contact.at);
    if (sent + capMs <= at) capsOver += 1;
    else if (sent + capMs < until) until = sent + capMs;
    if (sent + graceMs <= at) gracesOver += 1;
    else if (sent + graceMs < until) until = sent + graceMs;
  }
  return { key: capsOver * 4_096 + gracesOver, until, emailsHeld: waiting || capsOver < sentEmails };
}
