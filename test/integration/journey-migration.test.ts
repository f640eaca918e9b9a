import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import {
  collectionFlags,
  collectionSteps,
  collectionTasks,
  customers,
  ledgerConnections,
  organisations,
} from '../../src/db/schema/index.js';
import { createLogger } from '../../src/logger.js';

/** The data migration of 0023, run again over flags and tasks written the way the per-invoice engine did. */
const migration = readFileSync(
  new URL('../../drizzle/0023_one_flag_and_task_per_debtor.sql', import.meta.url),
  'utf8',
)
  .split('--> statement-breakpoint')
  .map((statement) => statement.trim())
  .filter(Boolean);

describe('moving per-invoice flags and tasks to one per debtor (migration 0023)', () => {
  let database: DatabaseHandle;
  let orgId = '';
  let customerId = '';
  let otherCustomerId = '';

  beforeAll(async () => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 2, logger: createLogger('silent') });
    const db = database.db;
    const [organisation] = await db
      .insert(organisations)
      .values({ name: 'Migrated Ltd', currency: 'GBP', timeZone: 'Europe/London' })
      .returning();
    orgId = organisation?.id ?? '';
    const [connection] = await db
      .insert(ledgerConnections)
      .values({ orgId, vendor: 'xero', tenantId: `tenant-migrated-${Date.now()}` })
      .returning();
    const rows = await db
      .insert(customers)
      .values([
        { orgId, connectionId: connection?.id ?? '', externalId: 'm1', name: 'Three Flags' },
        { orgId, connectionId: connection?.id ?? '', externalId: 'm2', name: 'One Flag' },
      ])
      .returning();
    customerId = rows[0]?.id ?? '';
    otherCustomerId = rows[1]?.id ?? '';
    const flag = (customer: string, key: string, invoiceIds: string[], createdAt: string) => ({
      orgId,
      customerId: customer,
      idempotencyKey: key,
      kinds: ['agency_referral'],
      invoiceIds,
      daysOverdue: 60,
      recommendation: {},
      createdAt: new Date(createdAt),
    });
    await db
      .insert(collectionFlags)
      .values([
        flag(customerId, 'f1', ['a'], '2026-10-01T10:00:00Z'),
        flag(customerId, 'f2', ['b'], '2026-10-02T10:00:00Z'),
        flag(customerId, 'f3', ['c', 'a'], '2026-10-03T10:00:00Z'),
        flag(otherCustomerId, 'f4', ['d'], '2026-10-03T10:00:00Z'),
      ]);
    const addressKey = (step: string) => `${customerId}:${step}-address:abcdef`;
    await db.insert(collectionTasks).values([
      {
        orgId,
        customerId,
        idempotencyKey: addressKey('reminder'),
        description: 'No address',
        invoiceIds: ['a'],
      },
      { orgId, customerId, idempotencyKey: addressKey('firm'), description: 'No address', invoiceIds: ['a'] },
    ]);
    await db.insert(collectionSteps).values(
      ['reminder', 'firm'].map((step) => ({
        orgId,
        customerId,
        invoiceId: '00000000-0000-0000-0000-00000000000a',
        stepKey: step,
        kind: 'task' as const,
        effectKey: addressKey(step),
        takenAt: new Date('2026-10-01T10:00:00Z'),
      })),
    );
    for (const statement of migration) await db.execute(sql.raw(statement));
  });
  afterAll(() => database.pool.end());

  it('keeps the newest waiting flag of a debtor with the invoices of all of them, and closes the rest', async () => {
    const flags = await database.db.select().from(collectionFlags).where(eq(collectionFlags.orgId, orgId));
    const pending = flags.filter((flag) => flag.status === 'pending');
    expect(pending.map((flag) => flag.idempotencyKey).sort()).toEqual(['f3', 'f4']);
    expect([...(pending.find((flag) => flag.idempotencyKey === 'f3')?.invoiceIds ?? [])].sort()).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(pending.find((flag) => flag.idempotencyKey === 'f4')?.invoiceIds).toEqual(['d']);
    const closed = flags.filter((flag) => flag.status === 'rejected');
    expect(closed.map((flag) => flag.idempotencyKey).sort()).toEqual(['f1', 'f2']);
    expect(closed.every((flag) => flag.decision?.includes('one flag per customer'))).toBe(true);
  });

  it('leaves one open address task per debtor, and names its steps for the planner', async () => {
    const tasks = await database.db.select().from(collectionTasks).where(eq(collectionTasks.orgId, orgId));
    expect(tasks.filter((task) => task.status === 'open')).toHaveLength(1);
    const steps = await database.db.select().from(collectionSteps).where(eq(collectionSteps.orgId, orgId));
    expect(steps.map((step) => step.stepKey)).toEqual(['find-address', 'find-address']);
  });
});
