import Holidays from 'date-holidays';

/**
 * Public holidays by country, from the `date-holidays` rules (country level, no states or regions).
 * Only holidays of type `public` count: observances, optional, bank-only and school holidays do not.
 *
 * The planner asks this for every debtor it looks at, so a call is two Map lookups and a Set lookup:
 * the dates of a (country, year) are worked out once, on first use, and kept.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;
/** Years outside this range are not looked up (and not cached): no reminder is planned there. */
const firstYear = 1970;
const lastYear = 2200;

let knownCountries: Set<string> | undefined;

function isKnownCountry(code: string): boolean {
  if (!knownCountries) {
    knownCountries = new Set(Object.keys(new Holidays().getCountries()));
  }
  return knownCountries.has(code);
}

/** Per country as given by the caller: its years' holiday dates, or null for an unknown country. */
const byCountry = new Map<string, Map<string, ReadonlySet<string>> | null>();
/** One `Holidays` per known country (upper-case code), built on first use. */
const calendars = new Map<string, Holidays>();

function calendarFor(code: string): Holidays {
  let calendar = calendars.get(code);
  if (!calendar) {
    calendar = new Holidays(code, { types: ['public'] });
    calendars.set(code, calendar);
  }
  return calendar;
}

/** "2026-12-25 00:00:00" (+ n days) → "2026-12-25"; calendar arithmetic in UTC, so no zone shifts it. */
function addDays(isoDate: string, days: number): string {
  if (days === 0) return isoDate;
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Every date of `year` that is (part of) a public holiday of the country: the holidays of that year
 * and of the one before (a holiday that starts on 31 December may run into January).
 */
function publicHolidayDates(code: string, year: number): ReadonlySet<string> {
  const calendar = calendarFor(code);
  const prefix = `${year}-`;
  const dates = new Set<string>();
  for (const y of [year - 1, year]) {
    for (const holiday of calendar.getHolidays(y)) {
      if (holiday.type !== 'public') continue;
      const first = holiday.date.slice(0, 10);
      // Multi-day holidays (e.g. a new-year week) cover each of their days; a part-day one its day.
      const span = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
      for (let i = 0; i < span; i++) {
        const date = addDays(first, i);
        if (date.startsWith(prefix)) dates.add(date);
      }
    }
  }
  return dates;
}

function yearsOf(country: string): Map<string, ReadonlySet<string>> | null {
  let years = byCountry.get(country);
  if (years !== undefined) return years;
  const code = country.trim().toUpperCase();
  years = /^[A-Z]{2}$/.test(code) && isKnownCountry(code) ? new Map() : null;
  // Only remember strings that could be a code, so nonsense input cannot grow the cache without end.
  if (country.length <= 3) byCountry.set(country, years);
  return years;
}

/**
 * Whether `isoDate` (YYYY-MM-DD, a calendar date in the debtor's own zone) is a public holiday in
 * `country` (ISO 3166-1 alpha-2, any case). A null or unknown country has no holidays.
 */
export function isPublicHoliday(country: string | null, isoDate: string): boolean {
  if (country === null) return false;
  const years = yearsOf(country);
  if (years === null) return false;
  const yearKey = isoDate.slice(0, 4);
  let dates = years.get(yearKey);
  if (dates === undefined) {
    if (!isoDatePattern.test(isoDate)) return false;
    const year = Number(yearKey);
    if (year < firstYear || year > lastYear) return false;
    dates = publicHolidayDates(country.trim().toUpperCase(), year);
    years.set(yearKey, dates);
  }
  return dates.has(isoDate);
}

/** Closed-day lists longer than this are looked up through a Set kept per list (by identity). */
const setFromLength = 16;
const closedDaySets = new WeakMap<readonly string[], ReadonlySet<string>>();

/**
 * Whether nothing may be sent on `isoDate`: a public holiday of `country` (the debtor's, else the
 * organisation's) or one of the organisation's own closed days (the policy's `closedDays`).
 */
export function isClosedDay(isoDate: string, country: string | null, closedDays: readonly string[]): boolean {
  if (isPublicHoliday(country, isoDate)) return true;
  if (closedDays.length === 0) return false;
  if (closedDays.length < setFromLength) return closedDays.includes(isoDate);
  let set = closedDaySets.get(closedDays);
  if (!set) {
    set = new Set(closedDays);
    closedDaySets.set(closedDays, set);
  }
  return set.has(isoDate);
}
