import { type SQL, sql } from 'drizzle-orm';

/** A PostgreSQL type an array parameter is cast to. */
export type PgType =
  | 'uuid'
  | 'text'
  | 'jsonb'
  | 'timestamptz'
  | 'integer'
  | 'bigint'
  | 'date'
  | (string & {});

/** Types whose text is digits, letters and dashes: written unquoted in an array when it is. */
const plainTypes = new Set(['uuid', 'integer', 'bigint']);
const plainText = /^[\w-]+$/;
const needsEscape = /["\\]/;

/** Values as PostgreSQL reads them as `type` (null for SQL NULL). */
export function textsOf(values: unknown[], type: PgType): Array<string | null> {
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
 * `$n::type[]` from texts (see textsOf), sent as an array literal (`{a,"b",NULL}`) built in one pass:
 * pg's own conversion of a JavaScript array runs two regular expressions over every element.
 */
export function arrayOf(texts: Array<string | null>, type: PgType): SQL {
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
  return sql`${sql.param(`${literal}}`)}::${sql.raw(type)}[]`;
}

/** Values as one array parameter, `$n::type[]`. */
export function arrayParam(values: unknown[], type: PgType): SQL {
  return arrayOf(textsOf(values, type), type);
}
