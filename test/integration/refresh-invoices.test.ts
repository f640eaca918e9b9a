import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LedgerConnector } from '../../connectors/ledger.js';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { invoices, ledgerConnections } from '../../src/db/schema/index.js';
import type { LedgerContext } from '../../src/ledger/context.js';
import { refreshInvoices } from '../../src/sync/refresh-invoices.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const dueDate = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
const seed: CompanySeed = {
  name: 'Refresh Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [{ id: '1', displayName: 'Owes Three', email: 'ap@three.example' }],
  invoices: ['11', '12', '13'].map((id) => ({
    id,
    customerId: '1',
    total: 10_000,
    status: 'overdue' as const,
    dueDate,
  })),
};

describe('refreshing invoices from the ledger (the sync, for delivery)', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  let connectionId: string;
  const db = () => qbo.runtime.database.db;
  const invoiceRow = async (externalId: string) =>
    (
      await db()
        .select()
        .from(invoices)
        .where(and(eq(invoices.orgId, orgId), eq(invoices.externalId, externalId)))
    )[0];

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    ({ orgId } = await qbo.connectAndSync());
    const [connection] = await db()
      .select({ id: ledgerConnections.id })
      .from(ledgerConnections)
      .where(eq(ledgerConnections.orgId, orgId));
    connectionId = connection?.id ?? '';
  }, 180_000);
  afterAll(() => qbo?.stop());

  it('writes what the ledger has now to the mirror, and marks deleted what it no longer returns', async () => {
    const changes = qbo.emulator.changes(qbo.realmId);
    changes.receivePayment({ customerId: '1', amount: 10_000, invoiceIds: ['11'] });
    changes.deleteInvoice('12');
    const refreshed = await refreshInvoices(
      { db: db(), ledger: qbo.runtime.ledger },
      orgId,
      ['11', '12', '13'].map((externalId) => ({ connectionId, externalId })),
    );
    expect(refreshed).toEqual({ ledgerReads: 1, invoicesRead: 2, failed: [] });
    expect(await invoiceRow('11')).toMatchObject({ status: 'paid', balanceMinor: 0 });
    expect(await invoiceRow('12')).toMatchObject({ status: 'deleted', balanceMinor: 0 });
    expect(await invoiceRow('13')).toMatchObject({ status: 'open', balanceMinor: 10_000 });
  });

  it('reports a connection whose re-read fails and skips one that is gone, without throwing', async () => {
    const ledger = qbo.runtime.ledger;
    const quickbooks = ledger.connectors.quickbooks as LedgerConnector;
    const down: LedgerContext = {
      ...ledger,
      connectors: {
        ...ledger.connectors,
        quickbooks: {
          ...quickbooks,
          fetchInvoices: async () => {
            throw new Error('the ledger is down');
          },
        },
      },
    };
    const refreshed = await refreshInvoices({ db: db(), ledger: down }, orgId, [
      { connectionId: randomUUID(), externalId: '13' },
      { connectionId, externalId: '13' },
    ]);
    expect(refreshed.ledgerReads).toBe(1);
    expect(refreshed.invoicesRead).toBe(0);
    expect(refreshed.failed).toEqual([{ connectionId, error: new Error('the ledger is down') }]);
  });
});
