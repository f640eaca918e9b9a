import { type Column, type SQL, sql } from 'drizzle-orm';
import { arrayParam } from './array-param.js';

/**
 * `column = any($1::uuid[])`: the ids go as one array parameter. Same plan as `inArray`'s
 * `in ($1, …, $1000)`, but a batch of a thousand debtors no longer builds, checks and sends a
 * thousand parameters per query (a tenth of an evaluation's CPU went there).
 */
export function anyUuid(column: Column, ids: string[]): SQL {
  return sql`${column} = any(${arrayParam(ids, 'uuid')})`;
}
