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
  /**
   * True on the scheduled day, from its hour until that day ends, in the organisation's time zone,
   * when the week reported on began on or after the day the organisation was created. Never on
   * another day: a summary whose day went by without it is missed, not sent late.
   */
  due: boolean;
  /** The week reported on began before the organisation existed: no summary for it. */
  beforeOrganisation: boolean;
}

/**
 * Where `now` falls in an organisation's weekly summary schedule. A summary belongs to the ISO
 * week of its scheduled day and is due on that day only, from the scheduled hour. `createdOn` (the
 * organisation's first local day) keeps out a week that began before the organisation existed: the
 * first summary is the first whose whole week the organisation was there for.
 */
export function summaryWeek(
  now: Date,
  timeZone: string,
  schedule: { weekday: number; hour: number },
  createdOn?: string,
): SummaryWeek {
  const local = localMoment(now, timeZone);
  const week = isoWeekOf(local.date);
  const scheduledOn = addDays(week.monday, schedule.weekday - 1);
  const from = addDays(scheduledOn, -7);
  const beforeOrganisation = createdOn !== undefined && from < createdOn;
  const due = local.date === scheduledOn && local.hour >= schedule.hour && !beforeOrganisation;
  return { isoWeek: week.label, scheduledOn, from, to: addDays(scheduledOn, -1), due, beforeOrganisation };
}

/**
 * The last scheduled day that has ended by `now` (local), with its ISO week and whether it was one
 * the organisation owed a summary for: what the hourly round checks to mark a missed summary.
 */
export function lastScheduledDay(
  now: Date,
  timeZone: string,
  schedule: { weekday: number; hour: number },
  createdOn?: string,
): { isoWeek: string; scheduledOn: string; owed: boolean } {
  const today = localMoment(now, timeZone).date;
  const thisWeek = summaryWeek(now, timeZone, schedule, createdOn);
  const scheduledOn = thisWeek.scheduledOn < today ? thisWeek.scheduledOn : addDays(thisWeek.scheduledOn, -7);
  const from = addDays(scheduledOn, -7);
  return {
    isoWeek: isoWeekOf(scheduledOn).label,
    scheduledOn,
    owed: createdOn === undefined || from >= createdOn,
  };
}
