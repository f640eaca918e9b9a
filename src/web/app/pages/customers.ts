import type { NextStep } from '../../../collections/next-step.js';
import type { CustomerOverridesView } from '../../../customers/customer-overrides.js';
import type { CustomerPhoneView } from '../../../customers/customer-phones.js';
import type { CustomersOverview } from '../../../customers/customers-overview.js';
import type { StandingArrangements } from '../../../customers/standing-arrangements.js';
import { html } from '../../../domain/html.js';
import { countOf, daysOverdue } from '../../../domain/plural.js';
import { type Policy, segments } from '../../../domain/policy.js';
import type { CustomerHeader } from '../../../timeline/timeline.js';
import type { TimelinePage } from '../../../timeline/timeline-entry.js';
import { invoiceHoldLabels, invoiceStatusLabels, labelOf, plainWords } from '../../../words/labels.js';
import { linesFromSteps } from '../forms/own-schedule.js';
import { journeyExplanation } from '../journey-words.js';
import { customerPhonesSection, type PhoneFormState } from './customer-phones.js';
import { postalAddressSection } from './customer-postal-address.js';
import { customerStanding } from './customer-standing.js';
import { date, money, moneyList } from './format.js';
import { appPage, csrfField, type PageFrame } from './layout.js';
import { timelineList } from './timeline.js';

export function customersPage(
  frame: PageFrame,
  overview: CustomersOverview,
  query: { search: string; sort: string },
  locale: string,
  /** The organisation's policy and time zone, for the journey in plain words (its numbers are theirs). */
  journey?: { policy: Policy; timeZone: string },
): string {
  const base = `/app/${frame.orgId}/customers`;
  // Dates in the organisation's format and zone, as the weekly summary writes them.
  const words = { locale, ...(journey ? { timeZone: journey.timeZone } : {}) };
  const pageHref = (page: number) =>
    `${base}?page=${page}&sort=${encodeURIComponent(query.sort)}&search=${encodeURIComponent(query.search)}`;
  const content = html`<h1>Customers</h1>
<p class="lede">Who owes you, how late, and what Dunwell will do next — and why.</p>
${
  journey
    ? html`<details class="card" id="how-chasing-works"><summary>How Dunwell chases a customer</summary>
<ul>${journeyExplanation(journey.policy, journey.timeZone).map((line) => html`<li>${line}</li>`)}</ul>
<p class="small muted">Change the steps, the days and the hours on the <a href="/app/${frame.orgId}/schedule">Schedule</a> page.</p></details>`
    : ''
}
<form method="get" action="${base}" class="card row" role="search">
  <div style="flex:1"><label for="search">Find a customer</label><input type="text" id="search" name="search" value="${query.search}"></div>
  <div><label for="sort">Order</label><select id="sort" name="sort">
    ${(['overdue', 'balance', 'name'] as const).map((sort) => html`<option value="${sort}"${sort === query.sort ? ' selected' : ''}>${{ overdue: 'Most overdue first', balance: 'Largest balance first', name: 'By name' }[sort]}</option>`)}
  </select></div>
  <div><button type="submit" class="secondary">Show</button></div>
</form>
<section class="card">
${
  overview.rows.length === 0
    ? html`<p class="empty">${query.search ? 'No customer matches that name.' : 'Nobody owes you anything right now.'}</p>`
    : html`<div class="table-wrap"><table><thead><tr><th>Customer</th><th>Segment</th><th class="num">Owes</th><th class="num">Days overdue</th><th>Next step</th></tr></thead><tbody>
${overview.rows.map(
  (
    row,
  ) => html`<tr><td><a href="${base}/${row.id}">${row.name}</a>${row.overrides.excluded ? html` <span class="pill warn">excluded</span>` : ''}${row.overrides.doNotContact ? html` <span class="pill bad">do not contact</span>` : ''}${row.optedOut ? html` <span class="pill bad">opted out of emails</span>` : ''}</td>
  <td>${row.segment ? html`<span class="pill" title="${plainWords(row.segment.reason)}">${row.segment.segment}${row.segment.overridden ? ' (yours)' : ''}</span>` : '—'}</td>
  <td class="num">${moneyList(
    row.balances.map((balance) => ({ amountMinor: balance.balanceMinor, currency: balance.currency })),
    locale,
  )}</td>
  <td class="num">${row.maxDaysOverdue === null ? '—' : row.maxDaysOverdue <= 0 ? `due in ${-row.maxDaysOverdue}` : String(row.maxDaysOverdue)}</td>
  <td>${plainWords(row.nextStep.text, words)}<div class="small muted">${plainWords(row.nextStep.why, words)}</div></td></tr>`,
)}</tbody></table></div>`
}
${overview.pageCount > 1 ? html`<div class="actions">${overview.page > 1 ? html`<a class="button secondary" href="${pageHref(overview.page - 1)}">Previous</a>` : ''}<span class="muted">Page ${overview.page} of ${overview.pageCount} (${overview.total} customers)</span>${overview.page < overview.pageCount ? html`<a class="button secondary" href="${pageHref(overview.page + 1)}">Next</a>` : ''}</div>` : ''}
</section>`;
  return appPage(frame, content);
}

export interface CustomerPageData {
  header: CustomerHeader;
  next: NextStep;
  arrangements: StandingArrangements;
  /** The postal address's lines; empty or left out when the books hold none. */
  postalAddress?: string[];
  overrides: CustomerOverridesView;
  timeline: TimelinePage;
  invoices: Array<{
    id: string;
    number: string | null;
    dueDate: string;
    balanceMinor: number;
    currency: string;
    hold: string | null;
  }>;
  timeZone: string;
  locale: string;
  /** What was typed, with its problems, when a save was refused. */
  form?: { values: Record<string, string>; problems: string[] };
  /** Their mobile numbers with the consent on record, and the consent form as typed when refused. */
  phones?: { list: CustomerPhoneView[]; form?: PhoneFormState };
}

export function customerPage(frame: PageFrame, data: CustomerPageData): string {
  const { header, overrides } = data;
  const base = `/app/${frame.orgId}/customers/${header.id}`;
  const typed = data.form?.values;
  const contacts = [...overrides.escalationContacts, ...Array(5).fill(null)].slice(0, 5) as Array<{
    name: string | null;
    email: string;
  } | null>;
  const content = html`<p class="small"><a href="/app/${frame.orgId}/customers">← All customers</a></p>
<h1>${header.name}</h1>
<p class="lede">Owes ${moneyList(
    header.openBalances.map((balance) => ({ amountMinor: balance.balanceMinor, currency: balance.currency })),
    data.locale,
  )}
${header.optedOutAt ? html` · <span class="pill bad">opted out of emails</span>` : ''}${header.deletedAt ? html` · <span class="pill bad">deleted in your books</span>` : ''}</p>
${customerStanding(data.next, data.arrangements, { locale: data.locale, timeZone: data.timeZone })}
<div class="split wide-left">
<section class="card" aria-labelledby="history"><h2 id="history">History</h2>
<p class="small"><a href="${base}/forecast">The next 30 days</a> · ${header.deletedAt ? '' : html`<a href="${base}/statement">Statement and letters</a> · `}<a href="/api/organisations/${frame.orgId}/customers/${header.id}/evidence.html">Evidence pack (printable)</a> · <a href="/api/organisations/${frame.orgId}/customers/${header.id}/evidence.csv">CSV</a></p>
${timelineList(data.timeline, data.timeZone, `${base}?before=`)}
</section>
<div>
<section class="card" aria-labelledby="open-invoices"><h2 id="open-invoices">Open invoices</h2>
${data.invoices.length === 0 ? html`<p class="empty">Nothing open.</p>` : html`<div class="table-wrap"><table><tbody>${data.invoices.map((invoice) => html`<tr><td><a href="/app/${frame.orgId}/invoices/${invoice.id}">${invoice.number ?? 'Invoice'}</a>${invoice.hold ? html` <span class="pill warn">${labelOf(invoiceHoldLabels, invoice.hold)}</span>` : ''}</td><td>due ${date(invoice.dueDate, data.locale)}</td><td class="num">${money({ amountMinor: invoice.balanceMinor, currency: invoice.currency }, data.locale)}</td></tr>`)}</tbody></table></div>`}
</section>
<section class="card" aria-labelledby="contacts"><h2 id="contacts">Contacts</h2>
${header.contacts.length === 0 ? html`<p class="empty">No email address: Dunwell makes a task for you instead of an email.</p>` : html`<ul>${header.contacts.map((contact) => html`<li>${contact.email ?? '(no email)'} <span class="muted small">${contact.role}${contact.source === 'manual' ? ', added by you' : ''}</span>${contact.bouncedAt ? html` <span class="pill bad">bounced</span>` : ''}</li>`)}</ul>`}
${postalAddressSection(data.postalAddress)}
</section>
<section class="card" aria-labelledby="overrides"><h2 id="overrides">Your choices for this customer</h2>
${data.form && data.form.problems.length > 0 ? html`<div class="banner problem" role="alert"><strong>Nothing was saved.</strong><ul>${data.form.problems.map((problem) => html`<li>${choiceProblemInWords(problem)}</li>`)}</ul></div>` : ''}
<form method="post" action="${base}" novalidate>${csrfField(frame.csrfToken)}
<label class="check"><input type="checkbox" name="excluded"${(typed ? typed['excluded'] : overrides.overrides.excluded) ? ' checked' : ''}> Exclude from automatic chasing</label>
<label class="check"><input type="checkbox" name="doNotContact"${(typed ? typed['doNotContact'] : overrides.overrides.doNotContact) ? ' checked' : ''}> Do not contact at all</label>
<label for="pausedUntil">Pause automatic chasing until</label>
<input type="date" id="pausedUntil" name="pausedUntil" aria-describedby="pausedUntil-help" value="${typed ? typed['pausedUntil'] : (overrides.overrides.pausedUntil ?? '')}">
<p class="small muted" id="pausedUntil-help">Nothing goes to them before this day; on it, chasing resumes where it stood. Empty: no pause.</p>
<label for="recipients">Send reminders to</label>
<textarea id="recipients" name="recipients" rows="2" aria-describedby="recipients-help">${typed ? typed['recipients'] : (overrides.overrides.recipients ?? []).join('\n')}</textarea>
<p class="small muted" id="recipients-help">One address a line, at most five. Empty: the addresses in your books (the invoice's bill-to, else the billing contacts).</p>
<label for="segment">Segment</label>
<select id="segment" name="segment"><option value="">As Dunwell decides</option>${segments.map((segment) => html`<option value="${segment}"${(typed ? typed['segment'] : overrides.overrides.segment) === segment ? ' selected' : ''}>${segment}</option>`)}</select>
<label for="ownSchedule">Own schedule (one step a line; empty: your usual schedule)</label>
<textarea id="ownSchedule" name="ownSchedule" rows="5" placeholder="-3 email friendly&#10;10 email firm late-fee&#10;30 task Call the finance director">${typed ? typed['ownSchedule'] : linesFromSteps(overrides.overrides.steps)}</textarea>
<fieldset><legend>Escalation contacts (copied on formal steps)</legend>
${contacts.map(
  (
    contact,
    index,
  ) => html`<div class="row"><div><label for="contact-${index}-name" class="small">Name</label><input type="text" id="contact-${index}-name" name="contacts.${index}.name" value="${typed ? typed[`contacts.${index}.name`] : (contact?.name ?? '')}"></div>
<div><label for="contact-${index}-email" class="small">Email</label><input type="email" id="contact-${index}-email" name="contacts.${index}.email" value="${typed ? typed[`contacts.${index}.email`] : (contact?.email ?? '')}"></div></div>`,
)}
</fieldset>
<div class="actions"><button type="submit">Save choices</button></div>
</form></section>
${data.phones ? customerPhonesSection(frame, header.id, data.phones.list, data.timeZone, data.phones.form) : ''}
</div></div>`;
  return appPage(frame, content);
}

export interface InvoicePageData {
  invoice: {
    id: string;
    number: string | null;
    customerId: string;
    customerName: string;
    status: string;
    issueDate: string | null;
    dueDate: string;
    totalMinor: number;
    balanceMinor: number;
    currency: string;
    hold: string | null;
  };
  daysOverdue: number;
  timeline: TimelinePage;
  timeZone: string;
  locale: string;
}

export function invoicePage(frame: PageFrame, data: InvoicePageData): string {
  const { invoice, locale } = data;
  const amount = (amountMinor: number) => money({ amountMinor, currency: invoice.currency }, locale);
  const lateness =
    invoice.status !== 'open' || invoice.balanceMinor <= 0
      ? null
      : data.daysOverdue > 0
        ? html`<span class="pill bad">${daysOverdue(data.daysOverdue)}</span>`
        : data.daysOverdue === 0
          ? html`<span class="pill warn">due today</span>`
          : html`<span class="pill">due in ${countOf(-data.daysOverdue, 'day')}</span>`;
  return appPage(
    frame,
    html`<p class="small"><a href="/app/${frame.orgId}/customers/${invoice.customerId}">← ${invoice.customerName}</a></p>
<h1>Invoice ${invoice.number ?? ''}</h1>
<p class="lede">${invoice.customerName} · ${labelOf(invoiceStatusLabels, invoice.status)}${lateness ? html` · ${lateness}` : ''}${invoice.hold ? html` · <span class="pill warn">${labelOf(invoiceHoldLabels, invoice.hold)}</span>` : ''}</p>
<section class="card" aria-labelledby="amounts"><h2 id="amounts">Amounts and dates</h2>
<div class="grid">
<div class="stat"><div class="label">Still owed</div><div class="value">${amount(invoice.balanceMinor)}</div></div>
<div class="stat"><div class="label">Invoice total</div><div class="value">${amount(invoice.totalMinor)}</div></div>
<div class="stat"><div class="label">Issued</div><div class="value">${invoice.issueDate ? date(invoice.issueDate, locale) : '—'}</div></div>
<div class="stat"><div class="label">Due</div><div class="value">${date(invoice.dueDate, locale)}</div></div>
</div></section>
<section class="card"><h2>History</h2>${timelineList(data.timeline, data.timeZone, `/app/${frame.orgId}/invoices/${invoice.id}?before=`)}</section>`,
  );
}

/** A problem with a customer's choices ("overrides.recipients.1: …") named as the form labels the field. */
function choiceProblemInWords(problem: string): string {
  const split = problem.indexOf(': ');
  if (split < 0) return problem;
  const [path, message] = [problem.slice(0, split), problem.slice(split + 2)];
  const parts = path.split('.');
  const nth = (part: string | undefined) => Number(part ?? 0) + 1;
  const label =
    parts[1] === 'pausedUntil'
      ? 'Pause automatic chasing until'
      : parts[1] === 'recipients'
        ? parts[2] === undefined
          ? 'Send reminders to'
          : `Reminder address ${nth(parts[2])}`
        : parts[1] === 'steps'
          ? `Own schedule, step ${nth(parts[2])}`
          : parts[0] === 'escalationContacts'
            ? `Escalation contact ${nth(parts[1])}`
            : parts[1] === 'segment'
              ? 'Segment'
              : null;
  return label ? `${label}: ${message}` : plainWords(problem);
}
