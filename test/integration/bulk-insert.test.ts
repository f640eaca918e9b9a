import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { anyUuid } from '../../src/db/any-of.js';
import { type BulkColumn, bulkInsert } from '../../src/db/bulk-insert.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';

interface Row {
  id: string;
  label: string | null;
  details: unknown;
  count: number | null;
  at: Date | null;
}

const columns: BulkColumn<Row>[] = [
  { name: 'id', type: 'uuid', value: (row) => row.id },
  { name: 'label', type: 'text', value: (row) => row.label },
  { name: 'details', type: 'jsonb', value: (row) => row.details },
  { name: 'count', type: 'integer', value: (row) => row.count },
  { name: 'at', type: 'timestamptz', value: (row) => row.at },
];

// Everything an array literal gives meaning to: quotes, backslashes, commas, braces, spaces, the word
// NULL, empty text, line breaks, tabs and text beyond ASCII.
const awkwardLabels = [
  'plain',
  'say "hello"',
  'C:\\ledger\\notes',
  'a, b and {c}',
  '  padded  ',
  'NULL',
  'null',
  '',
  'two\nlines\r\nand\ta tab',
  'Zoë’s café — 12 €',
  '\\"',
  '{"not": "json"}',
];

describe('bulkInsert', () => {
  let database: DatabaseHandle;

  beforeAll(async () => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 1, logger: createLogger('silent') });
    await database.db.execute(
      sql`create table bulk_rows (id uuid primary key, label text, details jsonb, count integer, at timestamptz)`,
    );
  });
  afterAll(async () => {
    await database?.db.execute(sql`drop table if exists bulk_rows, bulk_alike`);
    await database?.pool.end();
  });

  it('stores every value exactly as given, whatever characters it holds', async () => {
    const rows: Row[] = awkwardLabels.map((label, index) => ({
      id: randomUUID(),
      label,
      details: { label, nested: { list: [label, index, null, true] } },
      count: index - 5,
      at: new Date(Date.UTC(2026, 10, 24, 10, index, 0, index)),
    }));
    rows.push({ id: randomUUID(), label: null, details: null, count: null, at: null });
    rows.push({ id: randomUUID(), label: 'json text', details: 'just "a" string', count: 0, at: null });

    await bulkInsert(database.db, 'bulk_rows', columns, rows);

    const stored = await database.db.execute<{
      id: string;
      label: string | null;
      details: unknown;
      count: number | null;
      at: string | null;
    }>(sql`select id, label, details, count, at from bulk_rows`);
    const byId = new Map(
      stored.rows.map((row) => [row.id, { ...row, at: row.at === null ? null : new Date(row.at) }]),
    );
    expect(stored.rows).toHaveLength(rows.length);
    for (const row of rows) expect(byId.get(row.id)).toEqual(row);
  });

  it('writes a value every row shares, and rows that are all alike', async () => {
    const at = new Date('2026-11-24T10:00:00.000Z');
    const shared: Row[] = [1, 2, 3].map((count) => ({
      id: randomUUID(),
      label: 'same "label"',
      details: { same: true },
      count,
      at,
    }));
    await bulkInsert(database.db, 'bulk_rows', columns, shared);
    const stored = await database.db.execute<{ label: string; details: unknown; count: number; at: string }>(
      sql`select label, details, count, at from bulk_rows where id in (${sql.join(
        shared.map((row) => sql`${row.id}::uuid`),
        sql`, `,
      )}) order by count`,
    );
    expect(stored.rows.map((row) => ({ ...row, at: new Date(row.at) }))).toEqual(
      shared.map(({ id: _id, ...row }) => row),
    );

    await database.db.execute(sql`create table bulk_alike (label text, count integer)`);
    const alike = Array.from({ length: 4 }, () => ({ label: 'same', count: 7 }));
    await bulkInsert(
      database.db,
      'bulk_alike',
      [
        { name: 'label', type: 'text', value: (row: (typeof alike)[number]) => row.label },
        { name: 'count', type: 'integer', value: (row: (typeof alike)[number]) => row.count },
      ],
      alike,
    );
    const copies = await database.db.execute<{ label: string; count: number }>(
      sql`select label, count from bulk_alike`,
    );
    expect(copies.rows).toEqual(alike);
  });

  it('skips rows that conflict and returns only those it inserted', async () => {
    const existing = randomUUID();
    await bulkInsert(database.db, 'bulk_rows', columns, [
      { id: existing, label: 'first', details: {}, count: 1, at: null },
    ]);
    const fresh = randomUUID();
    const inserted = await bulkInsert(
      database.db,
      'bulk_rows',
      columns,
      [
        { id: existing, label: 'second', details: {}, count: 2, at: null },
        { id: fresh, label: 'third', details: {}, count: 3, at: null },
      ],
      { onConflictDoNothing: true, returning: ['id', 'label'] },
    );
    expect(inserted).toEqual([{ id: fresh, label: 'third' }]);
    const kept = await database.db.execute<{ label: string }>(
      sql`select label from bulk_rows where id = ${existing}`,
    );
    expect(kept.rows[0]?.label).toBe('first');
  });

  it('matches ids given as one array, and takes an id holding a comma or brace as one bad id', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    await bulkInsert(
      database.db,
      'bulk_rows',
      columns,
      ids.map((id) => ({ id, label: 'any-of', details: {}, count: 0, at: null })),
    );
    const idColumn = sql.identifier('id');
    const matching = (wanted: string[]) =>
      database.db.execute<{ id: string }>(
        sql`select id from bulk_rows where ${anyUuid(idColumn as never, wanted)} order by id`,
      );
    expect((await matching([ids[0] ?? '', ids[2] ?? ''])).rows.map((row) => row.id)).toEqual(
      [ids[0], ids[2]].sort(),
    );
    // The database's own error, under the ORM's wrapper.
    const refusal = (wanted: string[]) =>
      matching(wanted).then(
        () => 'accepted',
        (error: Error) => String((error.cause as Error | undefined)?.message ?? error.message),
      );
    expect(await refusal([`${ids[0]},${ids[1]}`])).toMatch(/invalid input syntax for type uuid/);
    expect(await refusal([`${ids[0]}}`])).toMatch(/invalid input syntax for type uuid/);
  });
});
