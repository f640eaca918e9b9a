import { describe, expect, it } from 'vitest';
import {
  toLedgerCreditMemo,
  toLedgerCustomer,
  toLedgerUnappliedPayment,
} from '../../../connectors/quickbooks/mapping.js';
import { countryCode } from '../../../connectors/shared/country.js';

describe('QuickBooks credits', () => {
  it('reads a credit memo as credit: what remains of it, in minor units of its currency', () => {
    expect(
      toLedgerCreditMemo(
        {
          Id: '5',
          DocNumber: '1042',
          TxnDate: '2026-03-01',
          TotalAmt: 250,
          RemainingCredit: 120.5,
          Balance: 120.5,
          CurrencyRef: { value: 'EUR' },
          CustomerRef: { value: '9' },
          MetaData: { LastUpdatedTime: '2026-03-02T10:00:00-07:00' },
        },
        'USD',
      ),
    ).toEqual({
      externalId: '5',
      customerExternalId: '9',
      kind: 'credit_note',
      number: '1042',
      currency: 'EUR',
      remainingMinor: 12_050,
      issueDate: '2026-03-01',
      updatedAt: '2026-03-02T10:00:00-07:00',
    });
  });

  it('uses Balance when RemainingCredit is missing, and reads a used-up memo as zero', () => {
    expect(toLedgerCreditMemo({ Id: '6', Balance: 10, CustomerRef: { value: '1' } }, 'USD')).toMatchObject({
      remainingMinor: 1_000,
      currency: 'USD',
    });
    expect(
      toLedgerCreditMemo({ Id: '7', RemainingCredit: 0, Balance: 0, CustomerRef: { value: '1' } }, 'JPY'),
    ).toMatchObject({ remainingMinor: 0, currency: 'JPY' });
  });

  it('reads only the unapplied part of a partly applied payment as credit', () => {
    expect(
      toLedgerUnappliedPayment(
        {
          Id: '21',
          TxnDate: '2026-02-10',
          TotalAmt: 70,
          UnappliedAmt: 30,
          PaymentRefNum: 'CHK-88',
          CustomerRef: { value: '1' },
          Line: [{ Amount: 40, LinkedTxn: [{ TxnId: '12', TxnType: 'Invoice' }] }],
        },
        'USD',
      ),
    ).toEqual({
      externalId: '21',
      customerExternalId: '1',
      kind: 'unapplied_payment',
      number: 'CHK-88',
      currency: 'USD',
      remainingMinor: 3_000,
      issueDate: '2026-02-10',
      updatedAt: null,
    });
    expect(
      toLedgerUnappliedPayment({ Id: '22', TotalAmt: 40, CustomerRef: { value: '1' } }, 'USD'),
    ).toMatchObject({ remainingMinor: 0, number: null });
  });
});

describe('the debtor country', () => {
  it('maps BillAddr.Country to ISO 3166-1 alpha-2, null when absent or unknown', () => {
    const country = (Country: string | undefined) =>
      toLedgerCustomer({
        Id: '1',
        DisplayName: 'A',
        ...(Country !== undefined ? { BillAddr: { Country } } : {}),
      }).country;
    expect(country('USA')).toBe('US');
    expect(country('United States')).toBe('US');
    expect(country('Australia')).toBe('AU');
    expect(country('ca')).toBe('CA');
    expect(country(undefined)).toBeNull();
    expect(country('Narnia')).toBeNull();
  });

  it('reads alpha-2, alpha-3, English names and everyday aliases', () => {
    expect(countryCode('GB')).toBe('GB');
    expect(countryCode('UK')).toBe('GB');
    expect(countryCode('United Kingdom')).toBe('GB');
    expect(countryCode('England')).toBe('GB');
    expect(countryCode('NZL')).toBe('NZ');
    expect(countryCode('new zealand')).toBe('NZ');
    expect(countryCode('United States of America')).toBe('US');
    expect(countryCode('U.S.A.')).toBe('US');
    expect(countryCode('Côte d’Ivoire')).toBe('CI');
    expect(countryCode('Trinidad and Tobago')).toBe('TT');
    expect(countryCode('St. Lucia')).toBe('LC');
    expect(countryCode('Hong Kong')).toBe('HK');
  });

  it('refuses what is not one country', () => {
    expect(countryCode('EU')).toBeNull();
    expect(countryCode('ZZ')).toBeNull();
    expect(countryCode('XYZ')).toBeNull();
    expect(countryCode('Congo')).toBeNull();
    expect(countryCode('')).toBeNull();
    expect(countryCode(null)).toBeNull();
    expect(countryCode(' ')).toBeNull();
  });
});
