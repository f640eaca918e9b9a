import { describe, expect, it } from 'vitest';
import { letterFileName, letterPdf } from '../../../src/documents/letter-pdf.js';
import { pdfText as safeText } from '../../../src/documents/pdf.js';
import { statementFileName, statementPdf } from '../../../src/documents/statement-pdf.js';
import type { Policy } from '../../../src/domain/policy.js';
import { buildLetter, type Letter } from '../../../src/statements/letter.js';
import { buildStatement, type StatementInput } from '../../../src/statements/statement.js';
import { pdfInfo, pdfPages, pdfText } from '../../helpers/pdf-text.js';
import { asOf, debtor, invoice, issuer } from '../statements/fixtures.js';

const ukStatutory: Policy['lateFees'] = {
  rule: { kind: 'uk-late-payment', referenceRatePercent: 5.25 },
  debtorsAreBusinesses: true,
};

function sample(overrides: Partial<StatementInput> = {}) {
  return buildStatement({
    issuer: { ...issuer, address: ['1 Quay Street', 'Bristol BS1 4DJ'] },
    debtor,
    homeCurrency: 'GBP',
    asOf,
    invoices: [
      invoice(43, 120_000, { number: 'HJ-1042' }),
      invoice(-5, 14_550, { number: 'HJ-1057', totalMinor: 34_550 }),
      invoice(134, 50_000, { number: 'HJ-0901', currency: 'EUR' }),
      invoice(10, 99_999, { number: 'HJ-VOID', status: 'voided' }),
    ],
    credits: [
      {
        id: 'k1',
        kind: 'credit_note',
        number: 'CN-7',
        currency: 'GBP',
        remainingMinor: 5_000,
        issueDate: '2026-02-01',
      },
    ],
    payments: [
      { id: 'p1', currency: 'GBP', amountMinor: 20_000, paidOn: '2026-03-01', invoiceNumbers: ['HJ-1057'] },
    ],
    ...overrides,
  });
}

describe('the statement PDF', () => {
  it('reads back with the invoices, the aging, the credits, the payments and the totals', async () => {
    const text = await pdfText(await statementPdf(sample()));
    for (const expected of [
      'Harbour Joinery Ltd',
      '1 Quay Street',
      'Statement of account',
      'Date: 15 March 2026',
      'Acme Builders',
      'ap@acme.example',
      'HJ-1042',
      'HJ-1057',
      'HJ-0901',
      '£1,345.50', // GBP open: 1,200.00 + 145.50
      '-£50.00', // less the credit note
      '£1,295.50', // GBP balance
      '€500.00',
      'Over 90 days',
      'CN-7',
      'Credit note',
      'Payments received since 16 March 2025',
      '£200.00',
      'not yet due',
      'sort code 12-34-56',
    ])
      expect(text, expected).toContain(expected);
    expect(text).not.toContain('HJ-VOID');
    // The GBP aging row: not yet due, 1–30, 31–60, 61–90, over 90, total.
    expect(text).toContain('GBP £145.50 £0.00 £1,200.00 £0.00 £0.00 £1,345.50');
  });

  it('is the same bytes for the same statement, and dated by it', async () => {
    const first = await statementPdf(sample());
    const again = await statementPdf(sample());
    expect(again.equals(first)).toBe(true);
    expect(first.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await pdfInfo(first)).toMatchObject({
      CreationDate: 'D:20260315000000Z',
      Title: 'Statement of account: Acme Builders',
      Author: 'Harbour Joinery Ltd',
    });
    const later = await statementPdf(sample({ asOf: '2026-03-16' }));
    expect(later.equals(first)).toBe(false);
  });

  it('says so when nothing is owed or the account is in credit, and prints no email line when there is none', async () => {
    const empty = await pdfText(
      await statementPdf(
        sample({
          invoices: [],
          payments: [],
          debtor: { ...debtor, email: null },
          credits: [
            {
              id: 'k1',
              kind: 'overpayment',
              number: null,
              currency: 'GBP',
              remainingMinor: 2_500,
              issueDate: null,
            },
          ],
        }),
      ),
    );
    expect(empty).toContain('There are no open invoices.');
    expect(empty).toContain('Your account is in credit by £25.00.');
    expect(empty).toContain('No payments in this period.');
    expect(empty).not.toContain('@acme.example');
  });

  it('carries a long list onto further pages with the table header again', async () => {
    const many = Array.from({ length: 90 }, (_, index) =>
      invoice(index, 1_000 + index, { number: `LONG-${String(index).padStart(3, '0')}` }),
    );
    const pages = await pdfPages(await statementPdf(sample({ invoices: many })));
    expect(pages.length).toBeGreaterThan(1);
    const text = pages.join('\n');
    for (const line of many) expect(text).toContain(line.number ?? '');
    expect(pages[1]).toContain('Invoice Issued Due Total Owed Days overdue');
  });

  it('writes names in other scripts without breaking the file', async () => {
    expect(safeText('Zoë Łódź 東京 1\u202f234')).toBe('Zoë ?ódz ?? 1 234');
    const text = await pdfText(await statementPdf(sample({ debtor: { ...debtor, name: 'Zoë Łódź 東京' } })));
    expect(text).toContain('Zoë ?ódz ??');
    expect(statementFileName(sample({ debtor: { ...debtor, name: 'Zoë & Co.' } }))).toBe(
      'statement-Zo-Co-2026-03-15.pdf',
    );
  });
});

describe('the letters as PDFs', () => {
  const letterOf = (kind: Letter['kind']): Letter => {
    const letter = buildLetter(sample(), ukStatutory, kind);
    if (!letter) throw new Error('expected a letter');
    return letter;
  };

  it('prints the formal demand with the overdue invoices, the statutory interest and the totals', async () => {
    const text = await pdfText(await letterPdf(letterOf('demand')));
    for (const expected of [
      'Formal demand for payment',
      'Our reference: FD-42-2026-03-15',
      'Dear Acme Builders,',
      'HJ-1042',
      'HJ-0901',
      '£1,200.00',
      '£18.73', // interest: £1,200 × 13.25% × 43 / 365
      '£70.00', // fixed compensation for a debt of £1,000 or more
      '£1,288.73', // what to pay in GBP
      '€500.00', // EUR owed, no UK statutory interest on it
      'Late Payment of Commercial Debts (Interest) Act 1998',
      'Statutory interest of 13.25% a year',
      '29 March 2026',
      'Yours faithfully,',
      '(no postal address on record',
    ])
      expect(text, expected).toContain(expected);
    expect(text).not.toContain('HJ-1057'); // not yet due
    expect(text).not.toContain('collection agency');
  });

  it('prints the final notice with its own title, deadline and what may follow', async () => {
    const letter = letterOf('final_notice');
    const text = await pdfText(await letterPdf(letter));
    expect(text).toContain('Final notice before further action');
    expect(text).toContain('22 March 2026');
    expect(text).toContain('collection agency');
    expect(letterFileName(letter)).toBe('final-notice-Acme-Builders-2026-03-15.pdf');
  });

  it('renders a kept letter to the same bytes again', async () => {
    const letter = letterOf('demand');
    const kept = JSON.parse(JSON.stringify(letter)) as Letter;
    expect((await letterPdf(kept)).equals(await letterPdf(letter))).toBe(true);
  });

  it('leaves the interest columns out when the rule charges nothing', async () => {
    const letter = buildLetter(sample(), { rule: { kind: 'none' }, debtorsAreBusinesses: true }, 'demand');
    const text = await pdfText(await letterPdf(letter as Letter));
    expect(text).not.toContain('Interest');
    expect(text).toContain('£1,200.00');
  });
});
