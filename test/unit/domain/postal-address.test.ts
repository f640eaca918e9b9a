import { describe, expect, it } from 'vitest';
import { envelopeLines, type PostalAddress, postalAddressOf } from '../../../src/domain/postal-address.js';

const address = (parts: Partial<PostalAddress>): PostalAddress => ({
  lines: [],
  city: null,
  region: null,
  postalCode: null,
  country: null,
  countryCode: null,
  ...parts,
});

describe('a postal address on an envelope', () => {
  it('writes town, state and ZIP on one line in the US, and leaves out the home country', () => {
    const home = address({
      lines: ['65 Ocean Dr.'],
      city: 'Half Moon Bay',
      region: 'CA',
      postalCode: '94213',
      country: 'USA',
      countryCode: 'US',
    });
    expect(envelopeLines(home, { homeCountry: 'US' })).toEqual(['65 Ocean Dr.', 'Half Moon Bay, CA 94213']);
  });

  it('puts the country, in capitals and in English, on the last line when it is not the sender’s', () => {
    const sydney = address({
      lines: ['Level 3', '1 George Street'],
      city: 'Sydney',
      region: 'NSW',
      postalCode: '2000',
      country: 'AU',
      countryCode: 'AU',
    });
    expect(envelopeLines(sydney, { homeCountry: 'GB' })).toEqual([
      'Level 3',
      '1 George Street',
      'Sydney NSW 2000',
      'AUSTRALIA',
    ]);
    // No sender's country known: a named country is always printed.
    expect(envelopeLines(sydney, { homeCountry: null }).at(-1)).toBe('AUSTRALIA');
    // A country the books name that is not recognised is printed as written.
    expect(
      envelopeLines(address({ lines: ['1 Main St'], country: 'Atlantis' }), { homeCountry: 'GB' }).at(-1),
    ).toBe('ATLANTIS');
  });

  it('writes a UK town and postcode on lines of their own, and a postcode before the town in Germany', () => {
    expect(
      envelopeLines(
        address({
          lines: ['1 Quay Street'],
          city: 'Bristol',
          postalCode: 'BS1 4DJ',
          country: 'United Kingdom',
          countryCode: 'GB',
        }),
        { homeCountry: 'GB' },
      ),
    ).toEqual(['1 Quay Street', 'Bristol', 'BS1 4DJ']);
    expect(
      envelopeLines(
        address({
          lines: ['Hauptstraße 5'],
          city: 'Berlin',
          postalCode: '10115',
          country: 'Germany',
          countryCode: 'DE',
        }),
        { homeCountry: 'GB' },
      ),
    ).toEqual(['Hauptstraße 5', '10115 Berlin', 'GERMANY']);
  });

  it('follows the sender’s country when the address names none, and leaves out a first line that repeats the name', () => {
    expect(
      envelopeLines(address({ lines: ['Cool Cars', '65 Ocean Dr.'], city: 'Half Moon Bay', region: 'CA' }), {
        homeCountry: 'US',
        name: ' cool  cars ',
      }),
    ).toEqual(['65 Ocean Dr.', 'Half Moon Bay, CA']);
  });

  it('has no lines without an address, and only what is there when parts are missing', () => {
    expect(envelopeLines(null, { homeCountry: 'GB' })).toEqual([]);
    expect(envelopeLines(address({ postalCode: '6011' }), { homeCountry: 'NZ' })).toEqual(['6011']);
  });
});

describe('reading an address', () => {
  it('keeps a country code only beside a country, and only when it is two capital letters', () => {
    expect(postalAddressOf({ lines: ['1 A St'], country: 'USA', countryCode: 'US' })?.countryCode).toBe('US');
    expect(
      postalAddressOf({ lines: ['1 A St'], country: 'USA', countryCode: 'usa' })?.countryCode,
    ).toBeNull();
    expect(postalAddressOf({ lines: ['1 A St'], countryCode: 'US' })?.countryCode).toBeNull();
  });

  it('keeps at most eight street lines', () => {
    const lines = Array.from({ length: 12 }, (_, index) => `Line ${index + 1}`);
    expect(postalAddressOf({ lines })?.lines).toEqual(lines.slice(0, 8));
  });
});
