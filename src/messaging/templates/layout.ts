import { html, raw, type SafeHtml } from '../../domain/html.js';
import type { TemplateScope } from './context.js';
import { formatIsoDate, formatMoney } from './filters.js';
import type { Money } from './types.js';

/**
 * Dunwell's own frame around a template's body, the same for every email and not editable: the
 * business's name or logo and colour, the invoices with their pay links and the total, credit and
 * late-fee notes, the account-page link (so every email offers paying in part, a date, a plan or a
 * dispute, whatever the body says) and the other ways to pay. The HTML frame and the text frame say
 * the same things.
 */

const defaultBrand = '#1a5fb4';
const cell = 'padding:6px 8px;border-top:1px solid #ddd;';
const note = 'color:#666;font-size:13px;';

function moneyList(amounts: readonly Money[], locale: string): string {
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(
    amounts.map((amount) => formatMoney(amount, locale)),
  );
}

function dateOf(iso: string, locale: string): string {
  return formatIsoDate(iso, locale) ?? iso;
}

type Invoice = TemplateScope['invoices'][number];

function dueState(invoice: Invoice): string | null {
  if (invoice.daysOverdue > 0)
    return `${invoice.daysOverdue} ${invoice.daysOverdue === 1 ? 'day' : 'days'} overdue`;
  if (invoice.daysOverdue === 0) return 'due today';
  return null;
}

const partPaid = (invoice: Invoice) => invoice.balance.amountMinor !== invoice.total.amountMinor;

/** The credit and late-fee notes under the invoices, with the amount apart (bold in the HTML email). */
function notesOf(
  scope: TemplateScope,
  locale: string,
): Array<[before: string, amount: string, after: string]> {
  const notes: Array<[string, string, string]> = [];
  if (scope.credits.length > 0)
    notes.push([
      'You also have ',
      moneyList(scope.credits, locale),
      ' of credit with us, which can go towards this: reply and we will apply it.',
    ]);
  if (scope.lateFee)
    notes.push([
      `${scope.lateFee.explanation} Late-payment charges: `,
      formatMoney(scope.lateFee.total, locale),
      '.',
    ]);
  return notes;
}

/** The text email: the body, then the invoices, the account page and the other ways to pay. */
export function textEmail(scope: TemplateScope, body: string): string {
  const locale = scope.organisation.locale;
  const lines = [body, '', `Invoices for ${scope.debtor.name}:`];
  for (const invoice of scope.invoices) {
    const state = dueState(invoice);
    lines.push(
      `- ${invoice.number ? `Invoice ${invoice.number}, due` : 'Invoice due'} ${dateOf(invoice.dueDate, locale)}: ${formatMoney(invoice.balance, locale)}${partPaid(invoice) ? ` of ${formatMoney(invoice.total, locale)}` : ''} outstanding${state ? ` (${state})` : ''}`,
      `  Pay: ${invoice.payUrl ?? scope.portalUrl}`,
    );
  }
  lines.push(`Total outstanding: ${moneyList(scope.totals, locale)}`);
  for (const [before, amount, after] of notesOf(scope, locale)) lines.push('', `${before}${amount}${after}`);
  lines.push(
    '',
    `Your account page (pay, choose a date or a plan, or tell us of a problem): ${scope.portalUrl}`,
  );
  if (scope.organisation.paymentInstructions)
    lines.push('', 'Other ways to pay:', scope.organisation.paymentInstructions.trim());
  return `${lines.join('\n')}\n`;
}

function header(scope: TemplateScope, brand: string): SafeHtml {
  const { name, logoUrl } = scope.organisation;
  return html`<div style="border-bottom:3px solid ${brand};padding:0 0 12px;margin:0 0 20px;">${
    logoUrl
      ? html`<img src="${logoUrl}" alt="${name}" height="48" style="max-height:48px;max-width:240px;">`
      : html`<strong style="font-size:18px;">${name}</strong>`
  }</div>`;
}

function invoiceTable(scope: TemplateScope): SafeHtml {
  const locale = scope.organisation.locale;
  const rows = scope.invoices.map((invoice) => {
    const state = dueState(invoice);
    return html`<tr>
<td style="${cell}">${invoice.number ?? '—'}</td>
<td style="${cell}">${dateOf(invoice.dueDate, locale)}${state ? html`<br><span style="${note}">${state}</span>` : ''}</td>
<td align="right" style="${cell}">${formatMoney(invoice.balance, locale)}${partPaid(invoice) ? html`<br><span style="${note}">of ${formatMoney(invoice.total, locale)}</span>` : ''}</td>
<td align="right" style="${cell}"><a href="${invoice.payUrl ?? scope.portalUrl}">Pay now</a></td>
</tr>`;
  });
  const totals = scope.totals.map(
    (total, index) => html`${index > 0 ? html`<br>` : ''}${formatMoney(total, locale)}`,
  );
  return html`<table style="width:100%;border-collapse:collapse;margin:24px 0 16px;vertical-align:top;">
<caption align="left" style="text-align:left;font-weight:bold;padding:0 8px 6px;">Invoices for ${scope.debtor.name}</caption>
<thead>
<tr><th align="left" style="${cell}">Invoice</th><th align="left" style="${cell}">Due</th><th align="right" style="${cell}">Outstanding</th><th style="${cell}"></th></tr>
</thead>
<tbody>
${rows}</tbody>
<tfoot>
<tr><th align="left" colspan="2" style="${cell}">Total outstanding</th><th align="right" style="${cell}">${totals}</th><th style="${cell}"></th></tr>
</tfoot>
</table>`;
}

/**
 * The HTML email: the body's HTML (already escaped, see `body.ts`) inside the frame. The result goes
 * through the email allow-list like every email.
 */
export function htmlEmail(scope: TemplateScope, bodyHtml: string): string {
  const { organisation } = scope;
  const locale = organisation.locale;
  const brand = organisation.brandColour ?? defaultBrand;
  const notes = notesOf(scope, locale);
  return html`<!DOCTYPE html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${organisation.name}</title>
</head>
<body style="margin:0;padding:24px;background:#f5f5f2;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#222222;">
<div style="max-width:640px;margin:0 auto;padding:24px;background:#ffffff;border-radius:6px;">
${header(scope, brand)}
${raw(bodyHtml)}
${invoiceTable(scope)}
${notes.map(([before, amount, after]) => html`<p>${before}<strong>${amount}</strong>${after}</p>\n`)}<p><a href="${scope.portalUrl}" style="display:inline-block;padding:10px 18px;background:${brand};color:#ffffff;text-decoration:none;border-radius:4px;">Open your account page</a></p>
<p style="${note}">On your account page you can pay in full or in part, choose a date to pay, set up a payment plan or tell us if something looks wrong.</p>
${
  organisation.paymentInstructions
    ? html`<p><strong>Other ways to pay</strong></p>
<p style="white-space:pre-line;">${organisation.paymentInstructions.trim()}</p>
`
    : ''
}</div>
</body>
</html>
`.value;
}
