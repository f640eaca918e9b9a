import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LedgerError } from '../../../connectors/errors.js';
import type { ConnectionHandle } from '../../../connectors/ledger.js';
import { classifyQuickBooksFailure } from '../../../connectors/quickbooks/api.js';
import { cashOf, toLedgerInvoice, toLedgerPayment } from '../../../connectors/quickbooks/mapping.js';
import { quickBooksReads } from '../../../connectors/quickbooks/reads.js';
import { api, client } from './stubbed-api.js';

const reads = quickBooksReads(client);
const connection: ConnectionHandle = {
  tenantId: '123',
  homeCurrency: 'USD',
  call: (_kind, request) => request('token'),
};
const stamp = '2026-12-01T10:00:00-08:00';

const invoiceRow = (id: number) => ({
  Id: String(id),
  CustomerRef: { value: '1' },
  TotalAmt: 10,
  Balance: 10,
  DueDate: '2026-11-01',
  MetaData: { LastUpdatedTime: stamp },
});
const paymentRow = (id: number) => ({
  Id: String(id),
  CustomerRef: { value: '1' },
  TotalAmt: 5,
  TxnDate: '2026-12-01',
  Line: [{ Amount: 5, LinkedTxn: [{ TxnId: '1', TxnType: 'Invoice' }] }],
  MetaData: { LastUpdatedTime: stamp },
});

function cdcReplies(blocks: unknown[]) {
  nock(api)
    .get('/v3/company/123/cdc')
    .query(true)
    .reply(200, { CDCResponse: [{ QueryResponse: blocks }], time: '2026-12-01T10:05:00-08:00' });
}

describe('QuickBooks change data capture', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  const since = new Date(Date.parse('2026-12-01T00:00:00Z')).toISOString();
  const now = Date.parse('2026-12-01T20:00:00Z');

  it('takes a response cut at 1,000 objects across entities as incomplete: a full sync follows', async () => {
    // 700 changed invoices and 700 payments: Intuit answers 1,000 objects in all, 500 + 500.
    cdcReplies([
      {
        Invoice: Array.from({ length: 500 }, (_, i) => invoiceRow(i + 1)),
        startPosition: 1,
        maxResults: 500,
      },
      {},
      {
        Payment: Array.from({ length: 500 }, (_, i) => paymentRow(i + 1)),
        startPosition: 1,
        maxResults: 500,
      },
      {},
    ]);
    await expect(reads.changesSince(connection, since, now)).resolves.toBeNull();
  });

  it('applies a response below the cap and keeps a minute of overlap on the cursor', async () => {
    cdcReplies([
      { Invoice: Array.from({ length: 499 }, (_, i) => invoiceRow(i + 1)) },
      {},
      { Payment: Array.from({ length: 500 }, (_, i) => paymentRow(i + 1)) },
      {},
    ]);
    const changes = await reads.changesSince(connection, since, now);
    expect(changes?.invoices).toHaveLength(499);
    expect(changes?.payments).toHaveLength(500);
    expect(changes?.cursor).toBe('2026-12-01T18:04:00.000Z');
  });

  it('does not read applying a credit memo as a payment, and drops one mirrored before', async () => {
    cdcReplies([
      {},
      {},
      {
        Payment: [
          {
            Id: '900',
            CustomerRef: { value: '1' },
            TotalAmt: 0,
            TxnDate: '2026-12-01',
            Line: [
              { Amount: 40, LinkedTxn: [{ TxnId: '7', TxnType: 'Invoice' }] },
              { Amount: 40, LinkedTxn: [{ TxnId: '3', TxnType: 'CreditMemo' }] },
            ],
          },
          paymentRow(901),
        ],
      },
      {},
    ]);
    const changes = await reads.changesSince(connection, since, now);
    expect(changes?.payments.map((payment) => payment.externalId)).toEqual(['901']);
    expect(changes?.deleted.payments).toEqual(['900']);
  });
});

describe('QuickBooks payments as cash', () => {
  it('allocates only the cash of a payment that also applies a credit memo', () => {
    // 10 in cash: a 20 invoice line paid by 10 of cash and 10 of credit.
    const payment = toLedgerPayment(
      {
        Id: '50',
        TotalAmt: 10,
        CustomerRef: { value: '4' },
        TxnDate: '2026-12-02',
        Line: [
          { Amount: 20, LinkedTxn: [{ TxnId: '70', TxnType: 'Invoice' }] },
          { Amount: 10, LinkedTxn: [{ TxnId: '71', TxnType: 'CreditMemo' }] },
        ],
      },
      'USD',
    );
    expect(payment.amount).toEqual({ amountMinor: 1_000, currency: 'USD' });
    expect(payment.allocations).toEqual([{ invoiceExternalId: '70', amountMinor: 1_000 }]);
  });

  it('keeps cash left unapplied out of the allocations, and spreads the rest over invoices in order', () => {
    const payment = toLedgerPayment(
      {
        Id: '51',
        TotalAmt: 130,
        UnappliedAmt: 20,
        CurrencyRef: { value: 'EUR' },
        Line: [
          { Amount: 60, LinkedTxn: [{ TxnId: '80', TxnType: 'Invoice' }] },
          { Amount: 70, LinkedTxn: [{ TxnId: '81', TxnType: 'Invoice' }] },
          { Amount: 20, LinkedTxn: [{ TxnId: '82', TxnType: 'CreditMemo' }] },
        ],
      },
      'USD',
    );
    expect(payment.amount).toEqual({ amountMinor: 13_000, currency: 'EUR' });
    expect(payment.allocations).toEqual([
      { invoiceExternalId: '80', amountMinor: 6_000 },
      { invoiceExternalId: '81', amountMinor: 5_000 },
    ]);
  });

  it('counts a zero-amount linking payment (a write-off or settlement) as no cash at all', async () => {
    const writeOff = {
      Id: '52',
      TotalAmt: 0,
      Line: [
        { Amount: 25, LinkedTxn: [{ TxnId: '90', TxnType: 'Invoice' }] },
        { Amount: 25, LinkedTxn: [{ TxnId: '91', TxnType: 'CreditMemo' }] },
      ],
    };
    expect(cashOf(writeOff, 'USD')).toBe(0);
    expect(toLedgerPayment(writeOff, 'USD').allocations).toEqual([]);

    nock.disableNetConnect();
    nock(api)
      .get('/v3/company/123/query')
      .query(true)
      .reply(200, {
        QueryResponse: { Payment: [writeOff, paymentRow(53)], startPosition: 1, maxResults: 2 },
      });
    const page = await reads.listPayments(connection, '2026-11-01', null);
    expect(page.items.map((payment) => payment.externalId)).toEqual(['53']);
    nock.cleanAll();
  });
});

describe('QuickBooks answers that are not its JSON', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());

  // As the connection layer does: what the call throws is classified.
  const classifying: ConnectionHandle = {
    ...connection,
    async call(_kind, request) {
      try {
        return await request('token');
      } catch (error) {
        throw error instanceof LedgerError
          ? error
          : new LedgerError('quickbooks', classifyQuickBooksFailure(error).code, 'classified');
      }
    },
  };

  it('refuses a 200 without a QueryResponse or CDCResponse rather than read it as nothing', async () => {
    nock(api).get('/v3/company/123/query').query(true).reply(200, { time: '2026-12-01T10:00:00Z' });
    await expect(reads.listOpenInvoices(classifying, null)).rejects.toMatchObject({ code: 'unexpected' });
    nock(api).get('/v3/company/123/cdc').query(true).reply(200, { time: '2026-12-01T10:00:00Z' });
    await expect(
      reads.changesSince(classifying, '2026-12-01T00:00:00.000Z', Date.parse('2026-12-01T20:00:00Z')),
    ).rejects.toMatchObject({ code: 'unexpected' });
  });
});

describe('QuickBooks amounts Dunwell cannot read (found by the fuzz run)', () => {
  it('fail the read with an error naming the record, and never turn an enormous amount into a small one', () => {
    const invoice = { Id: '77', CustomerRef: { value: '1' }, DueDate: '2026-11-01' };
    const thrown = (() => {
      try {
        toLedgerInvoiceOf({ ...invoice, TotalAmt: '', Balance: 5 });
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(thrown).toBeInstanceOf(LedgerError);
    expect((thrown as LedgerError).detail).toMatch(/invoice 77 with an amount/);
    expect(() => toLedgerInvoiceOf({ ...invoice, TotalAmt: 1e300, Balance: 1e300 })).toThrow(LedgerError);
    expect(toLedgerInvoiceOf({ ...invoice, TotalAmt: '12.50', Balance: 12.5 })).toMatchObject({
      totalMinor: 1_250,
      balanceMinor: 1_250,
    });
  });
});

function toLedgerInvoiceOf(wire: Record<string, unknown>) {
  return toLedgerInvoice(wire as unknown as Parameters<typeof toLedgerInvoice>[0], 'USD');
}
