import { type SQL, sql } from 'drizzle-orm';
import type { Writer } from './client.js';

/** A column of a bulk insert: its name and the PostgreSQL type its array parameter is cast to. */
export interface BulkColumn<Row> {
  name: string;
  type: 'uuid' | 'text' | 'jsonb' | 'timestamptz' | 'integer' | 'bigint' | 'date' | (string & {});
  value: (row: Row) => unknown;
}

/**
 * Inserts many rows in one statement with one array parameter per column (`insert … select * from
 * unnest($1::uuid[], $2::text[], …)`): the statement stays small whatever the row count, and no ORM
 * builds a placeholder per value. `returning` names columns to read back from the rows inserted.
 */
export async function bulkInsert<Row>(
  db: Writer,
  table: string,
  columns: BulkColumn<Row>[],
  rows: Row[],
  options: { onConflictDoNothing?: boolean; returning?: string[] } = {},
): Promise<Array<Record<string, unknown>>> {
  if (rows.length === 0) return [];
  const arrays = columns.map((column) =>
    rows.map((row) => {
      const value = column.value(row);
      if (value === undefined || value === null) return null;
      if (column.type === 'jsonb') return JSON.stringify(value);
      if (value instanceof Date) return value.toISOString();
      return value;
    }),
  );
  const names = sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  );
  const unnest = sql.join(
    columns.map((column, index) => sql`${sql.param(arrays[index])}::${sql.raw(column.type)}[]`),
    sql`, `,
  );
  const parts: SQL[] = [sql`insert into ${sql.identifier(table)} (${names}) select * from unnest(${unnest})`];
  if (options.onConflictDoNothing) parts.push(sql` on conflict do nothing`);
  if (options.returning?.length)
    parts.push(
      sql` returning ${sql.join(
        options.returning.map((name) => sql.identifier(name)),
        sql`, `,
      )}`,
    );
  const result = await db.execute(sql.join(parts));
  return result.rows as Array<Record<string, unknown>>;
}
