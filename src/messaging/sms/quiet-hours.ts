import { isClosedDay } from '../../domain/holidays.js';
import { localMoment } from '../../domain/local-time.js';

/** When a text may reach a debtor, in their own zone. */
export interface TextingHours {
  /** The debtor's IANA zone (else the organisation's). */
  timeZone: string;
  /** Local hour the first text may go (default 8: not before 8:00). */
  startHour?: number;
  /** Local hour from which nothing goes (default 20: nothing at or after 20:00). */
  endHour?: number;
  /** ISO weekdays never texted (1 = Monday … 7 = Sunday); default none. */
  closedWeekdays?: readonly number[];
  /** The organisation's closed days (YYYY-MM-DD, the policy's `closedDays`). */
  closedDays?: readonly string[];
  /** The debtor's country (else the organisation's), whose public holidays are closed days. */
  country?: string | null;
}

export type TextingVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'too_early' | 'too_late' | 'closed_day' };

/**
 * Whether a text may go at `at`: inside the hours on the debtor's wall clock (DST included: the clock
 * is read in their zone at that instant), never on a closed day or a public holiday of their country.
 */
export function mayTextAt(at: Date, hours: TextingHours): TextingVerdict {
  const local = localMoment(at, hours.timeZone);
  if (isClosedDay(local.date, hours.country ?? null, hours.closedDays ?? []))
    return { allowed: false, reason: 'closed_day' };
  if ((hours.closedWeekdays ?? []).includes(local.weekday)) return { allowed: false, reason: 'closed_day' };
  if (local.hour < (hours.startHour ?? 8)) return { allowed: false, reason: 'too_early' };
  if (local.hour >= (hours.endHour ?? 20)) return { allowed: false, reason: 'too_late' };
  return { allowed: true };
}

/** The first whole hour at or after `from` when a text may go (searching up to 31 days); null if none. */
export function nextTextingTime(from: Date, hours: TextingHours): Date | null {
  if (mayTextAt(from, hours).allowed) return from;
  const hourMs = 3_600_000;
  let at = new Date(Math.ceil(from.getTime() / hourMs) * hourMs);
  for (let step = 0; step < 31 * 24; step += 1) {
    if (mayTextAt(at, hours).allowed) return at;
    at = new Date(at.getTime() + hourMs);
  }
  return null;
}
