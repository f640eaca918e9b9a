import { describe, expect, it } from 'vitest';
import type { Address, Contact } from 'xero-node';
import { contactPostalAddress, toLedgerCustomer } from '../../../connectors/xero/mapping.js';

const contact = (addresses: Array<Partial<Record<keyof Address, unknown>>>) =>
  ({ contactID: 'c1', name: 'Cool Cars', addresses }) as unknown as Contact;

describe('Xero postal address', () => {
  it('takes the POBOX address, with its four lines, town, region, postal code and country', () => {
    const customer = toLedgerCustomer(
      contact([
        { addressType: 'STREET', addressLine1: '1 Shop Street', city: 'Napier' },
        {
          addressType: 'POBOX',
          addressLine1: 'Attn: Accounts',
          addressLine2: 'PO Box 4581',
          addressLine3: 'Hillcrest',
          addressLine4: 'Level 2',
          city: 'Hamilton',
          region: 'Waikato',
          postalCode: '3216',
          country: 'New Zealand',
        },
      ]),
    );
    expect(customer.postalAddress).toEqual({
      lines: ['Attn: Accounts', 'PO Box 4581', 'Hillcrest', 'Level 2'],
      city: 'Hamilton',
      region: 'Waikato',
      postalCode: '3216',
      country: 'New Zealand',
      countryCode: 'NZ',
    });
  });

  it('falls back to the STREET address when the POBOX one is empty, as Xero lists both always', () => {
    expect(
      contactPostalAddress(
        contact([
          { addressType: 'STREET', addressLine1: '65 Tory Street', city: 'Wellington', country: 'NZ' },
          { addressType: 'POBOX', addressLine1: '', addressLine2: ' ', city: '', region: '', postalCode: '' },
        ]),
      ),
    ).toEqual({
      lines: ['65 Tory Street'],
      city: 'Wellington',
      region: null,
      postalCode: null,
      country: 'NZ',
      countryCode: 'NZ',
    });
  });

  it('is null with no addresses, only empty ones, or one holding only a country', () => {
    expect(toLedgerCustomer({ contactID: 'x', name: 'X' } as Contact).postalAddress).toBeNull();
    expect(contactPostalAddress(contact([]))).toBeNull();
    expect(
      contactPostalAddress(
        contact([
          { addressType: 'STREET', city: '', region: '', postalCode: '', country: '' },
          { addressType: 'POBOX', addressLine1: '', addressLine2: '', addressLine3: '', addressLine4: '' },
        ]),
      ),
    ).toBeNull();
    expect(contactPostalAddress(contact([{ addressType: 'POBOX', country: 'New Zealand' }]))).toBeNull();
  });

  it('reads odd data without failing: an unknown type, nulls, non-text parts, control characters', () => {
    expect(
      contactPostalAddress(
        contact([
          { addressType: 'DELIVERY', addressLine1: 'Not a postal address' },
          {
            addressType: 'POBOX',
            addressLine1: null,
            addressLine2: 7,
            city: 'Nel\u0000son\u0007',
            country: 12,
          },
        ]),
      ),
    ).toEqual({
      lines: [],
      city: 'Nelson',
      region: null,
      postalCode: null,
      country: null,
      countryCode: null,
    });
    expect(
      contactPostalAddress({ contactID: 'y', name: 'Y', addresses: [null] } as unknown as Contact),
    ).toBeNull();
  });

  it('cuts very long lines to Xero’s own limit (500) and drops a line of punctuation', () => {
    const address = contactPostalAddress(
      contact([
        { addressType: 'POBOX', addressLine1: 'x'.repeat(5000), addressLine2: ' ,.; ', postalCode: '6011' },
      ]),
    );
    expect(address?.lines).toEqual(['x'.repeat(500)]);
    expect(address?.postalCode).toBe('6011');
  });
});
