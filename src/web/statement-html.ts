import { agingLabels, creditLabels } from '../documents/statement-pdf.js';
import { html, type SafeHtml } from '../domain/html.js';
import { formatIsoDate, formatMoney } from '../messaging/templates/index.js';
import { agingBuckets, type Statement } from '../statements/statement.js';

/**
 * A statement's figures as HTML sections, for the debtor's portal and the owner's app alike: the
 * balance, the open invoices, the aging, the credits and the payments. Tables keep to a phone's
 * width: columns marked `wide` are left out under 560 px on the portal, the aging runs down, not
 * across, and the invoices sit in a box that scrolls (and can be focused) where a page lets it.
 */
export function statementSections(statement: Statement, options: { you: boolean }): SafeHtml {
  const locale = statement.issuer.locale;
  const money = (amountMinor: number, currency: string) => formatMoney({ amountMinor, currency }, locale);
  const date = (iso: string | null) => (iso ? (formatIsoDate(iso, locale, 'short') ?? iso) : '—');
  const several = statement.totals.length > 1;
  const currencyHeads = statement.totals.map(
    (totals) => html`<th scope="col" class="amount num">${several ? totals.currency : 'Amount'}</th>`,
  );
  const row = (label: string, value: (totals: Statement['totals'][number]) => number, strong = false) =>
    html`<tr><th scope="row">${label}</th>${statement.totals.map((totals) => {
      const amount = money(value(totals), totals.currency);
      return html`<td class="amount num">${strong ? html`<strong>${amount}</strong>` : amount}</td>`;
    })}</tr>`;
  const inCredit = statement.totals.filter((totals) => totals.balanceMinor < 0);
  const who = options.you ? 'You' : 'They';

  return html`<section aria-labelledby="balance-heading">
  <h2 id="balance-heading">Balance on ${formatIsoDate(statement.asOf, locale) ?? statement.asOf}</h2>
  <table>
    <thead><tr><td></td>${currencyHeads}</tr></thead>
    <tbody>
      ${row('Open invoices', (totals) => totals.owedMinor)}
      ${row('Of which overdue', (totals) => totals.overdueMinor)}
      ${row('Less credits', (totals) => (totals.creditsMinor === 0 ? 0 : -totals.creditsMinor))}
      ${row('Balance', (totals) => totals.balanceMinor, true)}
    </tbody>
  </table>
  ${inCredit.map((totals) => html`<p class="note muted">${who} are in credit by ${money(-totals.balanceMinor, totals.currency)}.</p>`)}
</section>
<section aria-labelledby="invoices-heading">
  <h2 id="invoices-heading">Open invoices</h2>
  ${
    statement.invoices.length === 0
      ? html`<p>There are no open invoices.</p>`
      : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="invoices-heading"><table>
    <thead><tr><th scope="col">Invoice</th><th scope="col" class="wide">Issued</th><th scope="col">Due</th><th scope="col" class="amount num wide">Total</th><th scope="col" class="amount num">Owed</th><th scope="col" class="num days">Days overdue</th></tr></thead>
    <tbody>${statement.invoices.map(
      (invoice) => html`<tr>
      <td>${invoice.number ?? '—'}</td>
      <td class="wide">${date(invoice.issueDate)}</td>
      <td>${date(invoice.dueDate)}</td>
      <td class="amount num wide">${money(invoice.total.amountMinor, invoice.total.currency)}</td>
      <td class="amount num">${money(invoice.owed.amountMinor, invoice.owed.currency)}</td>
      <td class="amount num">${invoice.daysOverdue > 0 ? String(invoice.daysOverdue) : 'not yet due'}</td>
    </tr>`,
    )}</tbody>
  </table></div>`
  }
</section>
${
  statement.invoices.length === 0
    ? ''
    : html`<section aria-labelledby="aging-heading">
  <h2 id="aging-heading">How overdue</h2>
  <table>
    <thead><tr><th scope="col">Overdue by</th>${currencyHeads}</tr></thead>
    <tbody>${agingBuckets.map((bucket) => row(agingLabels[bucket], (totals) => totals.aging[bucket]))}</tbody>
  </table>
</section>`
}
${
  statement.credits.length === 0
    ? ''
    : html`<section aria-labelledby="credits-heading">
  <h2 id="credits-heading">Credits ${options.you ? 'you' : 'they'} may use</h2>
  <table>
    <thead><tr><th scope="col">Credit</th><th scope="col" class="wide">Kind</th><th scope="col">Date</th><th scope="col" class="amount num">Available</th></tr></thead>
    <tbody>${statement.credits.map(
      (credit) =>
        html`<tr><td>${credit.number ?? '—'}</td><td class="wide">${creditLabels[credit.kind]}</td><td>${date(credit.issueDate)}</td><td class="amount num">${money(credit.remaining.amountMinor, credit.remaining.currency)}</td></tr>`,
    )}</tbody>
  </table>
</section>`
}
<section aria-labelledby="payments-heading">
  <h2 id="payments-heading">Payments received since ${date(statement.paymentsFrom)}</h2>
  ${
    statement.payments.length === 0
      ? html`<p>No payments in this period.</p>`
      : html`<table>
    <thead><tr><th scope="col">Date</th><th scope="col" class="amount num">Amount</th><th scope="col">For invoices</th></tr></thead>
    <tbody>${statement.payments.map(
      (payment) =>
        html`<tr><td>${date(payment.paidOn)}</td><td class="amount num">${money(payment.amount.amountMinor, payment.amount.currency)}</td><td>${payment.invoiceNumbers.join(', ') || '—'}</td></tr>`,
    )}</tbody>
  </table>`
  }
</section>`;
}

/** The portal's extra rules: a header that may wrap, and the `wide` columns hidden on a phone. */
export const statementCss =
  'th.days{text-align:right}@media (max-width:560px){th.wide,td.wide{display:none}}';
