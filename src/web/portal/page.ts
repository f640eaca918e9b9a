import { disputeReasons } from '../../arrangements/disputes.js';
import { firstInstallmentWithinDays, installmentCountRange } from '../../arrangements/proposals.js';
import { html, raw, type SafeHtml } from '../../domain/html.js';
import { addDays } from '../../domain/local-time.js';
import { localeOf } from '../../domain/locale.js';
import type { Money } from '../../domain/money.js';
import { formatIsoDate, formatMoney } from '../../messaging/templates/index.js';
import type { OrganisationSettings } from '../../organisations/settings.js';
import type { PortalData } from '../../portal/portal-data.js';
import { type TextMeOptions, textMeConfirmations, textMeSection } from './text-me.js';

/** What the debtor just did, for the confirmation at the top of the page. */
export const confirmations = {
  promise: 'Thank you. We have noted the date you will pay by, and we will not send reminders until then.',
  plan: 'Thank you. Your payment plan is set up; we will remind you a few days before each payment.',
  'plan-requested':
    'Thank you. Your payment plan is outside what we can accept straight away, so we have sent it to us for approval. We will not chase these invoices while we decide.',
  dispute:
    'Thank you for telling us. We have paused reminders for these invoices and someone will look into it and get back to you.',
  settlement: 'Thank you. You have accepted the offer; once we receive the payment, the rest is cancelled.',
  'no-link': 'This invoice cannot be paid online. Please use one of the ways to pay below.',
  ...textMeConfirmations,
} as const;
export type Confirmation = keyof typeof confirmations;

interface PageOptions {
  token: string;
  expiresAt: Date;
  done: Confirmation | null;
  /** A problem with what was just submitted, and which form it came from. */
  error: { form: 'promise' | 'plan' | 'dispute' | 'settlement'; message: string } | null;
  /** "Text me": absent when texts are off here. */
  texts?: TextMeOptions | null;
}

export const styles = (colour: string) => `
*{box-sizing:border-box}
body{margin:0;background:#f5f5f2;color:#1f1f1f;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
header{background:${colour};color:#fff;padding:16px}
header .inner,main,footer{max-width:760px;margin:0 auto}
header img{max-height:48px;max-width:200px;background:#fff;border-radius:4px;padding:4px;vertical-align:middle}
header h1{font-size:1.3rem;margin:4px 0 0}
main{padding:16px}
section{background:#fff;border-radius:8px;padding:16px;margin:0 0 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:1.15rem;margin:0 0 8px}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:8px 6px;border-top:1px solid #e3e3e3;vertical-align:top}
td.amount,th.amount{text-align:right;white-space:nowrap}
.note{color:#555;font-size:.9rem}
.banner{padding:12px 16px;border-radius:8px;margin:0 0 16px}
.ok{background:#e6f4ea;border:1px solid #8bc79a}
.problem{background:#fdecea;border:1px solid #e59c95}
.info{background:#eef3fb;border:1px solid #a9c1e8}
a.button,button{display:inline-block;background:${colour};color:#fff;border:0;border-radius:6px;padding:10px 16px;font:inherit;text-decoration:none;cursor:pointer}
a.button:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #f0b429;outline-offset:2px}
details{border-top:1px solid #e3e3e3;padding:12px 0}
details:first-of-type{border-top:0}
summary{font-weight:600;cursor:pointer}
label{display:block;font-weight:600;margin:12px 0 4px}
fieldset{border:0;padding:0;margin:12px 0 0}
legend{font-weight:600;padding:0}
fieldset label{font-weight:400;margin:4px 0}
input[type=date],input[type=tel],select,textarea{font:inherit;padding:8px;border:1px solid #888;border-radius:4px;width:100%;max-width:360px}
textarea{max-width:100%;min-height:110px}
.form-actions{margin-top:14px}
footer{padding:0 16px 32px;color:#555;font-size:.9rem}
@media (max-width:520px){th.due,td.due{display:none}}
`;

/** The debtor's page: what is owed, how to pay, and the three alternatives to ignoring it. */
export function portalPage(data: PortalData, options: PageOptions): string {
  const { organisation, customer, invoices } = data;
  const locale = localeOf(organisation.country);
  const money = (value: Money) => formatMoney(value, locale);
  const date = (iso: string) => formatIsoDate(iso, locale) ?? iso;
  const action = (path: string) => `/portal/${options.token}/${path}`;
  const disputed = new Set(data.disputes.flatMap((dispute) => dispute.invoiceIds));
  const totals = new Map<string, number>();
  for (const invoice of invoices)
    totals.set(invoice.currency, (totals.get(invoice.currency) ?? 0) + invoice.balanceMinor);
  const errorFor = (form: NonNullable<PageOptions['error']>['form']) =>
    options.error?.form === form
      ? html`<p class="banner problem" role="alert">${options.error.message}</p>`
      : '';
  const invoiceChoice = (name: string) =>
    html`<fieldset><legend>Which invoices?</legend>${invoices.map(
      (invoice) =>
        html`<label><input type="checkbox" name="invoice" value="${invoice.id}" checked> ${invoice.number ?? 'Invoice'} — ${money({ amountMinor: invoice.balanceMinor, currency: invoice.currency })}</label>`,
    )}<span class="note" id="${name}-invoices-help">Leave them all ticked to include every invoice.</span></fieldset>`;

  const body =
    invoices.length === 0
      ? html`<section><h2>Nothing is owed</h2><p>Thank you: there is nothing outstanding on your account with ${organisation.name}.</p></section>`
      : html`
${settlementSection(data, money, date, action, errorFor('settlement'))}
${arrangementsSection(data, money, date)}
<section aria-labelledby="owed-heading">
  <h2 id="owed-heading">What is outstanding</h2>
  <table>
    <thead><tr><th scope="col">Invoice</th><th scope="col" class="due">Due</th><th scope="col" class="amount">Outstanding</th><th scope="col"><span class="note">Pay</span></th></tr></thead>
    <tbody>${invoices.map(
      (invoice) => html`<tr>
      <td>${invoice.number ?? '—'}${disputed.has(invoice.id) ? html`<br><span class="note">Disputed: reminders paused</span>` : ''}</td>
      <td class="due">${date(invoice.dueDate)}</td>
      <td class="amount">${money({ amountMinor: invoice.balanceMinor, currency: invoice.currency })}${invoice.balanceMinor !== invoice.totalMinor ? html`<br><span class="note">of ${money({ amountMinor: invoice.totalMinor, currency: invoice.currency })}</span>` : ''}</td>
      <td><a class="button" href="${action(`pay/${invoice.id}`)}" aria-label="Pay invoice ${invoice.number ?? ''} now">Pay now</a></td>
    </tr>`,
    )}</tbody>
    <tfoot>${[...totals].map(
      ([currency, amountMinor]) =>
        html`<tr><th scope="row" colspan="2">Total${totals.size > 1 ? ` (${currency})` : ''}</th><td class="amount"><strong>${money({ amountMinor, currency })}</strong></td><td></td></tr>`,
    )}</tfoot>
  </table>
  ${howToPay(organisation.settings)}
</section>
<section aria-labelledby="options-heading">
  <h2 id="options-heading">Can't pay it all today?</h2>
  <p>Choose what suits you; we would rather hear from you than keep sending reminders.</p>
  <details${options.error?.form === 'promise' ? ' open' : ''}>
    <summary>Tell us the date you will pay</summary>
    ${errorFor('promise')}
    <form method="post" action="${action('promise')}">
      <label for="promised-date">I will pay in full by</label>
      <input type="date" id="promised-date" name="promisedDate" required min="${data.today}" max="${addDays(data.today, data.limits.promiseMaxDays)}">
      <span class="note">Within ${data.limits.promiseMaxDays} days. We will not send reminders until then.</span>
      ${invoiceChoice('promise')}
      <div class="form-actions"><button type="submit">Confirm the date</button></div>
    </form>
  </details>
  ${
    data.plan
      ? ''
      : html`<details${options.error?.form === 'plan' ? ' open' : ''}>
    <summary>Set up a payment plan</summary>
    ${errorFor('plan')}
    <form method="post" action="${action('plan')}">
      <label for="installments">Number of monthly payments</label>
      <select id="installments" name="installments">${Array.from(
        { length: installmentCountRange.max - installmentCountRange.min + 1 },
        (_, index) => index + installmentCountRange.min,
      )
        .filter((count) => count <= Math.max(12, data.limits.planMaxInstallments))
        .map(
          (count) =>
            html`<option value="${count}"${count === data.limits.planMinInstallments ? ' selected' : ''}>${count} payments</option>`,
        )}</select>
      <span class="note">Up to ${data.limits.planMaxInstallments} payments, each at least ${money({ amountMinor: data.limits.planMinInstallmentMinor, currency: invoices[0]?.currency ?? organisation.currency })}, are accepted straight away; anything longer goes to ${organisation.name} to approve.</span>
      <label for="first-date">First payment on</label>
      <input type="date" id="first-date" name="firstDate" required min="${data.today}" max="${addDays(data.today, firstInstallmentWithinDays)}" value="${addDays(data.today, 7)}">
      ${invoiceChoice('plan')}
      <div class="form-actions"><button type="submit">Set up the plan</button></div>
    </form>
  </details>`
  }
  <details${options.error?.form === 'dispute' ? ' open' : ''}>
    <summary>Something looks wrong</summary>
    ${errorFor('dispute')}
    <form method="post" action="${action('dispute')}">
      <label for="reason">What is wrong?</label>
      <select id="reason" name="reason">${Object.entries(disputeReasons).map(
        ([value, label]) => html`<option value="${value}">${label}</option>`,
      )}</select>
      <label for="message">Tell us more</label>
      <textarea id="message" name="message" required maxlength="4000"></textarea>
      ${invoiceChoice('dispute')}
      <div class="form-actions"><button type="submit">Send to ${organisation.name}</button></div>
    </form>
  </details>
</section>`;

  return `<!doctype html>${html`<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Your account with ${organisation.name}</title>
<style>${raw(styles(organisation.settings.brandColour))}</style>
</head>
<body>
<header><div class="inner">
  ${organisation.settings.logoUrl ? html`<img src="${organisation.settings.logoUrl}" alt="${organisation.name}">` : html`<strong>${organisation.name}</strong>`}
  <h1>Your account, ${customer.name}</h1>
</div></header>
<main>
${options.done ? html`<p class="banner ok" role="status">${confirmations[options.done]}</p>` : ''}
${body}
${options.texts && (invoices.length > 0 || options.texts.texts.state !== 'none') ? textMeSection(organisation.name, options.texts, action) : ''}
<section aria-labelledby="statement-link-heading">
  <h2 id="statement-link-heading">Statement of account</h2>
  <p>Your open invoices, credits, payments of the last 12 months and how overdue each amount is. <a href="${action('statement')}">See your statement</a> or <a href="${action('statement.pdf')}">download it as a PDF</a>.</p>
</section>
</main>
<footer>
  ${contactLine(organisation.name, organisation.settings)}
  <p>This page is private to ${customer.name}. Its link works until ${date(options.expiresAt.toISOString().slice(0, 10))}.</p>
</footer>
</body>
</html>`}`;
}

function contactLine(name: string, settings: OrganisationSettings): SafeHtml {
  const ways = [
    settings.contactEmail
      ? html`email <a href="mailto:${settings.contactEmail}">${settings.contactEmail}</a>`
      : null,
    settings.contactPhone
      ? html`call <a href="tel:${settings.contactPhone.replace(/[^+\d]/g, '')}">${settings.contactPhone}</a>`
      : null,
  ].filter((way) => way !== null);
  return ways.length > 0
    ? html`<p>Questions? Contact ${name}: ${ways.map((way, index) => html`${index > 0 ? ' or ' : ''}${way}`)}.</p>`
    : html`<p>Questions? Reply to the email that brought you here.</p>`;
}

function howToPay(settings: OrganisationSettings): SafeHtml {
  return html`<h3 id="how-to-pay" style="font-size:1rem;margin:16px 0 4px">Other ways to pay</h3>${
    settings.paymentInstructions
      ? html`<p style="white-space:pre-line;margin:0">${settings.paymentInstructions}</p>`
      : html`<p class="note">Reply to our email and we will send the payment details.</p>`
  }`;
}

function settlementSection(
  data: PortalData,
  money: (value: Money) => string,
  date: (iso: string) => string,
  action: (path: string) => string,
  error: SafeHtml | string,
): SafeHtml | string {
  if (data.settlements.length === 0) return '';
  return html`<section aria-labelledby="settlement-heading" class="banner info">
  <h2 id="settlement-heading">An offer to settle</h2>
  ${error}
  ${data.settlements.map((offer) => {
    const pay = money({ amountMinor: offer.offerMinor, currency: offer.currency });
    const owed = money({ amountMinor: offer.startBalanceMinor, currency: offer.currency });
    return offer.status === 'accepted'
      ? html`<p>You accepted our offer: pay <strong>${pay}</strong> by <strong>${date(offer.payBy)}</strong> and the rest of ${owed} is cancelled.</p>`
      : html`<p>Pay <strong>${pay}</strong> by <strong>${date(offer.payBy)}</strong> and we will accept it in full settlement of ${owed}; the rest is cancelled.</p>
    <form method="post" action="${action(`settlements/${offer.id}/accept`)}"><button type="submit">Accept the offer</button></form>`;
  })}
</section>`;
}

function arrangementsSection(
  data: PortalData,
  money: (value: Money) => string,
  date: (iso: string) => string,
): SafeHtml | string {
  const items: SafeHtml[] = [];
  for (const promise of data.promises)
    items.push(html`<li>You told us you will pay by <strong>${date(promise.promisedDate)}</strong>.</li>`);
  if (data.plan) {
    const plan = data.plan;
    items.push(
      plan.status === 'awaiting_approval'
        ? html`<li>Your payment plan (${plan.installments.length} payments) is waiting for ${data.organisation.name} to approve it.</li>`
        : html`<li>Your payment plan: ${plan.installments.map(
            (installment, index) =>
              html`${index > 0 ? ', ' : ''}${money({ amountMinor: installment.amountMinor, currency: plan.currency })} on ${date(installment.dueDate)}`,
          )}.${plan.progress.next ? html` Next: <strong>${money({ amountMinor: plan.progress.shortMinor, currency: plan.currency })}</strong> by <strong>${date(plan.progress.next.dueDate)}</strong>.` : ''}</li>`,
    );
  }
  for (const dispute of data.disputes)
    items.push(
      html`<li>You told us something is wrong (${disputeReasons[dispute.reason as keyof typeof disputeReasons] ?? dispute.reason}); reminders for those invoices are paused while we look into it.</li>`,
    );
  if (items.length === 0) return '';
  return html`<section aria-labelledby="arranged-heading"><h2 id="arranged-heading">What we have agreed</h2><ul>${items}</ul></section>`;
}

/** The page for a link that has expired or was altered: no account data, only how to reach a person. */
export function linkProblemPage(
  problem: 'expired' | 'invalid',
  organisation: { name: string; settings: OrganisationSettings } | null,
): string {
  const heading = problem === 'expired' ? 'This link has expired' : 'This link is not valid';
  const lead =
    problem === 'expired'
      ? 'For your security, account links work for a limited time.'
      : 'The link may have been copied incompletely.';
  return `<!doctype html>${html`<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${heading}</title>
<style>body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f5f5f2;color:#1f1f1f}main{max-width:640px;margin:40px auto;background:#fff;padding:24px;border-radius:8px}</style></head>
<body><main>
<h1>${heading}</h1>
<p>${lead} ${organisation ? html`To see your account or pay, use the link in the most recent email from ${organisation.name}, or contact them directly.` : 'Use the link in the most recent email you received, or contact the company that sent it.'}</p>
${organisation ? contactLine(organisation.name, organisation.settings) : ''}
</main></body></html>`}`;
}

/** "Stop reminder emails": a confirmation first (mail scanners follow links; only a POST opts out). */
export function optOutPage(
  organisation: { name: string; settings: OrganisationSettings },
  customerName: string,
  state: { action: string; done: boolean },
): string {
  return `<!doctype html>${html`<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Email preferences · ${organisation.name}</title>
<style>body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f5f5f2;color:#1f1f1f}main{max-width:640px;margin:40px auto;background:#fff;padding:24px;border-radius:8px}button{background:${raw(organisation.settings.brandColour)};color:#fff;border:0;border-radius:6px;padding:10px 16px;font:inherit;cursor:pointer}button:focus{outline:3px solid #f0b429;outline-offset:2px}</style></head>
<body><main>
${
  state.done
    ? html`<h1>You will not get reminder emails</h1><p>${organisation.name} will not send automatic payment reminders to ${customerName} any more. What is owed is still owed: they may contact you in other ways.</p>`
    : html`<h1>Stop reminder emails?</h1><p>${organisation.name} sends ${customerName} automatic reminders about unpaid invoices. You can stop them; what is owed is still owed.</p>
<form method="post" action="${state.action}"><button type="submit">Stop reminder emails</button></form>`
}
${contactLine(organisation.name, organisation.settings)}
</main></body></html>`}`;
}
