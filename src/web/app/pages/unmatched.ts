import { html, type SafeHtml } from '../../../domain/html.js';
import type { UnmatchedMessage } from '../../../replies/unmatched-messages.js';
import type { UnmatchedPageData } from '../../../replies/unmatched-page.js';
import { moment } from './format.js';
import { appPage, csrfField, type PageFrame } from './layout.js';

/** One message: when, from whom, what it says (as text: nothing of the email's markup is rendered), and the choice. */
function messageCard(frame: PageFrame, data: UnmatchedPageData, message: UnmatchedMessage): SafeHtml {
  const key = `${message.kind}:${message.id}`;
  const what = message.kind === 'email' ? 'Email' : 'Text';
  const likelyIds = new Set(message.likely.map((customer) => customer.id));
  const others = data.choices.customers.filter((customer) => !likelyIds.has(customer.id));
  return html`<article class="card" aria-label="${what} from ${message.from}">
  <div class="small muted"><span class="pill">${what}</span> from <strong>${message.from}</strong> · <time datetime="${message.receivedAt.toISOString()}">${moment(message.receivedAt, data.timeZone, data.locale)}</time></div>
  ${message.subject ? html`<h3 style="margin:6px 0">${message.subject}</h3>` : ''}
  ${message.excerpt ? html`<blockquote style="white-space:pre-wrap">${message.excerpt}</blockquote>` : html`<p class="muted">(nothing written)</p>`}
  <form method="post" action="/app/${frame.orgId}/unmatched">${csrfField(frame.csrfToken)}
  <input type="hidden" name="message" value="${key}">
  ${
    message.likely.length > 0
      ? html`<div class="actions">${message.likely.map(
          (customer) =>
            html`<button type="submit" name="act" value="likely:${customer.id}">This is from ${customer.name}</button>`,
        )}</div>`
      : ''
  }
  <div class="row" style="align-items:flex-end">
    <div><label for="customer-${message.id}">${message.likely.length > 0 ? 'Or another customer' : 'This is from'}</label>
    <select id="customer-${message.id}" name="customerId">
      <option value="">Choose a customer…</option>
      ${others.map((customer) => html`<option value="${customer.id}">${customer.name}</option>`)}
    </select></div>
    <div class="actions"><button type="submit" name="act" value="assign">Record as their reply</button>
    <button class="secondary" type="submit" name="act" value="dismiss">Dismiss</button></div>
  </div>
  </form>
</article>`;
}

export function unmatchedPageView(frame: PageFrame, data: UnmatchedPageData): string {
  const count = data.messages.length;
  const content = html`<h1>Unmatched messages</h1>
<p class="lede">${
    count === 0
      ? 'Nothing waits here. Emails and texts Dunwell could not tie to a customer appear here when they are yours.'
      : `${count} ${count === 1 ? 'message' : 'messages'} Dunwell could not tie to a customer. Say whose each is, and it becomes their reply: on their timeline, and their chasing waits until you read it in Review.`
  }</p>
<p class="small muted">Shown: emails to your reply addresses that name no reminder (or a tampered one) from an address only your customers hold, and texts to numbers you texted that no customer holds now. An email nobody can tell is yours is shown to no one.</p>
${
  count === 0
    ? ''
    : html`<form method="get" action="/app/${frame.orgId}/unmatched" class="row" role="search" aria-label="Find a customer">
  <div><label for="unmatched-search">Find a customer (name or email)</label>
  <input type="search" id="unmatched-search" name="q" value="${data.search}" maxlength="100"></div>
  <div class="actions"><button class="secondary" type="submit">Find</button></div>
</form>
${data.choices.more ? html`<p class="small muted">More customers match than a list can hold: search to narrow it.</p>` : ''}
${data.messages.map((message) => messageCard(frame, data, message))}`
}`;
  return appPage(frame, content);
}
