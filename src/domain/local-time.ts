/** Calendar arithmetic on ISO dates and local times, without a clock of its own. */

const dayMs = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export interface LocalMoment {
  /** The local calendar date, YYYY-MM-DD. */
  date: string;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  hour: number;
}

/** What the wall clock says at `now` in `timeZone`. */
export function localMoment(now: Date, timeZone: string): LocalMoment {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(now)) parts[part.type] = part.value;
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    weekday: weekdays[parts['weekday'] ?? ''] ?? 1,
    hour: Number(parts['hour']),
  };
}

const dayNumbers = new Map<string, number>();

/** Days since 1970-01-01 of an ISO date, for cheap date differences (remembered: dates repeat a lot). */
export function dayNumber(isoDate: string): number {
  let value = dayNumbers.get(isoDate);
  if (value === undefined) {
    const [year, month, dayOfMonth] = [isoDate.slice(0, 4), isoDate.slice(5, 7), isoDate.slice(8, 10)].map(
      Number,
    );
    value = Math.floor(Date.UTC(year ?? 1970, (month ?? 1) - 1, dayOfMonth ?? 1) / dayMs);
    if (dayNumbers.size > 50_000) dayNumbers.clear();
    dayNumbers.set(isoDate, value);
  }
  return value;
}

const isoDates = new Map<number, string>();

export function isoDateOf(dayNumberValue: number): string {
  let value = isoDates.get(dayNumberValue);
  if (value === undefined) {
    value = new Date(dayNumberValue * dayMs).toISOString().slice(0, 10);
    if (isoDates.size > 50_000) isoDates.clear();
    isoDates.set(dayNumberValue, value);
  }
  return value;
}

export function addDays(isoDate: string, days: number): string {
  return isoDateOf(dayNumber(isoDate) + days);
}

/** True for a time zone the platform knows. */
export function isTimeZone(value: string): boolean {
  try {
    formatterFor(value);
    return true;
  } catch {
    return false;
  }
}

/** The same day of the month `months` later, or that month's last day when it is shorter (31 Jan + 1 → 28/29 Feb). */
export function addMonths(isoDate: string, months: number): string {
  const [year, month, dayOfMonth] = [isoDate.slice(0, 4), isoDate.slice(5, 7), isoDate.slice(8, 10)].map(
    Number,
  );
  const target = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(dayOfMonth ?? 1, lastDay));
  return target.toISOString().slice(0, 10);
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && isoDateOf(dayNumber(value)) === value;
}

/** Minutes the wall clock in `timeZone` is ahead of UTC at `at`. */
function offsetMinutes(at: number, timeZone: string): number {
  const formatter = formatterFor(timeZone);
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(at))) parts[part.type] = part.value;
  const wall = Date.UTC(
    Number(parts['year']),
    Number(parts['month']) - 1,
    Number(parts['day']),
    Number(parts['hour']),
    Number(parts['minute']),
  );
  return Math.round((wall - Math.floor(at / 60_000) * 60_000) / 60_000);
}

/**
 * The instant a local day begins in `timeZone`: its midnight, or the first minute after it when a
 * daylight-saving change skips midnight (as in a few zones that change at 00:00).
 */
export function startOfLocalDay(isoDate: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${isoDate}T00:00:00Z`);
  let at = midnightUtc - offsetMinutes(midnightUtc, timeZone) * 60_000;
  // The offset at the guess may differ from the offset at the answer across a change: settle it.
  at = midnightUtc - offsetMinutes(at, timeZone) * 60_000;
  if (localMoment(new Date(at), timeZone).date < isoDate) at += 3_600_000;
  return new Date(at);
}
