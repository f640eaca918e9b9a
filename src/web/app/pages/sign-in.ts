import { vendorIds, vendorNamesInWords, vendors } from '../../../../connectors/vendors.js';
import { html, type SafeHtml } from '../../../domain/html.js';
import { publicPage } from './layout.js';

const connectButtons = html`<div class="choices">
  ${vendorIds.map((vendor) => html`<a class="button ${vendors[vendor].buttonClass}" href="/connect/${vendor}">${vendors[vendor].connectLabel}</a>`)}
</div>`;

/** Sign in with the accounting package's own login; new businesses connect from here too. */
export function signInPage(options: { returnTo: string; notice: string | null }): string {
  const next = options.returnTo === '/app' ? '' : `?returnTo=${encodeURIComponent(options.returnTo)}`;
  return publicPage(
    'Sign in',
    html`<h1>Dunwell</h1>
<p class="lede">Polite, persistent collections for ${vendorNamesInWords('and')}.</p>
${options.notice ? html`<div class="banner info" role="status">${options.notice}</div>` : ''}
<h2>Sign in</h2>
<div class="choices">
  ${vendorIds.map((vendor) => html`<a class="button ${vendors[vendor].buttonClass}" href="/signin/${vendor}${next}">Sign in with ${vendors[vendor].loginName}</a>`)}
</div>
<h2 style="margin-top:24px">New to Dunwell?</h2>
<p class="muted">Connect your books; you will be signed in as the person who connects them.</p>
${connectButtons}`,
  );
}

/** A login the vendor vouched for, but that has never connected a company here. */
export function unknownLoginPage(vendorName: string): string {
  return publicPage(
    'No Dunwell account yet',
    html`<h1>No Dunwell account for this login yet</h1>
<p>You signed in with ${vendorName}, but this login has not connected a company to Dunwell. Connect
your books to start; it takes a minute and nothing is sent to your customers until you say so.</p>
${connectButtons}`,
  );
}

/** The QuickBooks Disconnect URL: what happened, and how to reconnect. */
export function disconnectedPage(vendorName: string, reconnectUrl: string): string {
  return publicPage(
    `Disconnected from ${vendorName}`,
    html`<h1>Dunwell is disconnected from ${vendorName}</h1>
<p>No reminders are sent and nothing is written to your books while Dunwell is disconnected. Your
settings, customers' history and notes are kept for 30 days, so reconnecting picks up where it stopped.
After 30 days they are erased.</p>
<h2>To reconnect</h2>
<ol>
  <li>Select <strong>Reconnect</strong> below.</li>
  <li>Sign in to ${vendorName} and choose the same company.</li>
  <li>Select <strong>Connect</strong> to allow Dunwell access again.</li>
</ol>
<div class="choices"><a class="button" href="${reconnectUrl}">Reconnect to ${vendorName}</a></div>`,
  );
}

/** An error a person sees in the browser (not an API client): what happened, and a way on. */
/** The error page; `startAgain` names where a flow that cannot continue begins again. */
export function errorPage(status: number, message: string, requestId: string, startAgain?: string): string {
  const title =
    status === 404
      ? 'Not found'
      : status === 403
        ? 'Not allowed'
        : status >= 500
          ? 'Something went wrong'
          : 'That did not work';
  const body: SafeHtml = html`<h1>${title}</h1>
<p>${message}</p>
<p class="muted small">Reference: ${requestId}</p>
<div class="choices">${startAgain ? html`<a class="button" href="${startAgain}">Start again</a> ` : ''}<a class="button secondary" href="/app">Back to Dunwell</a></div>`;
  return publicPage(title, body);
}
