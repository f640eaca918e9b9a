import { vendors } from '../../../../connectors/vendors.js';
import { html, type SafeHtml } from '../../../domain/html.js';
import type { ChecklistItem, ChecklistKey, GoLiveChecklist } from '../../../organisations/go-live.js';
import { stepLabel } from '../../../words/labels.js';
import { scheduleSummary } from '../forms/schedule-form.js';
import { moment } from './format.js';
import { appPage, csrfField, type PageFrame } from './layout.js';
import { syncProgressText } from './sync-progress.js';

export interface GoLivePageData extends GoLiveChecklist {
  /** Problems of the form just sent, by field. */
  problems?: Map<string, string[]>;
  /** What was just typed, kept when it was refused. */
  typed?: Partial<Record<'timeZone' | 'replyTo' | 'notifyEmail' | 'summaryRecipients', string>>;
  /** The forecast page, when there is one to link to. */
  forecastPath?: string | null;
  /** The moment the page was made (the request's clock). */
  generatedAt: Date;
}

const titles: Record<ChecklistKey, string> = {
  timeZone: 'Your time zone',
  replyTo: 'Where customers’ replies go',
  disputes: 'Who hears about disputes and promises',
  summary: 'Who gets the weekly summary',
  schedule: 'The schedule, in plain words',
  testEmail: 'A test email to yourself',
};

function statePill(item: ChecklistItem | undefined): SafeHtml {
  if (!item) return html``;
  if (item.done) return html`<span class="pill good">Done</span>`;
  return item.essential
    ? html`<span class="pill warn">Needed to go live</span>`
    : html`<span class="pill">Recommended</span>`;
}

function timeZoneOrigin(data: GoLivePageData): string {
  const origin = data.timeZoneOrigin;
  const vendor = data.connections[0] ? vendors[data.connections[0].vendor].name : 'your books';
  if (data.timeZoneConfirmed) return 'Confirmed by you.';
  if (!origin) return `${vendor} did not say, so it is UTC until you choose.`;
  if (origin.timeZone !== data.timeZone) return 'Changed since connecting; confirm it here.';
  if (origin.source === 'ledger') return `Taken from your ${vendor} organisation settings.`;
  const where =
    origin.source === 'region' ? 'your company address' : `the country of your books (${data.country})`;
  return `${vendor} keeps no time zone, so this is a guess from ${where}. Check it.`;
}

function problemsOf(data: GoLivePageData, field: string): SafeHtml {
  const problems = data.problems?.get(field) ?? [];
  return problems.length > 0
    ? html`<p class="field-error" id="${field}-problem">${problems.join('; ')}</p>`
    : html``;
}

const invalid = (data: GoLivePageData, field: string) =>
  data.problems?.has(field) ? html` aria-invalid="true" aria-describedby="${field}-problem"` : html``;

function statusCard(frame: PageFrame, data: GoLivePageData): SafeHtml {
  const since = data.sendingChangedAt ? ` since ${moment(data.sendingChangedAt, data.timeZone)}` : '';
  if (data.sending === 'live')
    return html`<section class="banner ok" aria-label="Emails now"><strong>Live${since}.</strong> Reminders go to your customers as the schedule says.
  <form class="inline" method="post" action="/app/${frame.orgId}/go-live/pause">${csrfField(frame.csrfToken)}
  <button class="small secondary" type="submit">Pause all emails</button></form></section>`;
  if (data.sending === 'paused')
    return html`<section class="banner problem" aria-label="Emails now"><strong>Paused${since}.</strong> No email goes to any customer, even one already queued.
  When you resume, Dunwell plans again from that day: nothing piles up and nothing late goes out.
  <form class="inline" method="post" action="/app/${frame.orgId}/go-live/live">${csrfField(frame.csrfToken)}
  <button class="small" type="submit">Resume emails</button></form></section>`;
  return html`<section class="banner info" aria-label="Emails now"><strong>Preview.</strong> Dunwell plans every reminder and
  sends none: nothing reaches your customers or your books until you go live.</section>`;
}

function syncCard(data: GoLivePageData): SafeHtml {
  if (data.connections.length === 0) return html``;
  return html`<section class="card" aria-labelledby="books"><h2 id="books">Your books</h2><dl class="facts">
  ${data.connections.map(
    (connection) => html`<dt>${connection.companyName ?? vendors[connection.vendor].productName}</dt>
    <dd>${syncProgressText(connection)}</dd>`,
  )}</dl></section>`;
}

function plannedCard(data: GoLivePageData): SafeHtml {
  const planned = data.plannedNow;
  const soon = data.plannedAt.getTime() !== data.generatedAt.getTime();
  const when = soon ? `at the next sending time, ${moment(data.plannedAt, data.timeZone)}` : 'now';
  const heading = data.sending === 'live' ? `Due ${when}` : `If you went live: what would go ${when}`;
  const total = planned.emails + planned.tasks + planned.flags;
  return html`<section class="card" aria-labelledby="planned"><h2 id="planned">${heading}</h2>
  ${
    total === 0
      ? html`<p class="empty">Nothing is due today for any customer.</p>`
      : html`<p>${planned.emails} email${planned.emails === 1 ? '' : 's'}, ${planned.tasks} task${planned.tasks === 1 ? '' : 's'} for you and ${planned.flags} suggestion${planned.flags === 1 ? '' : 's'} to review, across ${planned.debtors} customers who owe you.</p>
  <ul>${planned.actions.map(
    (action) =>
      html`<li><strong>${action.customerName}</strong>: ${action.kind === 'email' ? `${stepLabel(action.stepKey)} to ${action.to.join(', ')}` : action.kind === 'task' ? `a task for you, ${stepLabel(action.stepKey)}` : `a suggestion to review, ${stepLabel(action.stepKey)}`}, ${action.invoices} invoice${action.invoices === 1 ? '' : 's'}</li>`,
  )}</ul>${total > planned.actions.length ? html`<p class="muted">…and ${total - planned.actions.length} more.</p>` : ''}`
  }
  ${data.forecastPath ? html`<p><a href="${data.forecastPath}">See the next 30 days, day by day</a></p>` : ''}
  </section>`;
}

export function goLivePage(frame: PageFrame, data: GoLivePageData): string {
  const item = (key: ChecklistKey) => data.items.find((candidate) => candidate.key === key);
  const typed = data.typed ?? {};
  const own = data.ownEmail;
  const ownHint = own ? html`<p class="hint">Your sign-in address is ${own}.</p>` : '';
  const missing = data.items.filter((entry) => entry.essential && !entry.done);
  const base = `/app/${frame.orgId}/go-live`;
  const content = html`
<h1>${data.sending === 'preview' ? 'Go live' : 'Sending'}</h1>
<p class="lede">${data.sending === 'preview' ? html`Check these, send yourself a test, then go live. Until then nothing is sent.` : html`What your customers hear, who hears back, and the switch that stops it all.`}</p>
${statusCard(frame, data)}
${syncCard(data)}
<ol class="checklist">
<li><section class="card" id="time-zone" aria-labelledby="time-zone-title">
  <h2 id="time-zone-title">${titles.timeZone} ${statePill(item('timeZone'))}</h2>
  <p><strong>${data.timeZone}</strong>. ${timeZoneOrigin(data)} Business hours, “today” and the weekly summary follow it.</p>
  <form method="post" action="${base}/time-zone">${csrfField(frame.csrfToken)}
    <label for="timeZone">Time zone</label>
    <input type="text" id="timeZone" name="timeZone" list="time-zones" value="${typed.timeZone ?? data.timeZone}" autocomplete="off"${invalid(data, 'timeZone')}>
    ${problemsOf(data, 'timeZone')}
    <datalist id="time-zones">${Intl.supportedValuesOf('timeZone').map((zone) => html`<option value="${zone}">`)}</datalist>
    <div class="actions"><button class="secondary" type="submit">${data.timeZoneConfirmed ? 'Save time zone' : 'Confirm time zone'}</button></div>
  </form>
</section></li>
<li><section class="card" id="addresses" aria-labelledby="addresses-title">
  <h2 id="addresses-title">Who hears back</h2>
  <form method="post" action="${base}/addresses">${csrfField(frame.csrfToken)}
    <label for="replyTo">${titles.replyTo} ${statePill(item('replyTo'))}</label>
    <input type="email" id="replyTo" name="replyTo" value="${typed.replyTo ?? data.replyTo ?? ''}"${invalid(data, 'replyTo')}>
    <p class="hint">Every email says “reply to this email”; replies reach this address.</p>${problemsOf(data, 'replyTo')}
    <label for="notifyEmail">${titles.disputes} ${statePill(item('disputes'))}</label>
    <input type="email" id="notifyEmail" name="notifyEmail" value="${typed.notifyEmail ?? data.notifyEmail ?? ''}"${invalid(data, 'notifyEmail')}>
    <p class="hint">A customer who disputes an invoice, asks for a plan or promises a date is paused until a person looks.</p>${problemsOf(data, 'notifyEmail')}
    <label for="summaryRecipients">${titles.summary} ${statePill(item('summary'))}</label>
    <input type="text" id="summaryRecipients" name="summaryRecipients" value="${typed.summaryRecipients ?? data.summaryRecipients.join(', ')}"${invalid(data, 'summaryRecipients')}>
    <p class="hint">Addresses separated by commas. ${data.summaryEnabled ? 'Monday mornings: what came in, what went out, what needs you.' : 'The weekly summary is switched off.'}</p>${problemsOf(data, 'summaryRecipients')}
    ${ownHint}
    <div class="actions"><button class="secondary" type="submit">Save addresses</button></div>
  </form>
</section></li>
<li><section class="card" id="schedule" aria-labelledby="schedule-title">
  <h2 id="schedule-title">${titles.schedule}</h2>
  <ul>${scheduleSummary(data.policy, data.timeZone).map((line) => html`<li>${line}</li>`)}</ul>
  <p><a href="/app/${frame.orgId}/schedule">Change the schedule</a> · <a href="/app/${frame.orgId}/templates">Change the wording</a></p>
</section></li>
<li>${plannedCard(data)}</li>
<li><section class="card" id="test-email" aria-labelledby="test-email-title">
  <h2 id="test-email-title">${titles.testEmail} ${statePill(item('testEmail'))}</h2>
  <p>A sample of the first reminder a customer gets, made with a sample customer and sent to you only${own ? html` (${own})` : ''}.${data.sending === 'live' ? '' : ' It works before going live too.'}</p>
  ${data.testEmail.lastAt ? html`<p class="muted">Last one: ${moment(data.testEmail.lastAt, data.timeZone)} to ${data.testEmail.lastTo ?? ''} (${data.testEmail.lastStatus === 'sent' ? 'sent' : data.testEmail.lastStatus === 'failed' ? 'it failed' : 'on its way'}).</p>` : ''}
  <form method="post" action="${base}/test-email">${csrfField(frame.csrfToken)}
    <div class="actions"><button class="secondary" type="submit"${data.testEmail.leftThisHour === 0 ? ' disabled' : ''}>Send me a test email</button></div>
    <p class="hint">${data.testEmail.leftThisHour} left this hour.</p>
  </form>
</section></li>
</ol>
${
  data.sending === 'preview'
    ? html`<section class="card" id="go-live" aria-labelledby="go-live-title"><h2 id="go-live-title">Go live</h2>
  ${
    missing.length > 0
      ? html`<p>First: ${missing.map((entry) => titles[entry.key].toLowerCase()).join('; ')}.</p>`
      : html`<p>Reminders start with what is due today (the list above), within business hours in each customer’s time zone. You can pause everything at any time on this page.</p>`
  }
  <form method="post" action="${base}/live">${csrfField(frame.csrfToken)}
    <div class="actions"><button type="submit"${missing.length > 0 ? ' disabled' : ''}>Go live</button></div>
  </form></section>`
    : ''
}`;
  return appPage(frame, content, { script: true });
}
