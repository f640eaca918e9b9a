import { html, type SafeHtml } from '../../../domain/html.js';
import type { ForecastPage } from '../../../forecast/forecast-page.js';
import type { SchedulePreview } from '../../../forecast/preview-schedule.js';
import type { ForecastEntry } from '../../../forecast/run-forward.js';
import { plainWords } from '../../../words/labels.js';
import { moneyList } from './format.js';
import { appPage, type PageFrame } from './layout.js';

/** "Monday 22 March" for an ISO day (a calendar date: no zone shifts it). */
function dayHeading(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(new Date(`${day}T12:00:00Z`));
}

/** "09:07" in the organisation's zone. */
function timeOf(at: string, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' }).format(
    new Date(at),
  );
}

const channelPill: Record<ForecastEntry['channel'], string> = {
  email: 'pill',
  text: 'pill',
  'email and text': 'pill',
  'call for you to make': 'pill warn',
  'letter for you to post': 'pill warn',
  'task for you': 'pill warn',
  'flag for your decision': 'pill bad',
};

function recipients(entry: ForecastEntry): SafeHtml | string {
  if (entry.kind !== 'email') return html`<span class="muted">for you, in the review queue</span>`;
  if (entry.channel === 'text')
    return html`by text to their mobile number${entry.to.length > 0 ? html` (by email to ${entry.to.join(', ')} if the text cannot go)` : ''}`;
  const byText = entry.channel === 'email and text' ? ', and by text to their mobile number' : '';
  return html`to ${entry.to.join(', ')}${entry.cc.length > 0 ? html`, copying ${entry.cc.join(', ')}` : ''}${byText}`;
}

function entryItem(
  entry: ForecastEntry,
  data: { orgId: string; timeZone: string; locale: string },
  showCustomer: boolean,
) {
  const owed = moneyList(entry.owed, data.locale);
  return html`<li class="forecast-entry">
  <span class="when">${timeOf(entry.at, data.timeZone, data.locale)}</span>
  <div class="what">
    <div><span class="${channelPill[entry.channel]}">${entry.label}</span>${entry.awaitsApproval ? html` <span class="pill warn">waits for your approval</span>` : ''}
    ${showCustomer ? html` <a href="/app/${data.orgId}/customers/${entry.customerId}/forecast">${entry.customerName}</a>` : ''}</div>
    <div class="small">${recipients(entry)}${owed === '—' ? '' : html` · ${owed} on ${entry.invoiceIds.length} invoice${entry.invoiceIds.length === 1 ? '' : 's'}`}</div>
    <div class="small muted">Why: ${plainWords(entry.why)}</div>
  </div>
</li>`;
}

/** The entries by day, as an agenda: one heading a day that has something on it. */
export function agenda(
  entries: ForecastEntry[],
  data: { orgId: string; timeZone: string; locale: string },
  showCustomer = true,
): SafeHtml {
  const days = new Map<string, ForecastEntry[]>();
  for (const entry of entries) {
    const list = days.get(entry.day);
    if (list) list.push(entry);
    else days.set(entry.day, [entry]);
  }
  if (days.size === 0) return html`<p class="empty">Nothing would be sent in the next 30 days.</p>`;
  return html`${[...days].map(
    ([day, list]) => html`<section class="card forecast-day" aria-labelledby="day-${day}">
<h2 id="day-${day}">${dayHeading(day, data.locale)} <span class="muted small">${list.length} ${list.length === 1 ? 'action' : 'actions'}</span></h2>
<ul class="forecast-list">${list.map((entry) => entryItem(entry, data, showCustomer))}</ul>
</section>`,
  )}`;
}

function counts(entries: ForecastEntry[]) {
  const emails = entries.filter((entry) => entry.kind === 'email');
  return {
    emails: emails.length,
    customers: new Set(emails.map((entry) => entry.customerId)).size,
    approvals: emails.filter((entry) => entry.awaitsApproval).length,
    tasks: entries.filter((entry) => entry.kind === 'task').length,
    flags: entries.filter((entry) => entry.kind === 'flag').length,
  };
}

/** The organisation's forecast, or one customer's. */
export function forecastPage(frame: PageFrame, data: ForecastPage): string {
  const { forecast, customer } = data;
  const shown = { orgId: frame.orgId, timeZone: forecast.timeZone, locale: data.locale };
  const total = counts(forecast.entries);
  const content = html`${customer ? html`<p class="small"><a href="/app/${frame.orgId}/customers/${customer.id}">← ${customer.name}</a></p>` : ''}
<h1>${customer ? html`Forecast for ${customer.name}` : 'Forecast'}</h1>
<p class="lede">What Dunwell would do over the next ${forecast.days} days if nothing is paid and nobody acts: the same rules as the real schedule (sending hours, holidays, the contact cap, promises and pauses), run forward. Times are ${forecast.timeZone} time. It shows what would go whether Dunwell is sending or only previewing.</p>
<div class="grid">
<div class="stat"><div class="label">Emails</div><div class="value">${total.emails}</div><div class="sub">to ${total.customers} customer${total.customers === 1 ? '' : 's'}</div></div>
<div class="stat"><div class="label">Wait for your approval</div><div class="value">${total.approvals}</div></div>
<div class="stat"><div class="label">Tasks for you</div><div class="value">${total.tasks}</div></div>
<div class="stat"><div class="label">Flags to decide</div><div class="value">${total.flags}</div></div>
</div>
${customer ? '' : html`<p class="small muted">${forecast.debtors} customer${forecast.debtors === 1 ? ' owes' : 's owe'} something. Change the rules on the <a href="/app/${frame.orgId}/schedule">schedule</a>, where “Preview the change” shows what a change would do before you save it.</p>`}
${agenda(forecast.entries, shown, !customer)}`;
  return appPage(frame, content);
}

function briefEntry(entry: ForecastEntry, data: { timeZone: string; locale: string }): SafeHtml {
  return html`${dayHeading(entry.day, data.locale)}, ${timeOf(entry.at, data.timeZone, data.locale)}: <strong>${entry.label}</strong> for ${entry.customerName}`;
}

const listed = 40;

function changeList<Item>(
  title: string,
  id: string,
  items: Item[],
  show: (item: Item) => SafeHtml,
): SafeHtml {
  return html`<h3 id="${id}">${title} (${items.length})</h3>
${items.length === 0 ? html`<p class="empty">None.</p>` : html`<ul class="forecast-changes">${items.slice(0, listed).map((item) => html`<li>${show(item)}</li>`)}</ul>${items.length > listed ? html`<p class="small muted">and ${items.length - listed} more.</p>` : ''}`}`;
}

/** What a schedule change would do over the next 30 days: the card above the schedule's form. */
export function schedulePreviewCard(preview: SchedulePreview): SafeHtml {
  if (!preview.ok) return html``;
  const { difference, locale } = preview;
  const shown = { timeZone: preview.timeZone, locale };
  const changed = difference.added.length + difference.removed.length + difference.moved.length;
  return html`<section class="card preview-change" aria-labelledby="preview-change" id="preview">
<h2 id="preview-change">What this change would do over the next ${preview.days} days</h2>
<p class="banner info" role="status"><strong>Nothing is saved yet.</strong> ${changed === 0 ? `Over ${preview.debtors} customers who owe something, nothing would change.` : `Over ${preview.debtors} customers who owe something: ${difference.added.length} added, ${difference.removed.length} removed, ${difference.moved.length} moved or changed, ${difference.unchanged} as before (${preview.before} actions now, ${preview.after} after).`} Save the schedule below to make it so.</p>
${changeList('Added', 'preview-added', difference.added, (entry) => briefEntry(entry, shown))}
${changeList('Removed', 'preview-removed', difference.removed, (entry) => briefEntry(entry, shown))}
${changeList('Moved or changed', 'preview-moved', difference.moved, ({ before, after }) => html`${briefEntry(after, shown)} <span class="muted">(was ${dayHeading(before.day, locale)}, ${timeOf(before.at, preview.timeZone, locale)}${before.label === after.label ? '' : html`, ${before.label}`})</span>`)}
</section>`;
}
