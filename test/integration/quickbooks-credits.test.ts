import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { customers, ledgerConnections, ledgerCredits } from '../../src/db/schema/index.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { waitFor } from '../helpers/wait.js';

const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const seed: CompanySeed = {
  name: 'Credit Check Co',
  homeCurrency: 'USD',
  country: 'US',
  user: { email: 'owner@creditcheck.example', givenName: 'Cy', familyName: 'Check' },
  customers: [
    { id: '1', displayName: 'Cool Cars', email: 'ap@coolcars.example', billAddr: { country: 'USA' } },
    {
      id: '2',
      displayName: 'Sydney Surf',
      email: 'ap@surf.example',
      billAddr: { city: 'Sydney', country: 'Australia' },
    },
    { id: '3', displayName: 'No Address Ltd', email: 'ap@noaddress.example' },
    { id: '4', displayName: 'Far Away', email: 'ap@far.example', billAddr: { country: 'Narnia' } },
  ],
  invoices: [
    { id: '10', customerId: '1', total: 50_000, status: 'overdue', dueDate: daysFromToday(-40) },
    { id: '11', customerId: '2', total: 8_000, status: 'overdue', dueDate: daysFromToday(-10) },
    // Paid 4,000 by payment 21, which brought 7,000: 3,000 of it is unapplied.
    { id: '12', customerId: '1', total: 10_000, balance: 6_000, dueDate: daysFromToday(-5) },
  ],
  creditMemos: [
    { id: '5', customerId: '1', total: 10_000 },
    { id: '6', customerId: '2', total: 3_000, remaining: 1_000 },
    { id: '7', customerId: '1', total: 2_000, remaining: 0 },
  ],
  payments: [
    { id: '20', customerId: '2', amount: 5_000 },
    { id: '21', customerId: '1', amount: 7_000, applications: [{ invoiceId: '12', amount: 4_000 }] },
  ],
};

describe('QuickBooks credits and countries in the mirror', () => {
  let qbo: QuickBooksHarness;
  let connectionId: string;
  const db = () => qbo.runtime.database.db;
  const credits = async () =>
    (await db().select().from(ledgerCredits).where(eq(ledgerCredits.connectionId, connectionId)))
      .map((row) => [row.kind, row.externalId, row.remainingMinor])
      .sort((a, b) => String(a).localeCompare(String(b)));
  const credit = async (kind: 'credit_note' | 'unapplied_payment', externalId: string) =>
    (
      await db()
        .select()
        .from(ledgerCredits)
        .where(
          and(
            eq(ledgerCredits.connectionId, connectionId),
            eq(ledgerCredits.kind, kind),
            eq(ledgerCredits.externalId, externalId),
          ),
        )
    )[0];

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    const connected = await qbo.connect();
    connectionId = connected.connectionId;
    await qbo.waitForSync(
      connectionId,
      (row: typeof ledgerConnections.$inferSelect) =>
        row.syncProgress?.phase === 'done' && row.fullSyncedAt !== null,
    );
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('mirrors credit memos with credit left and the unapplied part of payments in a full sync', async () => {
    expect(await credits()).toEqual([
      ['credit_note', '5', 10_000],
      ['credit_note', '6', 1_000],
      ['unapplied_payment', '20', 5_000],
      ['unapplied_payment', '21', 3_000],
    ]);
    const memo = await credit('credit_note', '5');
    const [owner] = await db()
      .select()
      .from(customers)
      .where(eq(customers.id, memo?.customerId ?? ''));
    expect(owner?.externalId).toBe('1');
    expect(memo).toMatchObject({
      currency: 'USD',
      issueDate: expect.any(String),
      number: expect.any(String),
    });
  });

  it('maps the billing address country to ISO alpha-2, and an unknown one to null', async () => {
    const rows = await db().select().from(customers).where(eq(customers.connectionId, connectionId));
    expect(rows.map((row) => [row.externalId, row.country]).sort()).toEqual([
      ['1', 'US'],
      ['2', 'AU'],
      ['3', null],
      ['4', null],
    ]);
  });

  it('follows a new credit memo, an overpayment and a credit memo used up through webhooks and CDC', async () => {
    const changes = qbo.emulator.changes(qbo.realmId);
    const fresh = changes.createCreditMemo({ customerId: '3', amount: 4_000 });
    changes.applyCreditMemo({ creditMemoId: '5', invoiceId: '10', amount: 10_000 });
    const overpaid = changes.receivePayment({ customerId: '2', amount: 9_000, invoiceIds: ['11'] });

    const statuses = await qbo.emulator.deliverWebhooks();
    expect(statuses.every((status) => status === 200)).toBe(true);
    await waitFor(async () => (await credit('credit_note', fresh))?.remainingMinor === 4_000, {
      what: 'the new credit memo',
    });
    await waitFor(async () => (await credit('credit_note', '5'))?.remainingMinor === 0, {
      what: 'the credit memo used up',
    });
    await waitFor(async () => (await credit('unapplied_payment', overpaid))?.remainingMinor === 1_000, {
      what: 'the overpayment',
    });
    // The zero-amount payment that applied the memo left nothing unapplied: no row for it.
    const rows = await credits();
    expect(rows.filter(([kind]) => kind === 'unapplied_payment').map(([, id]) => id)).toEqual(
      ['20', '21', overpaid].sort(),
    );
  });

  it('brings credits used up while unwatched to zero in the next full sync', async () => {
    // Applied with no webhook delivered: only a full read of what is still open can notice.
    const changes = qbo.emulator.changes(qbo.realmId);
    const invoiceId = changes.createInvoice({ customerId: '2', amount: 2_000, dueDate: daysFromToday(10) });
    changes.applyCreditMemo({ creditMemoId: '6', invoiceId, amount: 1_000 });
    const [before] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connectionId));
    await qbo.runtime.jobs.send('ledger.sync', { connectionId, mode: 'full' });
    await qbo.waitForSync(
      connectionId,
      (row) => (row.fullSyncedAt?.getTime() ?? 0) > (before?.fullSyncedAt?.getTime() ?? 0),
    );
    expect(await credit('credit_note', '6')).toMatchObject({ remainingMinor: 0 });
    expect(await credit('unapplied_payment', '20')).toMatchObject({ remainingMinor: 5_000 });
  });
});
