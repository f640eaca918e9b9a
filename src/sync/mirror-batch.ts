import { sql } from 'drizzle-orm';

/** The organisation and connection whose mirror is being written. */
export interface MirrorScope {
  orgId: string;
  connectionId: string;
}

const chunkSize = 500;

/** Rows in batches of 500, one statement each. */
export function chunks<Item>(items: Item[]): Item[][] {
  const result: Item[][] = [];
  for (let start = 0; start < items.length; start += chunkSize)
    result.push(items.slice(start, start + chunkSize));
  return result;
}

/** On conflict, the value of the row being written. */
export const newer = (column: unknown) => sql`excluded.${sql.raw(String(column))}`;
