import { describe, expect, it } from 'vitest';
import { postalAddressOfWire, toLedgerCustomer } from '../../../connectors/quickbooks/mapping.js';
import type { WireAddress } from '../../../connectors/quickbooks/wire.js';

const customer = (BillAddr?: WireAddress) =>
  toLedgerCustomer({ Id: '7', DisplayName: 'Cool Cars', BillAddr });

describe('QuickBooks billing address', () => {
  it('reads BillAddr into the mirror shape: five lines, town, state, postal code, country and its code', () => {
    expect(
      customer({
        Line1: 'Cool Cars Ltd',
        Line2: 'Accounts Payable',
        Line3: 'Unit 4',
        Line4: 'Harbour Estate',
        Line5: '65 Ocean Dr.',
        City: 'Half Moon Bay',
        CountrySubDivisionCode: 'CA',
        PostalCode: '94213',
        Country: 'USA',
      }).postalAddress,
    ).toEqual({
      lines: ['Cool Cars Ltd', 'Accounts Payable', 'Unit 4', 'Harbour Estate', '65 Ocean Dr.'],
      city: 'Half Moon Bay',
      region: 'CA',
      postalCode: '94213',
      country: 'USA',
      countryCode: 'US',
    });
  });

  it('is null when there is no BillAddr, or only an Id, blanks, a lone country or coordinates', () => {
    expect(customer().postalAddress).toBeNull();
    expect(customer({ Id: '103' } as WireAddress).postalAddress).toBeNull();
    expect(customer({ Line1: '   ', Line2: '', City: '\t', PostalCode: ' , ' }).postalAddress).toBeNull();
    expect(customer({ Country: 'USA' }).postalAddress).toBeNull();
    expect(customer({ Lat: '37.43', Long: '-122.43' } as WireAddress).postalAddress).toBeNull();
    expect(postalAddressOfWire(null)).toBeNull();
  });

  it('keeps what there is: missing parts are null, blank lines dropped, white space tidied', () => {
    expect(
      customer({ Line1: '', Line2: '  12   Ocean\tDr. ', Line3: ' ', Line4: '-', PostalCode: ' 94213 ' })
        .postalAddress,
    ).toEqual({
      lines: ['12 Ocean Dr.'],
      city: null,
      region: null,
      postalCode: '94213',
      country: null,
      countryCode: null,
    });
  });

  it('splits a line typed over several lines, and keeps a country it does not recognise as written', () => {
    expect(
      customer({ Line1: 'Unit 4\r\nHarbour Estate\n\n', City: 'Avalon', Country: 'Atlantis' }).postalAddress,
    ).toEqual({
      lines: ['Unit 4', 'Harbour Estate'],
      city: 'Avalon',
      region: null,
      postalCode: null,
      country: 'Atlantis',
      countryCode: null,
    });
  });

  it('cuts a very long line without splitting a character, and ignores parts that are not text', () => {
    const long = `${'Ü'.repeat(10)}${'😀'.repeat(600)}`;
    const address = customer({
      Line1: long,
      City: 42 as unknown as string,
      Country: { name: 'US' } as unknown as string,
    }).postalAddress;
    const [line] = address?.lines ?? [];
    expect(Array.from(line ?? '')).toHaveLength(500);
    expect(line?.endsWith('😀')).toBe(true);
    expect(address).toMatchObject({ city: null, country: null, countryCode: null });
  });
});
