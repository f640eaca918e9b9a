import { html } from '../../../domain/html.js';
import type { WeeklySummaryPage } from '../../../reports/weekly-summary-page.js';
import { appPage, csrfField, type PageFrame } from './layout.js';

const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export type SummaryPageData = WeeklySummaryPage & {
  /** Typed values and their problems when a save was refused. */
  form?: { values: Record<string, string>; problems: string[] };
};

/** The weekly summary's settings: when, to whom, a preview of this week's, and send-now. */
export function weeklySummaryPage(frame: PageFrame, data: SummaryPageData): string {
  const typed = data.form?.values;
  const base = `/app/${frame.orgId}/weekly-summary`;
  const enabled = typed ? typed['enabled'] !== undefined && typed['enabled'] !== '' : data.settings.enabled;
  const weekday = Number(typed?.['weekday'] ?? data.settings.weekday);
  const hour = typed?.['hour'] ?? String(data.settings.hour);
  const recipients = typed?.['recipients'] ?? data.settings.recipients.join('\n');
  const content = html`<h1>Weekly summary</h1>
<p class="lede">One email a week with what came in, what is overdue and what needs you. It goes to ${data.audience.length > 0 ? data.audience.join(', ') : 'nobody yet: add a recipient'}. <a href="${base}/sent">See the summaries sent so far</a>.</p>
<div class="split">
<section class="card" aria-labelledby="when"><h2 id="when">When and to whom</h2>
${data.form && data.form.problems.length > 0 ? html`<div class="banner problem" role="alert"><strong>Nothing was saved.</strong><ul>${data.form.problems.map((problem) => html`<li>${problem}</li>`)}</ul></div>` : ''}
<form method="post" action="${base}" novalidate>${csrfField(frame.csrfToken)}
<label class="check"><input type="checkbox" name="enabled"${enabled ? ' checked' : ''}> Send the weekly summary</label>
<div class="row">
<div><label for="weekday">Day</label><select id="weekday" name="weekday">${weekdays.map((name, index) => html`<option value="${index + 1}"${weekday === index + 1 ? ' selected' : ''}>${name}</option>`)}</select></div>
<div><label for="hour">Hour (0–23, ${data.timeZone})</label><input type="number" id="hour" name="hour" value="${hour}" min="0" max="23"></div>
</div>
<label for="recipients">Recipients (one address a line; empty: your notify or contact address)</label>
<textarea id="recipients" name="recipients" rows="4">${recipients}</textarea>
${data.settings.unsubscribed.length > 0 ? html`<p class="hint">Unsubscribed with the link in a summary: ${data.settings.unsubscribed.join(', ')}. Only they can subscribe again, from that link.</p>` : ''}
<div class="actions"><button type="submit">Save</button></div>
</form>
<form method="post" action="${base}/send-now" class="actions">${csrfField(frame.csrfToken)}
<button class="secondary" type="submit"${data.sendNow.to.length === 0 ? ' disabled' : ''}>Send this week’s now (for testing)</button>
</form>
<p class="hint" id="send-now-hint">${
    data.sendNow.to.length > 0
      ? `“Send now” goes to ${data.sendNow.to.join(', ')} only: the recipients who sign in to Dunwell for this organisation. At most ${data.sendNow.perHour} times an hour.`
      : `“Send now” goes only to recipients who sign in to Dunwell for this organisation${data.sendNow.verified.length > 0 ? ` (${data.sendNow.verified.join(', ')})` : ''}, and none of them is a recipient yet.`
  } The weekly summary itself goes to every recipient above, each with a link to unsubscribe.</p>
</section>
<section class="card" aria-labelledby="preview"><h2 id="preview">This week’s, as it would go now</h2>
<p><strong>Subject:</strong> ${data.preview.subject}</p>
<iframe class="preview" sandbox="" title="Weekly summary preview" srcdoc="${data.preview.html}"></iframe>
<details><summary>Plain text</summary><pre class="plain">${data.preview.text}</pre></details>
</section>
</div>`;
  return appPage(frame, content);
}
