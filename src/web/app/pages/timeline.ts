import { vendors } from '../../../../connectors/vendors.js';
import { actorOf } from '../../../domain/actor.js';
import { html, type SafeHtml } from '../../../domain/html.js';
import type { TimelineEntry, TimelinePage } from '../../../timeline/timeline-entry.js';
import {
  flagKindLabels,
  flagKindsText,
  flagStatusLabels,
  labelOf,
  messageStatusLabels,
  plainWords,
  taskStatusLabels,
  writeBackStatusLabels,
} from '../../../words/labels.js';
import { moment } from './format.js';

/** Who did it, in the timeline's words: what `actorKey` stored, and the values written before it. */
export function actorLabel(stored: string): string {
  const actor = actorOf(stored);
  switch (actor.kind) {
    case 'system':
      return 'Dunwell';
    case 'debtor':
      return 'Customer';
    case 'person':
      return 'You';
    case 'vendor':
      return vendors[actor.vendor].name;
    case 'unknown':
      return actor.text;
  }
}

function details(entry: TimelineEntry, timeZone: string): SafeHtml {
  if (entry.type === 'message') {
    const message = entry.message;
    const delivery = [
      message.sentAt ? `sent ${moment(message.sentAt, timeZone)}` : null,
      message.deliveredAt ? `delivered ${moment(message.deliveredAt, timeZone)}` : null,
      message.openedAt ? `opened ${moment(message.openedAt, timeZone)}` : null,
      message.problem ? `did not arrive: ${plainWords(message.problem)}` : null,
      message.error && !message.problem ? plainWords(message.error) : null,
    ].filter((part) => part !== null);
    return html`<div class="small muted">To ${message.to.map((address) => address.email).join(', ')}${message.cc.length > 0 ? ` · CC ${message.cc.map((address) => address.email).join(', ')}` : ''} · <span class="pill">${labelOf(messageStatusLabels, message.status)}</span>${delivery.length > 0 ? ` · ${delivery.join(' · ')}` : ''}</div>
${
  message.rendered
    ? html`<details><summary>The email: ${message.subject ?? ''}</summary>
  <iframe class="preview" sandbox="" title="Email sent" srcdoc="${message.html ?? ''}"></iframe>
  <pre class="plain">${message.text ?? ''}</pre></details>`
    : html`<div class="small muted">Written when it is sent, with the balances of that moment.</div>`
}`;
  }
  if (entry.type === 'write_back') {
    const write = entry.ledgerWrite;
    return html`<div class="small muted">Write-back to your books: <span class="pill${write.status === 'failed' ? ' bad' : write.status === 'done' ? ' good' : ''}">${labelOf(writeBackStatusLabels, write.status)}</span>${write.error ? ` · ${plainWords(write.error)}` : ''}${write.outcome ? ` · ${plainWords(write.outcome)}` : ''}</div>`;
  }
  if (entry.type === 'flag' || (entry.type === 'activity' && entry.flag)) {
    const flag = entry.type === 'flag' ? entry.flag : entry.flag;
    if (!flag) return html``;
    return html`<div class="small muted">Suggestion: ${flagKindsText(flag.kinds)} · <span class="pill">${labelOf(flagStatusLabels, flag.status)}</span>${flag.decision ? ` · chosen: ${labelOf(flagKindLabels, flag.decision)}` : ''}</div>`;
  }
  if (entry.type === 'task')
    return html`<div class="small muted">Task · <span class="pill">${labelOf(taskStatusLabels, entry.task.status)}</span></div>`;
  return html``;
}

/** A debtor's or an invoice's history, newest first, each entry with who, when, what and why. */
export function timelineList(page: TimelinePage, timeZone: string, olderHref: string | null): SafeHtml {
  if (page.entries.length === 0) return html`<p class="empty">Nothing has happened here yet.</p>`;
  return html`<ol class="timeline">${page.entries.map(
    (
      entry,
    ) => html`<li data-kind="${entry.kind}"><div class="when">${moment(entry.at, timeZone)} · ${actorLabel(entry.actor)}</div>
  <div>${plainWords(entry.summary, { timeZone })}</div>
  ${entry.reason ? html`<div class="small">Why: ${plainWords(entry.reason, { timeZone })}</div>` : ''}
  ${details(entry, timeZone)}</li>`,
  )}</ol>
${page.nextCursor && olderHref ? html`<p><a class="button secondary" href="${olderHref}${encodeURIComponent(page.nextCursor)}">Older</a></p>` : ''}`;
}
