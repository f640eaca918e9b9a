import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { runMigrations } from '../../src/db/migrate.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.js';

const expectedTables = [
  'activity_log',
  'collection_flags',
  'collection_policies',
  'collection_steps',
  'collection_tasks',
  'connection_choices',
  'customer_contacts',
  'customer_phones',
  'customers',
  'debtor_replies',
  'dispute_invoices',
  'disputes',
  'inbound_emails',
  'inbound_sms',
  'invoices',
  'ledger_connections',
  'ledger_credits',
  'ledger_writes',
  'local_email_sends',
  'memberships',
  'message_templates',
  'organisations',
  'outbound_messages',
  'owner_digests',
  'owner_events',
  'owner_notification_settings',
  'payment_allocations',
  'payment_plans',
  'payment_promises',
  'payments',
  'sessions',
  'settlements',
  'sms_messages',
  'sms_status_events',
  'user_identities',
  'users',
  'webhook_inbox',
];

async function query<Row extends pg.QueryResultRow>(url: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  let scratch: ScratchDatabase | undefined;
  afterEach(() => scratch?.drop());

  it('build the whole schema on an empty database, and a second run changes nothing', async () => {
    scratch = await createScratchDatabase(inject('adminUrl'), 'migrate');
    await runMigrations(scratch.url);
    const tables = await query<{ table_name: string }>(
      scratch.url,
      "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    expect(tables.map((row) => row.table_name)).toEqual(expectedTables);

    const applied = await query<{ count: number }>(
      scratch.url,
      'select count(*)::int as count from drizzle.__drizzle_migrations',
    );
    await runMigrations(scratch.url);
    expect(
      await query(scratch.url, 'select count(*)::int as count from drizzle.__drizzle_migrations'),
    ).toEqual(applied);
  });

  it('give every organisation-owned table an org_id that is indexed first', async () => {
    scratch = await createScratchDatabase(inject('adminUrl'), 'orgid');
    await runMigrations(scratch.url);
    const missing = await query<{ table_name: string }>(
      scratch.url,
      `select t.table_name from information_schema.tables t
        where t.table_schema = 'public' and t.table_name not in ('organisations', 'users', 'user_identities', 'sessions', 'webhook_inbox', 'inbound_emails', 'inbound_sms', 'connection_choices')
          and not exists (select 1 from information_schema.columns c
                           where c.table_name = t.table_name and c.column_name = 'org_id' and c.is_nullable = 'NO')`,
    );
    expect(missing).toEqual([]);
  });

  it('are safe when several processes start at once', async () => {
    scratch = await createScratchDatabase(inject('adminUrl'), 'race');
    const url = scratch.url;
    await Promise.all([runMigrations(url), runMigrations(url), runMigrations(url)]);
    const tables = await query<{ count: number }>(
      url,
      "select count(*)::int as count from information_schema.tables where table_schema = 'public'",
    );
    expect(tables[0]?.count).toBe(expectedTables.length);
  });
});
