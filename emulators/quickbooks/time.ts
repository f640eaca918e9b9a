/**
 * Timestamps as QuickBooks writes them: whole seconds with the company's UTC offset
 * (Intuit's examples use Pacific time, e.g. `2015-12-23T12:55:50-08:00`). The emulator fixes the offset
 * at -07:00 so clients must parse offsets rather than assume `Z`.
 */
import { DAY_MS } from '../kit/dates.js';

export { addDays, isIsoDate } from '../kit/dates.js';

const OFFSET_MINUTES = -7 * 60;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function shifted(ms: number): Date {
  return new Date(ms + OFFSET_MINUTES * 60_000);
}

function offsetSuffix(): string {
  const sign = OFFSET_MINUTES < 0 ? '-' : '+';
  const abs = Math.abs(OFFSET_MINUTES);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Truncates to whole seconds: QuickBooks' LastUpdatedTime has second precision. */
export function toSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

export function isoDateTime(ms: number): string {
  const d = shifted(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${date}T${time}${offsetSuffix()}`;
}

/** `time` field of responses: milliseconds, like `2015-12-23T10:00:01.123-07:00`. */
export function isoResponseTime(ms: number): string {
  const base = isoDateTime(ms);
  return `${base.slice(0, 19)}.${pad(ms % 1000, 3)}${base.slice(19)}`;
}

/** The company's calendar date at `ms`. */
export function isoDate(ms: number): string {
  return isoDateTime(ms).slice(0, 10);
}

/** Midday of a company calendar date, as epoch ms (used to timestamp seeded entities). */
export function dateToMs(date: string, hour = 9): number {
  return Date.parse(`${date}T${pad(hour)}:00:00Z`) - OFFSET_MINUTES * 60_000;
}

/**
 * Parses a timestamp from a query string. A `+` offset arrives as a space when the client did not
 * encode it (node-quickbooks' changeDataCapture does not), so a space before the offset is read as `+`.
 */
export function parseTimestamp(value: string): number {
  const repaired = value.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  return Date.parse(repaired);
}

export const DAY = DAY_MS;
