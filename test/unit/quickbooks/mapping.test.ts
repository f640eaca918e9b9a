import { describe, expect, it } from 'vitest';
import {
  emailsIn,
  toLedgerCustomer,
  toLedgerInvoice,
  toLedgerPayment,
} from '../../../connectors/quickbooks/mapping.js';

describe('QuickBooks mapping', () => {
  const invoice = {
    Id: '130',
    SyncToken: '3',
    DocNumber: '1037',
    TxnDate: '2026-10-01',
    DueDate: '2026-10-31',
    TotalAmt: 362.07,
    Balance: 362.07,
    CurrencyRef: { value: 'USD' },
    CustomerRef: { value: '58' },
    BillEmail: { Address: 'ap@cool-cars.example' },
    MetaData: { LastUpdatedTime: '2026-11-01T10:00:00-07:00' },
  };

  it('turns decimal amounts into exact minor units and keeps the version', () => {
    expect(toLedgerInvoice(invoice, 'GBP')).toEqual({
      externalId: '130',
      customerExternalId: '58',
      number: '1037',
      currency: 'USD',
      totalMinor: 36207,
      balanceMinor: 36207,
      issueDate: '2026-10-01',
      dueDate: '2026-10-31',
      status: 'open',
      version: '3',
      paymentUrl: null,
      billEmail: 'ap@cool-cars.example',
      updatedAt: '2026-11-01T10:00:00-07:00',
    });
  });

  it('handles odd ledger data without losing anything', () => {
    expect(toLedgerInvoice({ ...invoice, Balance: 0 }, 'USD').status).toBe('paid');
    const overpaid = toLedgerInvoice({ ...invoice, Balance: -20.5 }, 'USD');
    expect(overpaid).toMatchObject({ status: 'paid', balanceMinor: -2050 });
    expect(
      toLedgerInvoice({ ...invoice, CurrencyRef: { value: 'JPY' }, Balance: 15000, TotalAmt: 15000 }, 'USD'),
    ).toMatchObject({
      currency: 'JPY',
      balanceMinor: 15000,
    });
    const { CurrencyRef: _omitted, ...noCurrency } = invoice;
    expect(toLedgerInvoice(noCurrency, 'GBP').currency).toBe('GBP');
    expect(
      toLedgerInvoice({ ...invoice, BillEmail: { Address: 'not an address' } }, 'USD').billEmail,
    ).toBeNull();
    const voided = toLedgerInvoice(
      { ...invoice, TotalAmt: 0, Balance: 0, PrivateNote: 'Voided - duplicate' },
      'USD',
    );
    expect(voided.status).toBe('voided');
    const { DueDate: _none, ...noDueDate } = invoice;
    expect(toLedgerInvoice(noDueDate, 'USD').dueDate).toBe('2026-10-01');
  });

  it('splits an email field holding several addresses and drops what is not an address', () => {
    expect(emailsIn('a@x.example, b@y.example;bad, c@z.example')).toEqual([
      'a@x.example',
      'b@y.example',
      'c@z.example',
    ]);
    expect(emailsIn(undefined)).toEqual([]);
    const customer = toLedgerCustomer({
      Id: '58',
      DisplayName: 'Cool Cars',
      GivenName: 'Grace',
      FamilyName: 'Pariente',
      PrimaryEmailAddr: { Address: 'grace@cool-cars.example, ap@cool-cars.example' },
      Active: false,
    });
    expect(customer).toMatchObject({ name: 'Cool Cars', active: false, currency: null });
    expect(customer.contacts.map((contact) => contact.email)).toEqual([
      'grace@cool-cars.example',
      'ap@cool-cars.example',
    ]);
    expect(toLedgerCustomer({ Id: '59' })).toMatchObject({ name: 'Customer 59', contacts: [] });
  });

  it('allocates the cash of a payment to its invoice lines; a credit memo line is not cash', () => {
    const payment = toLedgerPayment(
      {
        Id: '200',
        TxnDate: '2026-11-02',
        TotalAmt: 140,
        CustomerRef: { value: '58' },
        Line: [
          { Amount: 100, LinkedTxn: [{ TxnId: '130', TxnType: 'Invoice' }] },
          { Amount: 50, LinkedTxn: [{ TxnId: '131', TxnType: 'Invoice' }] },
          { Amount: 10, LinkedTxn: [{ TxnId: '9', TxnType: 'CreditMemo' }] },
        ],
      },
      'USD',
    );
    expect(payment).toEqual({
      externalId: '200',
      customerExternalId: '58',
      amount: { amountMinor: 14000, currency: 'USD' },
      paidOn: '2026-11-02',
      allocations: [
        { invoiceExternalId: '130', amountMinor: 10000 },
        { invoiceExternalId: '131', amountMinor: 4000 },
      ],
    });
  });
});
