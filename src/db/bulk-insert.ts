import { type SQL, sql } from 'drizzle-orm';
import type { Writer } from './client.js';

/** A column of a bulk insert: its name and the PostgreSQL type its array parameter is cast to. */
export interface BulkColumn<Row> {
  name: string;
  type: 'uuid' | 'text' | 'jsonb' | 'timestamptz' | 'integer' | 'bigint' | 'date' | (string & {});
  value: (row: Row) => unknown;
}

/** Types whose text is digits, letters and dashes: written unquoted in an array when it is. */
const plainTypes = new Set(['uuid', 'integer', 'bigint']);
const plainText = /^[\w-]+$/;
const needsEscape = /["\\]/;

/** A column's values as PostgreSQL reads them (null for SQL NULL). */
function textsOf<Row>(rows: Row[], column: BulkColumn<Row>): Array<string | null> {
  return textsOfValues(rows.map(column.value), column.type);
}

/** Values as PostgreSQL reads them as `type` (null for SQL NULL). */
function textsOfValues(values: unknown[], type: string): Array<string | null> {
  // Rows of one batch often share a timestamp: convert each Date once.
  let lastDate: Date | undefined;
  let lastIso = '';
  return values.map((value) => {
    if (value === undefined || value === null) return null;
    if (type === 'jsonb') return JSON.stringify(value);
    if (typeof value === 'string') return value;
    if (value instanceof Date) {
      if (value !== lastDate) {
        lastDate = value;
        lastIso = value.toISOString();
      }
      return lastIso;
    }
    return String(value);
  });
}

/**
 * An array literal (`{a,"b",NULL}`), built in one pass: pg's own conversion of a JavaScript array
 * runs two regular expressions over every element.
 */
function arrayLiteral(texts: Array<string | null>, type: string): string {
  const plain = plainTypes.has(type);
  let literal = '{';
  for (let index = 0; index < texts.length; index++) {
    const text = texts[index];
    if (index > 0) literal += ',';
    if (text === null || text === undefined) literal += 'NULL';
    // Anything else is quoted: an id from outside holding a comma or brace is then one element that
    // PostgreSQL rejects, never two.
    else if (plain && plainText.test(text)) literal += text;
    else literal += `"${needsEscape.test(text) ? text.replace(/["\\]/g, '\\$&') : text}"`;
  }
  return `${literal}}`;
}

/** `$n::type[]`: values as one array parameter (see arrayLiteral). */
export function arrayParam(values: unknown[], type: BulkColumn<unknown>['type']): SQL {
  return sql`${sql.param(arrayLiteral(textsOfValues(values, type), type))}::${sql.raw(type)}[]`;
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
  const texts = columns.map((column) => textsOf(rows, column));
  const uniform = texts.map(isUniform);
  // unnest() makes the rows: at least one column stays an array, even when every row is the same.
  if (uniform.every(Boolean)) uniform[0] = false;

  const names = sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  );
  const arrays = columns.flatMap((column, index) =>
    uniform[index]
      ? []
      : [sql`${sql.param(arrayLiteral(texts[index] ?? [], column.type))}::${sql.raw(column.type)}[]`],
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
