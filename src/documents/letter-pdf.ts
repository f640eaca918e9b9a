import type { Letter } from '../statements/letter.js';
import { block, contentWidth, heading, page, paragraph, renderPdf, table, writers } from './pdf.js';

/** The file name a letter downloads as. */
export function letterFileName(letter: Letter): string {
  const safe = letter.debtor.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'customer';
  return `${letter.kind === 'demand' ? 'formal-demand' : 'final-notice'}-${safe}-${letter.date}.pdf`;
}

/**
 * The formal demand or the final notice as a printable letter: the sender's block, the debtor's
 * address block (for a window envelope), the date and reference, the letter, the invoices with what
 * is owed and any interest or fees, the totals per currency, and the signature. Deterministic: dated
 * by `letter.date`, so a kept letter renders to the same bytes again.
 */
export function letterPdf(letter: Letter): Promise<Buffer> {
  const { issuer, debtor } = letter;
  const { money, date, longDate } = writers(issuer.locale);
  const charged = letter.invoices.some((invoice) => invoice.chargeExplanation !== null);
  return renderPdf(
    {
      title: `${letter.title}: ${debtor.name}`,
      author: issuer.name,
      subject: `${letter.title}, ${letter.reference}`,
      date: letter.date,
    },
    (doc) => {
      const half = contentWidth / 2;
      const sender = block(
        doc,
        [
          { text: issuer.name, bold: true },
          ...issuer.address.map((line) => ({ text: line })),
          ...(issuer.contactEmail ? [{ text: issuer.contactEmail }] : []),
          ...(issuer.contactPhone ? [{ text: issuer.contactPhone }] : []),
        ],
        { x: page.margin + half, y: page.margin, width: half, align: 'right' },
      );
      // Where a window envelope shows the address.
      const recipient = block(
        doc,
        [
          { text: debtor.name, bold: true },
          ...(debtor.address.length > 0
            ? debtor.address.map((line) => ({ text: line }))
            : [{ text: '(no postal address on record: write it here before posting)' }]),
        ],
        { x: page.margin, y: Math.max(sender + 12, 140), width: half },
      );
      doc.y = recipient + 24;
      block(
        doc,
        [{ text: `Date: ${longDate(letter.date)}` }, { text: `Our reference: ${letter.reference}` }],
        { x: page.margin, y: doc.y, width: contentWidth },
      );

      heading(doc, letter.title, 14);
      paragraph(doc, `Dear ${debtor.name},`);
      const [opening, ...rest] = letter.paragraphs;
      if (opening) paragraph(doc, opening);

      const chargeColumns = charged
        ? [
            { header: 'Interest', width: 0.15, align: 'right' as const },
            { header: 'Fees', width: 0.15, align: 'right' as const },
          ]
        : [];
      table(
        doc,
        [
          { header: 'Invoice', width: charged ? 0.15 : 0.2 },
          { header: 'Issued', width: charged ? 0.14 : 0.18 },
          { header: 'Due', width: charged ? 0.14 : 0.18 },
          { header: 'Days overdue', width: charged ? 0.11 : 0.18, align: 'right' },
          { header: 'Owed', width: charged ? 0.16 : 0.26, align: 'right' },
          ...chargeColumns,
        ],
        letter.invoices.map((invoice) => [
          invoice.number ?? '—',
          date(invoice.issueDate),
          date(invoice.dueDate),
          String(invoice.daysOverdue),
          money(invoice.owed.amountMinor, invoice.owed.currency),
          ...(charged
            ? [
                money(invoice.interest.amountMinor, invoice.interest.currency),
                money(invoice.compensation.amountMinor, invoice.compensation.currency),
              ]
            : []),
        ]),
      );

      const totalRows = letter.totals.flatMap((totals) => {
        const label = letter.totals.length > 1 ? ` (${totals.currency})` : '';
        return [
          [`Owed${label}`, money(totals.owedMinor, totals.currency)],
          ...(charged
            ? [
                [`Interest${label}`, money(totals.interestMinor, totals.currency)],
                [`Compensation and fees${label}`, money(totals.compensationMinor, totals.currency)],
              ]
            : []),
          [`Total to pay by ${longDate(letter.payBy)}${label}`, money(totals.dueMinor, totals.currency)],
        ];
      });
      const bold = new Set(
        totalRows.flatMap((row, index) => (row[0]?.startsWith('Total to pay') ? [index] : [])),
      );
      table(
        doc,
        [
          { header: 'Totals', width: 0.68 },
          { header: '', width: 0.32, align: 'right' },
        ],
        totalRows,
        bold,
      );
      if (charged) {
        for (const invoice of letter.invoices)
          if (invoice.chargeExplanation)
            paragraph(doc, `${invoice.number ?? 'Invoice'}: ${invoice.chargeExplanation}`, {
              size: 8,
              gap: 0.2,
            });
        doc.moveDown(0.6);
      }

      for (const text of rest) paragraph(doc, text);
      doc.moveDown(0.6);
      paragraph(doc, 'Yours faithfully,', { gap: 2 });
      paragraph(doc, issuer.name);
    },
  );
}
