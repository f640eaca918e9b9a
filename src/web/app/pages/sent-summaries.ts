import { html } from '../../../domain/html.js';
import type { SentSummariesPage, SentSummary } from '../../../reports/sent-summaries.js';
import { appPage, type PageFrame } from './layout.js';

/** The weekly summaries the organisation was sent, newest first, and the weeks that were missed. */
export function sentSummariesPage(frame: PageFrame, data: SentSummariesPage): string {
  const base = `/app/${frame.orgId}/weekly-summary`;
  const rows = data.rows.map(
    (row) =>
      html`<tr><td>${row.id ? html`<a href="${base}/sent/${row.id}">${row.week ?? 'Test copy'}</a>` : (row.week ?? '')}${row.test ? html` <span class="muted">(test copy from “Send now”)</span>` : ''}</td><td>${row.when}</td><td>${row.status === 'missed' ? 'Missed: not sent on its day (Dunwell was not running then); the next one goes on its own day' : row.status}</td><td>${row.to}</td></tr>`,
  );
  const content = html`<h1>Sent weekly summaries</h1>
<p class="lede">Every weekly summary that went out, exactly as it was sent. <a href="${base}">Change when it goes and to whom</a>.</p>
${
  data.rows.length === 0
    ? html`<p>No weekly summary has been sent yet. The first goes on the chosen day once Dunwell has been with you for a whole week.</p>`
    : html`<table><thead><tr><th>Summary</th><th>When</th><th>State</th><th>To</th></tr></thead><tbody>${rows}</tbody></table>`
}`;
  return appPage(frame, content);
}

/** One sent summary, as it went: subject, recipient, and its HTML and plain text. */
export function sentSummaryPage(frame: PageFrame, summary: SentSummary): string {
  const content = html`<p><a href="/app/${frame.orgId}/weekly-summary/sent">All sent summaries</a></p>
<h1>${summary.week ?? 'Test copy of the weekly summary'}</h1>
<dl class="details">
<dt>Subject</dt><dd>${summary.subject}</dd>
<dt>To</dt><dd>${summary.to}</dd>
<dt>When</dt><dd>${summary.when}</dd>
<dt>State</dt><dd>${summary.status}</dd>
</dl>
<section class="card" aria-labelledby="as-sent"><h2 id="as-sent">As it was sent</h2>
<iframe class="preview" sandbox="" title="The weekly summary as sent" srcdoc="${summary.html}"></iframe>
<details><summary>Plain text</summary><pre class="plain">${summary.text}</pre></details>
</section>`;
  return appPage(frame, content);
}
