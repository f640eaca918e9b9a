import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { invoices, ledgerConnections, ledgerWrites } from '../../src/db/schema/index.js';
import { deliverLedgerWrite } from '../../src/ledger-writes/deliver-ledger-write.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const seed: CompanySeed = {
  name: 'Notes Ltd',
  homeCurrency: 'USD',
  customers: [{ id: '1', displayName: 'Noted Co', email: 'ap@noted.example' }],
  invoices: [{ id: '50', customerId: '1', total: 9_000, status: 'overdue', dueDate: '2026-10-01' }],
};

describe('delivering collection notes to the ledger', () => {
  let qbo: QuickBooksHarness;
  let connection: typeof ledgerConnections.$inferSelect;
  const db = () => qbo.runtime.database.db;

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    const { connectionId } = await qbo.connect();
    await qbo.waitForSync(connectionId, (row) => row.syncProgress?.phase === 'done');
    [connection] = (await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connectionId))) as [typeof ledgerConnections.$inferSelect];
  }, 120_000);
  afterAll(() => qbo?.stop());

  const queueNote = async (key: string, text: string, invoiceId?: string) => {
    const [invoice] = await db().select().from(invoices).where(eq(invoices.externalId, '50'));
    const [write] = await db()
      .insert(ledgerWrites)
      .values({
        orgId: connection.orgId,
        connectionId: connection.id,
        invoiceId: invoiceId ?? invoice?.id ?? null,
        kind: 'note',
        idempotencyKey: key,
        payload: { text },
      })
      .returning();
    return write?.id ?? '';
  };

  it('appends the note once, even when delivered again after a lost answer', async () => {
    const id = await queueNote(
      'note:k1:inv50',
      'Dunwell 2026-11-24: emailed "Reminder" to ap@noted.example.',
    );
    expect(await deliverLedgerWrite(qbo.runtime.ledger, id)).toBe('done');
    // As if the first answer had been lost: the row goes back to pending and is delivered again.
    await db().update(ledgerWrites).set({ status: 'pending' }).where(eq(ledgerWrites.id, id));
    expect(await deliverLedgerWrite(qbo.runtime.ledger, id)).toBe('done');
    const notes = qbo.emulator
      .company(qbo.realmId)
      .attachables.filter((attachable) => String(attachable['Note']).includes('emailed "Reminder"'));
    expect(notes).toHaveLength(1);
    expect(await deliverLedgerWrite(qbo.runtime.ledger, id)).toBe('not_due');
  });

  it('records a refusal with the vendor’s reason instead of retrying forever', async () => {
    const id = await queueNote('note:k2', 'x');
    await db().update(invoices).set({ externalId: '999' }).where(eq(invoices.externalId, '50'));
    try {
      expect(await deliverLedgerWrite(qbo.runtime.ledger, id)).toBe('failed');
      const [row] = await db().select().from(ledgerWrites).where(eq(ledgerWrites.id, id));
      expect(row?.status).toBe('failed');
      expect(row?.lastError).toBeTruthy();
    } finally {
      await db().update(invoices).set({ externalId: '50' }).where(eq(invoices.externalId, '999'));
    }
  });
});
