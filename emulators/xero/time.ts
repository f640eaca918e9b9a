/**
 * Xero's date formats (checked against the official OpenAPI examples and captured responses):
 * - dates and timestamps in JSON are Microsoft JSON dates: `"Date": "/Date(1539993600000+0000)/"` (dates are
 *   midnight UTC of the calendar day), `"UpdatedDateUTC": "/Date(1541176290160+0000)/"`, and the envelope's
 *   `"DateTimeUTC": "/Date(1552326816230)/"` (no offset);
 * - `DateString` / `DueDateString`: `"2018-10-20T00:00:00"` (real responses; the spec's examples show a space);
 * - identity (connections): `"2019-12-07T18:46:19.5165400"` (7 fractional digits, no zone);
 * - webhooks: `"eventDateUtc": "2024-06-21T01:15:39.902"` (no zone; xero-webhooks.yaml examples).
 * Calendar days are UTC days: the emulator does not apply the organisation's time zone.
 */
import { isIsoDate } from '../kit/dates.js';

export { addDays, isIsoDate } from '../kit/dates.js';

export function msDate(ms: number): string {
  return `/Date(${ms}+0000)/`;
}

export function envelopeDate(ms: number): string {
  return `/Date(${ms})/`;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function dateToMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export function dateString(date: string): string {
  return `${date}T00:00:00`;
}

/** `2018-11-02T16:37:28Z`: the `UpdatedDateUTCString` beside `UpdatedDateUTC` in xero_accounting.yaml's examples. */
export function updatedDateString(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** `2019-12-07T18:46:19.5160000`, as Xero's identity API writes timestamps. */
export function identityTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}0000`;
}

/** `2024-06-21T01:15:39.902`, as webhook events carry eventDateUtc. */
export function webhookTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23);
}

/** `MM/DD/YYYY HH:mm:ss` as in Xero's `TokenExpired: token expired at 04/09/2023 05:16:59`. */
export function usTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)} ${iso.slice(11, 19)}`;
}

/**
 * A date as clients send it: `2024-05-01`, `2024-05-01T00:00:00` (with or without zone) or `/Date(ms+0000)/`.
 * Returns the UTC calendar day, or undefined when unreadable.
 */
export function parseXeroDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value.trim());
  if (ms?.[1]) return isoDate(Number(ms[1]));
  const day = /^(\d{4}-\d{2}-\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  if (day?.[1] && isIsoDate(day[1])) return day[1];
  return undefined;
}

/** If-Modified-Since: an HTTP date (RFC 9110) or ISO 8601 (xero-node sends `Date.toISOString()`). */
export function parseHttpDate(value: string): number {
  return Date.parse(value.trim());
}

/** Milliseconds of a `/Date(…)/` string, for where/order comparisons. */
export function msOfWireDate(value: string): number | undefined {
  const match = /^\/Date\((-?\d+)/.exec(value);
  return match?.[1] ? Number(match[1]) : undefined;
}
