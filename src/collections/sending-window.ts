import { isClosedDay } from '../domain/holidays.js';
import { type LocalMoment, localMoment } from '../domain/local-time.js';
import type { Policy } from '../domain/policy.js';
import type { DebtorSnapshot } from './snapshot.js';

/** Which guards `plan` applies; the look-ahead of `nextStep` relaxes some to ask "on which day". */
export interface PlanOptions {
  /** Ignore the sending hours (weekdays and closed days still hold). */
  anyHour?: boolean;
  /** Ignore the contact cap, the sending hours, weekdays and closed days. */
  unguarded?: boolean;
}

const moments = new Map<string, LocalMoment>();
/** Local time per zone at one instant, remembered: a batch plans many debtors in a few zones at one `now`. */
export function momentIn(now: Date, timeZone: string): LocalMoment {
  const key = `${timeZone}|${now.getTime()}`;
  let moment = moments.get(key);
  if (!moment) {
    if (moments.size > 256) moments.clear();
    moment = localMoment(now, timeZone);
    moments.set(key, moment);
  }
  return moment;
}

/**
 * The first instant from `now` at which the debtor's sending window is open (a sending day that is
 * not a holiday or closed day, within the hours), looking at most three weeks ahead; `now` when it is
 * open already. What a message approved by a person waits for.
 */
export function nextSendingInstant(snapshot: DebtorSnapshot, policy: Policy, now: Date): Date {
  if (windowClosed(snapshot, policy, now, {}) === null) return now;
  const hourMs = 3_600_000;
  // In quarter hours: every zone's offset is a whole number of them, so one step lands on the hour it opens.
  const quarterMs = 15 * 60_000;
  let at = Math.ceil(now.getTime() / quarterMs) * quarterMs;
  for (const until = now.getTime() + 21 * 24 * hourMs; at <= until; at += quarterMs)
    if (windowClosed(snapshot, policy, new Date(at), {}) === null) return new Date(at);
  return now;
}

/** Why the sending window holds a message now, in the debtor's zone, or null when it does not. */
export function windowClosed(
  snapshot: DebtorSnapshot,
  policy: Policy,
  now: Date,
  options: PlanOptions,
): string | null {
  if (options.unguarded) return null;
  const local = momentIn(now, snapshot.debtorTimeZone ?? snapshot.orgTimeZone);
  const window = policy.sendingWindow;
  if (!window.weekdays.includes(local.weekday))
    return `outside the sending window (${window.startHour}:00–${window.endHour}:00 on working days, debtor's time)`;
  if (!options.anyHour && (local.hour < window.startHour || local.hour >= window.endHour))
    return `outside the sending window (${window.startHour}:00–${window.endHour}:00 on working days, debtor's time)`;
  if (isClosedDay(local.date, snapshot.debtorCountry ?? snapshot.orgCountry ?? null, policy.closedDays))
    return `${local.date} is a public holiday or a closed day where the debtor is: no contact`;
  return null;
}
