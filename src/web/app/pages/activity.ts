import { html, raw, type SafeHtml } from '../../../domain/html.js';
import type { ActivityFilter, ActivityItem } from '../../../timeline/activity-feed.js';
import type { ActivityPageData } from '../../../timeline/activity-page.js';
import { plainWords } from '../../../words/labels.js';
import { moment, money } from './format.js';
import { appPage, csrfField, type PageFrame } from './layout.js';
import { actorLabel } from './timeline.js';

const filterLabels: Record<ActivityFilter, string> = {
  all: 'Everything',
  debtors: 'What customers did',
  disputes: 'Disputes',
  promises: 'Promises',
  plans: 'Payment plans',
  payments: 'Payments',
  visits: 'Page visits',
  reminders: 'Reminders',
  suggestions: 'Suggestions',
  tasks: 'Tasks',
};

const kindLabels: Record<string, string> = {
  dispute: 'Dispute',
  promise: 'Promise',
  plan: 'Payment plan',
  payment: 'Payment',
  portal: 'Page visit',
  reminder: 'Reminder',
  email: 'Email',
  flag: 'Suggestion',
  settlement: 'Settlement',
  invoice: 'Invoice',
  task: 'Task',
};

/** A feed item's kind in a word or two ("dispute.opened" → "Dispute"). */
export const kindLabel = (kind: string) => kindLabels[kind.split('.')[0] ?? ''] ?? 'Other';

/** One line of the feed: when, who, what; a payment says how much. */
export function activityLine(item: ActivityItem, orgId: string, timeZone: string, locale: string): SafeHtml {
  const what = item.amount
    ? `Paid ${money(item.amount, locale)}`
    : plainWords(item.summary, { locale, timeZone });
  const customer = item.customerId
    ? html`<a href="/app/${orgId}/customers/${item.customerId}">${item.customerName ?? 'A customer'}</a>`
    : html`<span class="muted">Your organisation</span>`;
  return html`<li class="activity-item"><span class="pill">${kindLabel(item.kind)}</span>
  <div><div>${customer} · <span>${what}</span></div>
  <div class="small muted"><time datetime="${item.at.toISOString()}">${moment(item.at, timeZone, locale)}</time> · ${actorLabel(item.actor)}</div></div></li>`;
}

/** The feed's own few rules (the shared style sheet has none for it). */
export const activityStyles = raw(`<style>
.chips{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 12px}
.chip{border:1px solid #d0d4cc;border-radius:999px;padding:4px 10px;text-decoration:none;font-size:14px}
.chip[aria-current=page]{background:#1f2328;color:#fff;border-color:#1f2328}
ul.activity{list-style:none;margin:0;padding:0}
.activity-item{display:flex;gap:10px;align-items:flex-start;padding:8px 0;border-top:1px solid #eceee9}
.activity-item:first-child{border-top:0}
.activity-item .pill{flex:0 0 auto;min-width:96px;text-align:center}
</style>`);

export function activityPageView(frame: PageFrame, data: ActivityPageData): string {
  const base = `/app/${frame.orgId}/activity`;
  const filters = (Object.keys(filterLabels) as ActivityFilter[]).map(
    (filter) =>
      html`<a class="chip" href="${base}?kind=${filter}"${filter === data.filter ? html` aria-current="page"` : ''}>${filterLabels[filter]}</a>`,
  );
  const { items, nextCursor } = data.feed;
  const content = html`${activityStyles}<h1>Activity</h1>
<p class="lede">Everything that happened across your customers, newest first: what they did on their pages, what Dunwell sent, and what you decided.</p>
<nav class="chips" aria-label="Show">${filters}</nav>
<section class="card" aria-label="Activity">
${
  items.length === 0
    ? html`<p class="empty">Nothing here yet.</p>`
    : html`<ul class="activity">${items.map((item) => activityLine(item, frame.orgId, data.timeZone, data.locale))}</ul>`
}
${nextCursor ? html`<p><a class="button secondary small" href="${base}?kind=${data.filter}&amp;before=${nextCursor}">Older</a></p>` : ''}
</section>
<section class="card" aria-labelledby="hearing">
  <h2 id="hearing">How you hear about it</h2>
  <p>When a customer disputes, promises a date, asks for a payment plan or sets one up, ${
    data.hearing.email
      ? html`<strong>${data.hearing.email}</strong> gets one email gathering what happened, at most every few minutes, never one per event.`
      : html`nobody gets an email yet: <a href="/app/${frame.orgId}/templates#details">choose who hears about disputes</a>.`
  }</p>
  <form method="post" action="${base}/slack">${csrfField(frame.csrfToken)}
    <label for="slackWebhookUrl">Slack incoming webhook ${data.hearing.slack ? html`<span class="pill good">set</span>` : ''}</label>
    <input type="url" id="slackWebhookUrl" name="slackWebhookUrl" placeholder="https://hooks.slack.com/services/…" maxlength="500" autocomplete="off">
    <p class="hint">The same digest, posted to a Slack channel: customers’ names and amounts only. ${data.hearing.slack ? 'Leave it empty and save to stop posting.' : ''}</p>
    <button type="submit">Save</button>
  </form>
</section>`;
  return appPage(frame, content);
}
