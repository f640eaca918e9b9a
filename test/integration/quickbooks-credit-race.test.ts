import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ConnectionHandle } from '../../connectors/ledger.js';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { openLedgerConnection } from '../../src/ledger/open-connection.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const seed: CompanySeed = {
  name: 'Race Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Pays In Full', email: 'ap@full.example' },
    { id: '2', displayName: 'Pays Some', email: 'ap@some.example' },
  ],
  invoices: [
    { id: '21', customerId: '1', total: 40_000, status: 'overdue', dueDate: '2026-10-01' },
    { id: '22', customerId: '2', total: 30_000, status: 'overdue', dueDate: '2026-10-01' },
  ],
};
const target = { kind: 'item' as const, ref: '1', description: 'Bad debts' };

/**
 * A settlement's credit is two writes in QuickBooks: a credit memo, then the zero-amount payment that
 * applies it. The debtor's own payment lands between the two (injected after the first write).
 */
describe('QuickBooks: a credit whose invoice is paid while it is being applied', () => {
  let qbo: QuickBooksHarness;
  let connectionId: string;

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    ({ connectionId } = await qbo.connect());
    await qbo.waitForSync(connectionId, (row) => row.syncProgress?.phase === 'done');
  }, 120_000);
  afterAll(() => qbo?.stop());

  /** The connector, with the debtor paying `amountMinor` of `invoiceId` right after the first write. */
  const racing = async (customerId: string, invoiceId: string, amountMinor: number) => {
    const opened = await openLedgerConnection(qbo.runtime.ledger, connectionId);
    if (!opened) throw new Error('connection missing');
    let writes = 0;
    const handle: ConnectionHandle = {
      ...opened.handle,
      call: async (kind, request) => {
        const result = await opened.handle.call(kind, request);
        if (kind === 'write' && ++writes === 1)
          qbo.emulator
            .changes(qbo.realmId)
            .receivePayment({ customerId, amount: amountMinor, invoiceIds: [invoiceId] });
        return result;
      },
    };
    return { connector: opened.connector, handle };
  };
  const memosOf = (customerId: string) =>
    qbo.emulator
      .company(qbo.realmId)
      .creditMemos.filter((memo) => (memo['CustomerRef'] as { value: string }).value === customerId);

  it('removes the credit memo when the debtor paid it all: no credit is left behind', async () => {
    const { connector, handle } = await racing('1', '21', 40_000);
    const result = await connector.applyCredit(handle, {
      invoiceId: '21',
      amount: { amountMinor: 10_000, currency: 'GBP' },
      target,
      memo: 'Settlement agreed: 300.00 accepted in full.',
      idempotencyKey: 'settle:21',
    });
    expect(result).toEqual({ skipped: 'the invoice was paid while the credit was being applied' });
    expect(memosOf('1')).toEqual([]);
    expect(Number(qbo.emulator.company(qbo.realmId).invoice('21')?.['Balance'])).toBe(0);
  });

  it('credits only what is left when the debtor paid some: one memo, applied whole', async () => {
    const { connector, handle } = await racing('2', '22', 25_000);
    const result = await connector.applyCredit(handle, {
      invoiceId: '22',
      amount: { amountMinor: 10_000, currency: 'GBP' },
      target,
      memo: 'Settlement agreed: 200.00 accepted in full.',
      idempotencyKey: 'settle:22',
    });
    expect(result).toMatchObject({ amountMinor: 5_000 });
    const memos = memosOf('2');
    expect(memos.map((memo) => [Number(memo['TotalAmt']), Number(memo['Balance'])])).toEqual([[50, 0]]);
    expect(Number(qbo.emulator.company(qbo.realmId).invoice('22')?.['Balance'])).toBe(0);
  });
});
