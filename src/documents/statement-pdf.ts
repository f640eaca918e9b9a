import type { AgingBucket, Statement } from '../statements/statement.js';
import { agingBuckets } from '../statements/statement.js';
import { block, contentWidth, heading, page, paragraph, renderPdf, table, writers } from './pdf.js';

export const agingLabels: Record<AgingBucket, string> = {
  current: 'Not yet due',
  '1-30': '1–30 days',
  '31-60': '31–60 days',
  '61-90': '61–90 days',
  '90+': 'Over 90 days',
};

export const creditLabels: Record<Statement['credits'][number]['kind'], string> = {
  credit_note: 'Credit note',
  unapplied_payment: 'Payment not yet applied',
  overpayment: 'Overpayment',
  prepayment: 'Prepayment',
};

/** The file name a statement downloads as. */
export function statementFileName(statement: Statement): string {
  const safe = statement.debtor.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'customer';
  return `statement-${safe}-${statement.asOf}.pdf`;
}

/**
 * The statement of account as a PDF: who from and to, the open invoices with what is owed and how
 * late, the aging and the totals per currency, the credits that may still be used, the payments of
 * the last twelve months, and how to pay. Deterministic: dated by `statement.asOf`.
 */
export function statementPdf(statement: Statement): Promise<Buffer> {
  const { issuer, debtor } = statement;
  const { money, date, longDate } = writers(issuer.locale);
  return renderPdf(
    {
      title: `Statement of account: ${debtor.name}`,
      author: issuer.name,
      subject: `Statement of account as of ${statement.asOf}`,
      date: statement.asOf,
    },
    (doc) => {
      const half = contentWidth / 2;
      const top = page.margin;
      const left = block(
        doc,
        [
          { text: issuer.name, bold: true },
          ...issuer.address.map((line) => ({ text: line })),
          ...(issuer.contactEmail ? [{ text: issuer.contactEmail }] : []),
          ...(issuer.contactPhone ? [{ text: issuer.contactPhone }] : []),
        ],
        { x: page.margin, y: top, width: half - 10 },
      );
      const right = block(
        doc,
        [
          { text: 'Statement of account', bold: true },
          { text: `Date: ${longDate(statement.asOf)}` },
          { text: `Customer reference: ${debtor.reference}` },
        ],
        { x: page.margin + half, y: top, width: half, align: 'right' },
      );
      doc.y = Math.max(left, right) + 18;
      block(
        doc,
        [
          { text: 'To', bold: true },
          { text: debtor.name },
          ...debtor.address.map((line) => ({ text: line })),
          ...(debtor.email ? [{ text: debtor.email }] : []),
        ],
        { x: page.margin, y: doc.y, width: contentWidth },
      );

      heading(doc, 'Summary');
      table(
        doc,
        [
          { header: 'Currency', width: 0.16 },
          { header: 'Open invoices', width: 0.21, align: 'right' },
          { header: 'Of which overdue', width: 0.21, align: 'right' },
          { header: 'Less credits', width: 0.21, align: 'right' },
          { header: 'Balance', width: 0.21, align: 'right' },
        ],
        statement.totals.map((totals) => [
          totals.currency,
          money(totals.owedMinor, totals.currency),
          money(totals.overdueMinor, totals.currency),
          money(totals.creditsMinor === 0 ? 0 : -totals.creditsMinor, totals.currency),
          money(totals.balanceMinor, totals.currency),
        ]),
      );
      for (const totals of statement.totals)
        if (totals.balanceMinor < 0)
          paragraph(doc, `Your account is in credit by ${money(-totals.balanceMinor, totals.currency)}.`);
        else if (totals.balanceMinor === 0 && totals.owedMinor === 0)
          paragraph(doc, `Nothing is owed in ${totals.currency}. Thank you.`);

      heading(doc, 'Open invoices');
      if (statement.invoices.length === 0) paragraph(doc, 'There are no open invoices.');
      else
        table(
          doc,
          [
            { header: 'Invoice', width: 0.18 },
            { header: 'Issued', width: 0.15 },
            { header: 'Due', width: 0.15 },
            { header: 'Total', width: 0.18, align: 'right' },
            { header: 'Owed', width: 0.18, align: 'right' },
            { header: 'Days overdue', width: 0.16, align: 'right' },
          ],
          statement.invoices.map((invoice) => [
            invoice.number ?? '—',
            date(invoice.issueDate),
            date(invoice.dueDate),
            money(invoice.total.amountMinor, invoice.total.currency),
            money(invoice.owed.amountMinor, invoice.owed.currency),
            invoice.daysOverdue > 0 ? String(invoice.daysOverdue) : 'not yet due',
          ]),
        );

      if (statement.invoices.length > 0) {
        heading(doc, 'Aging');
        table(
          doc,
          [
            { header: 'Currency', width: 0.13 },
            ...agingBuckets.map((bucket) => ({
              header: agingLabels[bucket],
              width: 0.145,
              align: 'right' as const,
            })),
            { header: 'Total', width: 0.145, align: 'right' },
          ],
          statement.totals
            .filter((totals) => totals.owedMinor !== 0 || agingBuckets.some((b) => totals.aging[b] !== 0))
            .map((totals) => [
              totals.currency,
              ...agingBuckets.map((bucket) => money(totals.aging[bucket], totals.currency)),
              money(totals.owedMinor, totals.currency),
            ]),
        );
      }

      if (statement.credits.length > 0) {
        heading(doc, 'Credits you may use');
        table(
          doc,
          [
            { header: 'Credit', width: 0.25 },
            { header: 'Kind', width: 0.35 },
            { header: 'Date', width: 0.2 },
            { header: 'Available', width: 0.2, align: 'right' },
          ],
          statement.credits.map((credit) => [
            credit.number ?? '—',
            creditLabels[credit.kind],
            date(credit.issueDate),
            money(credit.remaining.amountMinor, credit.remaining.currency),
          ]),
        );
      }

      heading(doc, `Payments received since ${longDate(statement.paymentsFrom)}`);
      if (statement.payments.length === 0) paragraph(doc, 'No payments in this period.');
      else
        table(
          doc,
          [
            { header: 'Date', width: 0.25 },
            { header: 'Amount', width: 0.25, align: 'right' },
            { header: 'For invoices', width: 0.5 },
          ],
          statement.payments.map((payment) => [
            date(payment.paidOn),
            money(payment.amount.amountMinor, payment.amount.currency),
            payment.invoiceNumbers.join(', ') || '—',
          ]),
        );

      if (issuer.paymentInstructions) {
        heading(doc, 'How to pay');
        paragraph(doc, issuer.paymentInstructions);
      }
      paragraph(
        doc,
        `This statement shows ${issuer.name}'s records on ${longDate(statement.asOf)}. If anything on it looks wrong, please contact us${issuer.contactEmail ? ` at ${issuer.contactEmail}` : ''}.`,
        { size: 8 },
      );
    },
  );
}
