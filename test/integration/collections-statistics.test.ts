import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { statisticsKeeper } from '../../src/collections/statistics.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.js';

describe('the statistics an evaluation keeps up with its own bulk writes', () => {
  let scratch: ScratchDatabase;
  let database: DatabaseHandle;
  // -1 until the table is first analysed; then the row count the last ANALYZE saw.
  const analysedRows = async () => {
    const result = await database.db.execute<{ reltuples: number }>(
      sql`select reltuples from pg_class where oid = 'collection_steps'::regclass`,
    );
    return Number(result.rows[0]?.reltuples);
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase(inject('adminUrl'), 'statistics');
    await runMigrations(scratch.url);
    database = connectDatabase(scratch.url, { poolMax: 2, logger: createLogger('silent') });
    // Only the keeper analyses here, whatever the server's autovacuum does.
    await database.db.execute(sql`alter table collection_steps set (autovacuum_enabled = false)`);
    await database.db.execute(sql`alter table outbound_messages set (autovacuum_enabled = false)`);
  }, 60_000);
  afterAll(async () => {
    await database?.pool.end();
    await scratch?.drop();
  });

  it('analyses the steps and messages once the rows written reach the threshold, then at each doubling', async () => {
    const keep = statisticsKeeper(database.db, 100);
    expect(await analysedRows()).toBe(-1);
    await keep(60);
    expect(await analysedRows()).toBe(-1);
    await keep(50); // 110 written: the first ANALYZE, of still empty tables
    expect(await analysedRows()).toBe(0);

    const [org] = (
      await database.db.execute<{ id: string }>(
        sql`insert into organisations (name, currency) values ('Stats Ltd', 'GBP') returning id`,
      )
    ).rows;
    await database.db.execute(sql`
      insert into collection_steps (org_id, customer_id, invoice_id, step_key, kind, effect_key, taken_at)
      select ${org?.id}::uuid, gen_random_uuid(), gen_random_uuid(), 'reminder', 'email', 'k' || n, now()
        from generate_series(1, 300) n`);
    await keep(100); // 210: short of the next threshold (220)
    expect(await analysedRows()).toBe(0);
    await keep(20); // 230
    expect(await analysedRows()).toBe(300);
  });
});
