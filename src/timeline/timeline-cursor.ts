import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { AppError } from '../errors.js';
import type { TimelineSource } from './timeline-entry.js';

export interface Cursor {
  /** UTC, to the microsecond, as `atKeyOf` writes it. */
  at: string;
  source: TimelineSource;
  rowId: string;
}
const cursorShape =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)\|(activity|flag|message|task|write_back)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function parseCursor(before: string | undefined): Cursor | null {
  if (before === undefined) return null;
  const match = cursorShape.exec(before);
  if (!match?.[1] || !match[2] || !match[3])
    throw new AppError(400, 'invalid_request', 'The timeline position is not valid; start from the top.');
  return { at: match[1], source: match[2] as TimelineSource, rowId: match[3] };
}

/** The time as sortable text to the microsecond: a Date keeps milliseconds, PostgreSQL microseconds. */
export const atKeyOf = (at: SQL | AnyPgColumn) =>
  sql<string>`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Rows after the cursor in (time desc, source desc, id desc) order. */
export function olderThan(
  cursor: Cursor | null,
  source: TimelineSource,
  at: SQL | AnyPgColumn,
  id: AnyPgColumn,
) {
  if (!cursor) return undefined;
  const cursorAt = sql`${cursor.at}::timestamptz`;
  if (source === cursor.source) return sql`(${at}, ${id}) < (${cursorAt}, ${cursor.rowId}::uuid)`;
  return source < cursor.source ? sql`${at} <= ${cursorAt}` : sql`${at} < ${cursorAt}`;
}

/** The position after a page's last entry, as `parseCursor` reads it. */
export const cursorAfter = (last: { atKey: string; source: TimelineSource; rowId: string }) =>
  `${last.atKey}|${last.source}|${last.rowId}`;
