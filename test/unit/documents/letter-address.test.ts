import { describe, expect, it } from 'vitest';
import { letterPdf } from '../../../src/documents/letter-pdf.js';
import { envelopeLines, postalAddressOf } from '../../../src/domain/postal-address.js';
import { buildLetter, type Letter } from '../../../src/statements/letter.js';
import { buildStatement } from '../../../src/statements/statement.js';
import { pdfPages, pdfText } from '../../helpers/pdf-text.js';
import { asOf, debtor, invoice, issuer } from '../statements/fixtures.js';

/** A demand to Acme Builders whose window shows `address`. */
function demandTo(address: string[]): Letter {
  const statement = buildStatement({
    issuer,
    debtor: { ...debtor, address },
    homeCurrency: 'GBP',
    asOf,
    invoices: [invoice(43, 120_000, { number: 'HJ-1042' })],
    credits: [],
    payments: [],
  });
  const letter = buildLetter(statement, { rule: { kind: 'none' }, debtorsAreBusinesses: true }, 'demand');
  if (!letter) throw new Error('expected a letter');
  return letter;
}

const lines = (parts: Parameters<typeof postalAddressOf>[0], homeCountry: string | null = 'GB') =>
  envelopeLines(postalAddressOf(parts), { homeCountry, name: debtor.name });

describe('the debtor’s address on a letter', () => {
  it('prints the address under the name, line by line, before the date, and no placeholder', async () => {
    const address = lines({
      lines: ['Unit 4, Harbour Estate', '12 Dock Road'],
      city: 'Bristol',
      postalCode: 'BS1 4DJ',
      country: 'United Kingdom',
      countryCode: 'GB',
    });
    const [first = ''] = await pdfPages(await letterPdf(demandTo(address)));
    const window = first.slice(first.indexOf('Acme Builders'), first.indexOf('Date:'));
    expect(
      window
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    ).toEqual(['Acme Builders', 'Unit 4, Harbour Estate', '12 Dock Road', 'Bristol', 'BS1 4DJ']);
    expect(first).not.toContain('no postal address on record');
    // The sender's own country is not printed.
    expect(first).not.toContain('UNITED KINGDOM');
  });

  it('ends with the country in capitals when the debtor is abroad', async () => {
    const address = lines({
      lines: ['Level 3', '1 George Street'],
      city: 'Sydney',
      region: 'NSW',
      postalCode: '2000',
      country: 'Australia',
      countryCode: 'AU',
    });
    const text = await pdfText(await letterPdf(demandTo(address)));
    expect(text).toContain('Acme Builders Level 3 1 George Street Sydney NSW 2000 AUSTRALIA Date:');
  });

  it('keeps the placeholder when the books hold no address, or only blanks', async () => {
    const address = lines({ lines: ['  ', ''], city: ' ', country: 'United Kingdom', countryCode: 'GB' });
    expect(address).toEqual([]);
    const text = await pdfText(await letterPdf(demandTo(address)));
    expect(text).toContain('(no postal address on record: write it here before posting)');
  });

  it('still renders the whole letter with very long lines and unusual characters in the address', async () => {
    const address = lines({
      lines: ['x'.repeat(500), `${'Harbour '.repeat(60)}Road`, 'Ünit 4 – Żółć 😀'],
      city: 'Bristol',
      postalCode: 'BS1 4DJ',
    });
    const bytes = await letterPdf(demandTo(address));
    const text = await pdfText(bytes);
    for (const expected of [
      'Acme Builders',
      'Bristol',
      'BS1 4DJ',
      'Formal demand for payment',
      'HJ-1042',
      'Yours faithfully,',
    ])
      expect(text, expected).toContain(expected);
    expect(text.replace(/\s+/g, '')).toContain('x'.repeat(500));
  });
});
