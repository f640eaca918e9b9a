import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import {
  collectionTasks,
  customers,
  disputeInvoices,
  disputes,
  invoices,
  ledgerConnections,
  organisations,
} from '../../src/db/schema/index.js';
import { createLogger } from '../../src/logger.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.js';

/** Migration 0025, run over disputes written before it, when the same invoices could be disputed again and again. */
const migration = readFileSync(
  new URL('../../drizzle/0025_one_open_dispute_per_invoice.sql', import.meta.url),
  'utf8',
)
  .split('--> statement-breakpoint')
  .map((statement) => statement.trim())
  .filter(Boolean);

describe('one open dispute per invoice (migration 0025)', () => {
  let scratch: ScratchDatabase;
  let database: DatabaseHandle;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    scratch = await createScratchDatabase(inject('adminUrl'), 'disputes');
    await runMigrations(scratch.url);
    database = connectDatabase(scratch.url, { poolMax: 2, logger: createLogger('silent') });
    const db = database.db;
    // As before 0025: no dispute_invoices, nothing stopping a second open dispute.
    await db.execute(sql`drop table dispute_invoices`);
    const [organisation] = await db
      .insert(organisations)
      .values({ name: 'Disputed Ltd', currency: 'GBP', timeZone: 'Europe/London' })
      .returning();
    const orgId = organisation?.id ?? '';
    ids['org'] = orgId;
    const [connection] = await db
      .insert(ledgerConnections)
      .values({ orgId, vendor: 'xero', tenantId: 'tenant-disputed' })
      .returning();
    const [customer] = await db
      .insert(customers)
      .values({ orgId, connectionId: connection?.id ?? '', externalId: 'c1', name: 'Again And Again' })
      .returning();
    const customerId = customer?.id ?? '';
    for (const number of ['A', 'B', 'C']) {
      const [invoice] = await db
        .insert(invoices)
        .values({
          orgId,
          connectionId: connection?.id ?? '',
          customerId,
          externalId: number,
          number,
          currency: 'GBP',
          totalMinor: 10_000,
          balanceMinor: 10_000,
          issueDate: '2026-01-01',
          dueDate: '2026-02-01',
          status: 'open',
        })
        .returning();
      ids[number] = invoice?.id ?? '';
    }
    const dispute = async (name: string, invoiceIds: string[], at: string, status: 'open' | 'resolved') => {
      const [row] = await db
        .insert(disputes)
        .values({
          orgId,
          customerId,
          invoiceIds,
          reason: 'wrong_amount',
          message: `${name} says`,
          source: 'portal',
          status,
          createdAt: new Date(at),
        })
        .returning();
      ids[name] = row?.id ?? '';
      await db
        .insert(collectionTasks)
        .values({ orgId, customerId, idempotencyKey: `dispute:${row?.id}`, description: name, invoiceIds });
    };
    await dispute('first', [ids['A'] ?? ''], '2026-03-01T10:00:00Z', 'open');
    await dispute('again', [ids['A'] ?? ''], '2026-03-02T10:00:00Z', 'open');
    await dispute('wider', [ids['A'] ?? '', ids['B'] ?? ''], '2026-03-03T10:00:00Z', 'open');
    await dispute('old', [ids['C'] ?? ''], '2026-01-03T10:00:00Z', 'resolved');
    for (const statement of migration) await db.execute(sql.raw(statement));
  }, 60_000);
  afterAll(async () => {
    await database?.pool.end();
    await scratch?.drop();
  });

  it('merges a later open dispute of the same invoices into the first, and closes its task', async () => {
    const db = database.db;
    const byId = async (name: string) =>
      (
        await db
          .select()
          .from(disputes)
          .where(eq(disputes.id, ids[name] ?? ''))
      )[0];
    expect(await byId('first')).toMatchObject({
      status: 'open',
      message: 'first says\n\nAlso said on 2026-03-02 (wrong_amount):\nagain says',
    });
    expect(await byId('again')).toMatchObject({ status: 'resolved', resolvedBy: 'system' });
    expect((await byId('again'))?.resolution).toContain(ids['first']);
    // Partly new: it keeps only the invoice nobody else disputes.
    expect(await byId('wider')).toMatchObject({ status: 'open', invoiceIds: [ids['B']] });
    const tasks = await db.select().from(collectionTasks);
    expect(Object.fromEntries(tasks.map((task) => [task.description, task.status]))).toEqual({
      first: 'open',
      again: 'done',
      wider: 'open',
      old: 'open',
    });
  });

  it('leaves one open dispute per invoice, and the index refuses another', async () => {
    const db = database.db;
    const rows = await db.select().from(disputeInvoices);
    const open = rows.filter((row) => row.open).map((row) => [row.disputeId, row.invoiceId]);
    expect(open.sort()).toEqual(
      [
        [ids['first'], ids['A']],
        [ids['wider'], ids['B']],
      ].sort(),
    );
    // Resolved ones (the merged one among them) keep their invoices, closed.
    expect(rows.filter((row) => !row.open).map((row) => [row.disputeId, row.invoiceId])).toEqual(
      expect.arrayContaining([
        [ids['again'], ids['A']],
        [ids['old'], ids['C']],
      ]),
    );
    expect(rows.filter((row) => !row.open)).toHaveLength(2);
    await expect(
      db
        .insert(disputeInvoices)
        .values({ disputeId: ids['again'] ?? '', orgId: ids['org'] ?? '', invoiceId: ids['A'] ?? '' }),
    ).rejects.toThrow();
  });
});
