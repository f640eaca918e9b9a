import { addDays } from '../../src/domain/local-time.js';

/** Today's date in UTC, YYYY-MM-DD. */
export const today = new Date().toISOString().slice(0, 10);

export const daysFromToday = (days: number) => addDays(today, days);

/** A weekday at 11:00 UTC (or `hour`), `days` or more from today: inside the default sending window for a UTC organisation. */
export function weekdayAt(days: number, hour = 11): Date {
  const at = new Date(`${daysFromToday(days)}T${String(hour).padStart(2, '0')}:00:00Z`);
  while (at.getUTCDay() === 0 || at.getUTCDay() === 6) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}
