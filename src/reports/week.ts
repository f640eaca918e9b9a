import { addDays, dayNumber, isoDateOf, localMoment } from '../domain/local-time.js';

/** Calendar weeks for the weekly summary: ISO weeks, local days, and when a week's summary is due. */

/** 1 = Monday … 7 = Sunday of an ISO date. */
export function weekdayOf(isoDate: string): number {
  // Day 0, 1970-01-01, was a Thursday.
  return ((dayNumber(isoDate) + 3) % 7) + 1;
}

export interface IsoWeek {
  /** e.g. "2026-W11": the ISO 8601 week, whose year is that of its Thursday. */
  label: string;
  /** Its Monday, YYYY-MM-DD. */
  monday: string;
}

export function isoWeekOf(isoDate: string): IsoWeek {
  const monday = dayNumber(isoDate) - (weekdayOf(isoDate) - 1);
  const thursday = isoDateOf(monday + 3);
  const year = thursday.slice(0, 4);
  const week = Math.floor((dayNumber(thursday) - dayNumber(`${year}-01-01`)) / 7) + 1;
  return { label: `${year}-W${String(week).padStart(2, '0')}`, monday: isoDateOf(monday) };
}

export interface SummaryWeek {
  /** The ISO week the summary belongs to (the week of its scheduled day): its idempotency unit. */
  isoWeek: string;
  /** The scheduled day of that week, YYYY-MM-DD. */
  scheduledOn: string;
  /** The seven local days reported on, inclusive: the week before the scheduled day. */
  from: string;
  to: string;
  /** True once the scheduled day and hour have come in the organisation's time zone. */
  due: boolean;
}

/**
 * Where `now` falls in an organisation's weekly summary schedule. A summary belongs to the ISO
 * week of the local date: it is due from the scheduled weekday and hour until that week ends, so a
 * late run still sends it (catching up) and a run in the next week never sends a past week's.
 */
export function summaryWeek(
  now: Date,
  timeZone: string,
  schedule: { weekday: number; hour: number },
): SummaryWeek {
  const local = localMoment(now, timeZone);
  const week = isoWeekOf(local.date);
  const scheduledOn = addDays(week.monday, schedule.weekday - 1);
  const due = local.date > scheduledOn || (local.date === scheduledOn && local.hour >= schedule.hour);
  return {
    isoWeek: week.label,
    scheduledOn,
    from: addDays(scheduledOn, -7),
    to: addDays(scheduledOn, -1),
    due,
  };
}
