import { type SQL, sql } from 'drizzle-orm';
import { arrayOf, type PgType, textsOf } from './array-param.js';
import type { Writer } from './client.js';

/** A column of a bulk insert: its name and the PostgreSQL type its array parameter is cast to. */
export interface BulkColumn<Row> {
  name: string;
  type: PgType;
  value: (row: Row) => unknown;
}

function isUniform(texts: Array<string | null>): boolean {
  const first = texts[0];
  for (const text of texts) if (text !== first) return false;
  return true;
}

/**
 * Inserts many rows in one statement with one array parameter per column (`insert … select … from
 * unnest($1::uuid[], $2::text[], …)`): the statement stays small whatever the row count, and no ORM
 * builds a placeholder per value. A column every row gives the same value (the organisation, the
 * planning instant) goes as one value rather than an array of copies. `returning` names columns to
 * read back from the rows inserted.
 */
export async function bulkInsert<Row>(
  db: Writer,
  table: string,
  columns: BulkColumn<Row>[],
  rows: Row[],
  options: { onConflictDoNothing?: boolean; returning?: string[] } = {},
): Promise<Array<Record<string, unknown>>> {
  if (rows.length === 0) return [];
  const texts = columns.map((column) => textsOf(rows.map(column.value), column.type));
  const uniform = texts.map(isUniform);
  // unnest() makes the rows: at least one column stays an array, even when every row is the same.
  if (uniform.every(Boolean)) uniform[0] = false;

  const names = sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  );
  const arrays = columns.flatMap((column, index) =>
    uniform[index] ? [] : [arrayOf(texts[index] ?? [], column.type)],
  );
  const arrayNames = columns.flatMap((column, index) =>
    uniform[index] ? [] : [sql.identifier(column.name)],
  );
  const values = columns.map((column, index) =>
    uniform[index]
      ? sql`${sql.param(texts[index]?.[0] ?? null)}::${sql.raw(column.type)}`
      : sql`rows.${sql.identifier(column.name)}`,
  );
  const parts: SQL[] = [
    sql`insert into ${sql.identifier(table)} (${names}) select ${sql.join(values, sql`, `)} from unnest(${sql.join(arrays, sql`, `)}) as rows(${sql.join(arrayNames, sql`, `)})`,
  ];
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
