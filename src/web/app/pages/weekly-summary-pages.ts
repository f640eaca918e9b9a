import { html } from '../../../domain/html.js';
import { publicPage } from './layout.js';

/** The pages the weekly summary's signed links open (no sign-in needed to unsubscribe). */

export type UnsubscribeState = 'confirm' | 'unsubscribed' | 'resubscribed' | 'not_on_list';

export function unsubscribePage(
  organisationName: string,
  email: string | null,
  state: UnsubscribeState,
  action: string,
): string {
  const form = (value: 'unsubscribe' | 'resubscribe', label: string, kind = '') =>
    html`<form method="post" action="${action}" class="choices"><input type="hidden" name="action" value="${value}"><button type="submit"${kind ? html` class="${kind}"` : ''}>${label}</button></form>`;
  switch (state) {
    case 'confirm':
      return publicPage(
        'Weekly summary',
        html`<h1>Stop the weekly summary?</h1>
<p>${email} gets a weekly email about ${organisationName}’s collections from Dunwell. You can stop it here; nothing else changes.</p>
${form('unsubscribe', 'Stop the weekly summary')}`,
      );
    case 'unsubscribed':
      return publicPage(
        'Unsubscribed',
        html`<h1>You are unsubscribed</h1>
<p>${email} will not get ${organisationName}’s weekly summary any more. Reminders to customers and everything else go on as before.</p>
<p class="muted">Clicked by mistake?</p>
${form('resubscribe', 'Subscribe again', 'secondary')}`,
      );
    case 'resubscribed':
      return publicPage(
        'Subscribed again',
        html`<h1>Welcome back</h1>
<p>${email} will get ${organisationName}’s weekly summary again, from the next one.</p>`,
      );
    case 'not_on_list':
      return publicPage(
        'Weekly summary',
        html`<h1>Not on the list</h1>
<p>This address is no longer among the recipients of ${organisationName}’s weekly summary, so there is nothing to stop. Someone at ${organisationName} can change the recipients in Dunwell.</p>`,
      );
  }
}

export function summaryLinkProblemPage(reason: 'invalid' | 'expired' | 'gone'): string {
  switch (reason) {
    case 'expired':
      return publicPage(
        'Link expired',
        html`<h1>This link has expired</h1>
<p>Links to the review queue in a weekly summary work for 60 days. Open Dunwell to see what is waiting for you.</p>
<div class="choices"><a class="button" href="/app">Open Dunwell</a></div>`,
      );
    case 'gone':
      return publicPage(
        'No more summaries',
        html`<h1>No more summaries will come</h1>
<p>This organisation no longer uses Dunwell, so there is nothing to unsubscribe from.</p>`,
      );
    case 'invalid':
      return publicPage(
        'Link not valid',
        html`<h1>This link is not valid</h1>
<p>It may have been cut short or changed on the way. Use the link in the email as it is, or open Dunwell.</p>
<div class="choices"><a class="button secondary" href="/app">Open Dunwell</a></div>`,
      );
  }
}
