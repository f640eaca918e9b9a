import { describe, expect, it } from 'vitest';
import type { Contact, CreditNote, Overpayment, Prepayment } from 'xero-node';
import {
  contactCountry,
  isCustomerCredit,
  toLedgerCredit,
  toLedgerCustomer,
} from '../../../connectors/xero/mapping.js';

const contact = { contactID: '11111111-1111-4111-8111-111111111111' };
const updated = new Date('2026-03-02T10:00:00Z');

describe('Xero credits', () => {
  it('reads an authorised sales credit note as what remains of it', () => {
    const note = {
      type: 'ACCRECCREDIT',
      creditNoteID: 'c1',
      creditNoteNumber: 'CN-0007',
      contact,
      date: '2026-03-01',
      status: 'AUTHORISED',
      remainingCredit: 80.25,
      currencyCode: 'AUD',
      updatedDateUTC: updated,
    } as unknown as CreditNote;
    expect(isCustomerCredit('credit_note', note)).toBe(true);
    expect(toLedgerCredit('credit_note', note, 'NZD')).toEqual({
      externalId: 'c1',
      customerExternalId: contact.contactID,
      kind: 'credit_note',
      number: 'CN-0007',
      currency: 'AUD',
      remainingMinor: 8_025,
      issueDate: '2026-03-01',
      updatedAt: updated.toISOString(),
    });
  });

  it('reads used-up, voided and deleted credits as zero, and supplier credits as not a customer’s', () => {
    for (const status of ['PAID', 'VOIDED', 'DELETED']) {
      const note = { type: 'ACCRECCREDIT', creditNoteID: 'c2', contact, status, remainingCredit: 5 };
      expect(toLedgerCredit('credit_note', note as unknown as CreditNote, 'NZD').remainingMinor).toBe(0);
    }
    expect(isCustomerCredit('credit_note', { type: 'ACCPAYCREDIT' } as unknown as CreditNote)).toBe(false);
    expect(isCustomerCredit('overpayment', { type: 'SPEND-OVERPAYMENT' } as unknown as Overpayment)).toBe(
      false,
    );
  });

  it('reads received overpayments and prepayments with their remaining credit', () => {
    const overpayment = {
      type: 'RECEIVE-OVERPAYMENT',
      overpaymentID: 'o1',
      contact,
      status: 'AUTHORISED',
      remainingCredit: 90,
      reference: 'Paid twice',
      date: new Date('2026-02-01T00:00:00Z'),
    } as unknown as Overpayment;
    expect(isCustomerCredit('overpayment', overpayment)).toBe(true);
    expect(toLedgerCredit('overpayment', overpayment, 'NZD')).toMatchObject({
      externalId: 'o1',
      kind: 'overpayment',
      number: 'Paid twice',
      currency: 'NZD',
      remainingMinor: 9_000,
      issueDate: '2026-02-01',
    });
    const prepayment = {
      type: 'RECEIVE-PREPAYMENT',
      prepaymentID: 'p1',
      contact,
      status: 'AUTHORISED',
      remainingCredit: 50,
      invoiceNumber: 'PP-1',
    } as unknown as Prepayment;
    expect(toLedgerCredit('prepayment', prepayment, 'NZD')).toMatchObject({
      externalId: 'p1',
      kind: 'prepayment',
      number: 'PP-1',
      remainingMinor: 5_000,
    });
  });
});

describe('the contact country', () => {
  const withAddresses = (addresses: Array<{ addressType: string; country?: string }>) =>
    ({ contactID: 'x', name: 'X', addresses }) as unknown as Contact;

  it('takes the postal (POBOX) address first, then the street address', () => {
    expect(
      contactCountry(
        withAddresses([
          { addressType: 'STREET', country: 'Australia' },
          { addressType: 'POBOX', country: 'New Zealand' },
        ]),
      ),
    ).toBe('NZ');
    expect(
      contactCountry(withAddresses([{ addressType: 'STREET', country: 'AU' }, { addressType: 'POBOX' }])),
    ).toBe('AU');
    expect(
      contactCountry(
        withAddresses([
          { addressType: 'POBOX', country: 'Atlantis' },
          { addressType: 'STREET', country: 'United Kingdom' },
        ]),
      ),
    ).toBe('GB');
  });

  it('is null without a recognisable country, and the customer carries it', () => {
    expect(contactCountry(withAddresses([{ addressType: 'STREET' }, { addressType: 'POBOX' }]))).toBeNull();
    expect(toLedgerCustomer(withAddresses([{ addressType: 'POBOX', country: 'USA' }])).country).toBe('US');
    expect(toLedgerCustomer({ contactID: 'y', name: 'Y' } as Contact).country).toBeNull();
  });
});
