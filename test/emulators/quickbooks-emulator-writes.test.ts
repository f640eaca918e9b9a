/** Writes through node-quickbooks: sparse updates, idempotency, notes, credit memos, payments, CDC, batch. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QuickBooksEmulator } from '../../emulators/quickbooks/index.js';
import {
  call,
  connectedQuickbooks,
  demoSeed,
  failure,
  type Json,
  restoreClientStatics,
  startEmulator,
  type TestClock,
} from './qbo-harness.js';

let emulator: QuickBooksEmulator;
let clock: TestClock;
let realmId: string;
let qbo: Json;

beforeAll(async () => {
  ({ emulator, clock } = await startEmulator());
});

beforeEach(async () => {
  realmId = emulator.addCompany(demoSeed);
  qbo = await connectedQuickbooks(emulator, realmId);
});

afterAll(async () => {
  await emulator.close();
  restoreClientStatics();
});

describe('invoice updates', () => {
  it('applies a sparse update and bumps SyncToken and LastUpdatedTime', async () => {
    const before = await call((cb) => qbo.getInvoice('10', cb));
    clock.advanceSeconds(5);
    const updated = await call((cb) =>
      qbo.updateInvoice(
        { Id: '10', SyncToken: before.SyncToken, DueDate: '2031-01-31', PrivateNote: 'Chased' },
        cb,
      ),
    );
    expect(updated).toMatchObject({ Id: '10', DueDate: '2031-01-31', PrivateNote: 'Chased', Balance: 125.5 });
    expect(Number(updated.SyncToken)).toBe(Number(before.SyncToken) + 1);
    expect(Date.parse(updated.MetaData.LastUpdatedTime)).toBeGreaterThan(
      Date.parse(before.MetaData.LastUpdatedTime),
    );
  });

  it('refuses a stale SyncToken with a 5010 Stale Object Error', async () => {
    const invoice = await call((cb) => qbo.getInvoice('10', cb));
    emulator.changes(realmId).updateInvoice('10', { privateNote: 'Edited in QuickBooks' });
    const { status, body } = await failure(
      call((cb) => qbo.updateInvoice({ Id: '10', SyncToken: invoice.SyncToken, PrivateNote: 'mine' }, cb)),
    );
    expect(status).toBe(400);
    expect(body.Fault.type).toBe('ValidationFault');
    expect(body.Fault.Error[0]).toMatchObject({ code: '5010', Message: 'Stale Object Error' });
    expect(emulator.company(realmId).invoice('10')?.['PrivateNote']).toBe('Edited in QuickBooks');
  });

  it('refuses a PrivateNote over 4000 characters', async () => {
    const { status, body } = await failure(
      call((cb) => qbo.updateInvoice({ Id: '10', SyncToken: '0', PrivateNote: 'x'.repeat(4001) }, cb)),
    );
    expect(status).toBe(400);
    expect(body.Fault.Error[0].element).toBe('PrivateNote');
  });

  it('applies a write repeated with the same requestid once and replays the first answer', async () => {
    const first = await call((cb) =>
      qbo.updateInvoice(
        { Id: '10', SyncToken: '0', PrivateNote: 'Reminder 1 sent', requestId: 'dunwell-r1' },
        cb,
      ),
    );
    // The same request again would be stale (SyncToken 0) — the replay answers as the first time instead.
    const again = await call((cb) =>
      qbo.updateInvoice(
        { Id: '10', SyncToken: '0', PrivateNote: 'Reminder 1 sent', requestId: 'dunwell-r1' },
        cb,
      ),
    );
    expect(again).toEqual(first);
    expect(emulator.company(realmId).invoice('10')?.SyncToken).toBe('1');

    const note = () => ({
      Note: 'Called, promised Friday',
      AttachableRef: [{ EntityRef: { type: 'Invoice', value: '10' } }],
      requestId: 'dunwell-note-1',
    });
    const a = await call((cb) => qbo.createAttachable(note(), cb));
    const b = await call((cb) => qbo.createAttachable(note(), cb));
    expect(b.Id).toBe(a.Id);
    expect(emulator.company(realmId).attachables).toHaveLength(1);

    const tooLong = await failure(
      call((cb) => qbo.createAttachable({ ...note(), requestId: 'r'.repeat(51) }, cb)),
    );
    expect(tooLong.status).toBe(400);
  });

  it('voids and deletes like QuickBooks', async () => {
    const voided = await call((cb) => qbo.voidInvoice({ Id: '11', SyncToken: '0' }, cb));
    expect(voided.Invoice).toMatchObject({ TotalAmt: 0, Balance: 0, PrivateNote: 'Voided' });
    const deleted = await call((cb) => qbo.deleteInvoice('12', cb));
    expect(deleted.Invoice).toMatchObject({ Id: '12', status: 'Deleted' });
    expect((await failure(call((cb) => qbo.getInvoice('12', cb)))).status).toBe(400);
  });

  it('creates an invoice (a late fee) for a customer', async () => {
    const created = await call((cb) =>
      qbo.createInvoice(
        {
          CustomerRef: { value: '1' },
          DueDate: '2031-02-01',
          Line: [{ Amount: 15.75, DetailType: 'SalesItemLineDetail', Description: 'Late fee' }],
        },
        cb,
      ),
    );
    expect(created).toMatchObject({
      TotalAmt: 15.75,
      Balance: 15.75,
      BillEmail: { Address: 'ap@alpha.example' },
    });
  });
});

describe('notes, credit memos and payments', () => {
  it('creates an Attachable note linked to an invoice and refuses one over 2000 characters', async () => {
    const note = await call((cb) =>
      qbo.createAttachable(
        { Note: 'Left voicemail', AttachableRef: [{ EntityRef: { type: 'Invoice', value: '10' } }] },
        cb,
      ),
    );
    expect(note).toMatchObject({
      Note: 'Left voicemail',
      AttachableRef: [{ EntityRef: { type: 'Invoice', value: '10' } }],
    });
    const long = await failure(
      call((cb) =>
        qbo.createAttachable(
          { Note: 'n'.repeat(2001), AttachableRef: [{ EntityRef: { type: 'Invoice', value: '10' } }] },
          cb,
        ),
      ),
    );
    expect(long.status).toBe(400);
    expect(long.body.Fault.Error[0].element).toBe('Note');
  });

  it('writes off part of an invoice: credit memo applied by a zero-amount payment', async () => {
    const memo = await call((cb) =>
      qbo.createCreditMemo(
        {
          CustomerRef: { value: '1' },
          Line: [{ Amount: 25.5, DetailType: 'SalesItemLineDetail', Description: 'Write-off' }],
        },
        cb,
      ),
    );
    expect(memo).toMatchObject({ TotalAmt: 25.5, RemainingCredit: 25.5 });
    const payment = await call((cb) =>
      qbo.createPayment(
        {
          CustomerRef: { value: '1' },
          TotalAmt: 0,
          Line: [
            { Amount: 25.5, LinkedTxn: [{ TxnId: '10', TxnType: 'Invoice' }] },
            { Amount: 25.5, LinkedTxn: [{ TxnId: memo.Id, TxnType: 'CreditMemo' }] },
          ],
        },
        cb,
      ),
    );
    expect(payment).toMatchObject({ TotalAmt: 0, UnappliedAmt: 0 });
    expect(await call((cb) => qbo.getInvoice('10', cb))).toMatchObject({ Balance: 100, TotalAmt: 125.5 });
    expect(await call((cb) => qbo.getCreditMemo(memo.Id, cb))).toMatchObject({ RemainingCredit: 0 });
  });

  it('refuses to over-apply and changes nothing', async () => {
    const memo = await call((cb) =>
      qbo.createCreditMemo(
        { CustomerRef: { value: '1' }, Line: [{ Amount: 500, DetailType: 'SalesItemLineDetail' }] },
        cb,
      ),
    );
    const overApplied = await failure(
      call((cb) =>
        qbo.createPayment(
          {
            CustomerRef: { value: '1' },
            TotalAmt: 0,
            Line: [
              { Amount: 200, LinkedTxn: [{ TxnId: '10', TxnType: 'Invoice' }] },
              { Amount: 200, LinkedTxn: [{ TxnId: memo.Id, TxnType: 'CreditMemo' }] },
            ],
          },
          cb,
        ),
      ),
    );
    expect(overApplied.status).toBe(400);
    expect(overApplied.body.Fault.Error[0].code).toBe('6000');
    expect(await call((cb) => qbo.getInvoice('10', cb))).toMatchObject({ Balance: 125.5, SyncToken: '0' });
    expect(emulator.company(realmId).payments).toHaveLength(2);
  });

  it('refuses a credit memo in another currency than the customer’s', async () => {
    const { status } = await failure(
      call((cb) =>
        qbo.createCreditMemo(
          {
            CustomerRef: { value: '3' },
            CurrencyRef: { value: 'USD' },
            Line: [{ Amount: 5, DetailType: 'SalesItemLineDetail' }],
          },
          cb,
        ),
      ),
    );
    expect(status).toBe(400);
  });
});

describe('change data capture', () => {
  it('reports changed, paid and deleted entities since a time', async () => {
    const since = new Date(clock.now() - 1000);
    const changes = emulator.changes(realmId);
    changes.deleteInvoice('12');
    const paymentId = changes.receivePayment({ customerId: '1', amount: 20000, invoiceIds: ['11', '10'] });
    const cdc = await call((cb) => qbo.changeDataCapture(['Invoice', 'Payment', 'Customer'], since, cb));
    const [invoices, payments, customers] = cdc.CDCResponse[0].QueryResponse;
    expect(invoices.Invoice).toContainEqual(expect.objectContaining({ Id: '12', status: 'Deleted' }));
    // Oldest first: invoice 10 (issued 50 days ago) is paid in full before 11 (issued 15 days ago).
    const paid = invoices.Invoice.filter((i: Json) => i.status !== 'Deleted');
    expect(paid.map((i: Json) => [i.Id, i.Balance])).toEqual(
      expect.arrayContaining([
        ['10', 0],
        ['11', 325.5],
      ]),
    );
    expect(payments.Payment).toEqual([expect.objectContaining({ Id: paymentId, TotalAmt: 200 })]);
    expect(customers).toEqual({});
  });

  it('accepts a changedSince whose + offset was not URL-encoded, and filters queries by LastUpdatedTime', async () => {
    clock.advanceSeconds(2);
    const since = new Date(clock.now() - 1000);
    emulator.changes(realmId).updateInvoice('11', { privateNote: 'touched' });
    // The same instant written in UTC+1; node-quickbooks puts it in the URL as is, so '+' arrives as a space.
    const plusOffset = `${new Date(since.getTime() + 3_600_000).toISOString().slice(0, 19)}+01:00`;
    const cdc = await call((cb) => qbo.changeDataCapture('Invoice', plusOffset, cb));
    expect(cdc.CDCResponse[0].QueryResponse[0].Invoice.map((i: Json) => i.Id)).toEqual(['11']);
    const recent = await call((cb) =>
      qbo.findInvoices(
        [{ field: 'MetaData.LastUpdatedTime', value: since.toISOString(), operator: '>=' }],
        cb,
      ),
    );
    expect(recent.QueryResponse.Invoice.map((i: Json) => i.Id)).toEqual(['11']);
  });

  it('refuses a look-back of more than 30 days', async () => {
    const since = new Date(clock.now() - 31 * 86_400_000);
    const { status, body } = await failure(call((cb) => qbo.changeDataCapture('Invoice', since, cb)));
    expect(status).toBe(400);
    expect(body.Fault.Error[0].Detail).toMatch(/older than fixed days/);
  });

  it('caps a response at 1000 objects, oldest first', async () => {
    const big = emulator.generateCompany({ customers: 5, openInvoices: 0, seed: 3 });
    const bigQbo = await connectedQuickbooks(emulator, big);
    const since = new Date(clock.now() - 1000);
    const changes = emulator.changes(big);
    for (let i = 0; i < 1100; i += 1)
      changes.createInvoice({ customerId: '1', amount: 100 + i, dueDate: '2031-01-01' });
    const cdc = await call((cb) => bigQbo.changeDataCapture('Invoice', since, cb));
    const block = cdc.CDCResponse[0].QueryResponse[0];
    expect(block.Invoice).toHaveLength(1000);
    expect(block.maxResults).toBe(1000);
    expect(block.Invoice[0].Id).toBe('1');
  });
});

describe('batch', () => {
  it('runs updates and queries in one request, each failing on its own', async () => {
    const result = await call((cb) =>
      qbo.batch(
        [
          {
            bId: 'a',
            operation: 'update',
            Invoice: { Id: '10', SyncToken: '0', sparse: true, PrivateNote: 'batched' },
          },
          {
            bId: 'b',
            operation: 'update',
            Invoice: { Id: '11', SyncToken: '9', sparse: true, PrivateNote: 'stale' },
          },
          { bId: 'c', Query: 'select count(*) from Customer' },
        ],
        cb,
      ),
    );
    const [a, b, c] = result.BatchItemResponse;
    expect(a).toMatchObject({ bId: 'a', Invoice: { PrivateNote: 'batched' } });
    expect(b).toMatchObject({ bId: 'b', Fault: { Error: [{ code: '5010' }] } });
    expect(c).toMatchObject({ bId: 'c', QueryResponse: { totalCount: 3 } });
  });
});

describe('changes made in QuickBooks', () => {
  it('voids with zero amounts and a Voided note, and payments lower balances oldest first', () => {
    const changes = emulator.changes(realmId);
    const id = changes.createInvoice({
      customerId: '1',
      lines: [{ amount: 1000 }, { amount: 234 }],
      dueDate: '2031-01-01',
    });
    expect(emulator.company(realmId).invoice(id)).toMatchObject({ TotalAmt: 12.34, Balance: 12.34 });
    changes.voidInvoice(id);
    expect(emulator.company(realmId).invoice(id)).toMatchObject({
      TotalAmt: 0,
      Balance: 0,
      PrivateNote: 'Voided',
    });
    const customerId = changes.createCustomer({ displayName: 'Delta Dairy', email: 'ap@delta.example' });
    const older = changes.createInvoice({
      customerId,
      amount: 5000,
      dueDate: '2030-01-01',
      txnDate: '2026-01-01',
    });
    const newer = changes.createInvoice({
      customerId,
      amount: 5000,
      dueDate: '2030-01-01',
      txnDate: '2026-02-01',
    });
    changes.receivePayment({ customerId, amount: 7000, invoiceIds: [newer, older] });
    expect(emulator.company(realmId).invoice(older)?.['Balance']).toBe(0);
    expect(emulator.company(realmId).invoice(newer)?.['Balance']).toBe(30);
  });
});
