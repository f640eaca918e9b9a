import { vendorIds, vendors } from '../../../../connectors/vendors.js';
import type { ConnectionSummary } from '../../../connections/list-connections.js';
import { html } from '../../../domain/html.js';
import { connectionProblems } from './dashboard.js';
import { moment } from './format.js';
import { appPage, csrfField, type PageFrame } from './layout.js';
import { syncProgressText } from './sync-progress.js';

const statusLabels = {
  active: html`<span class="pill good">Connected</span>`,
  needs_reauth: html`<span class="pill warn">Needs reconnecting</span>`,
  disconnected: html`<span class="pill bad">Disconnected</span>`,
};

export interface ConnectionPageData {
  organisationName: string;
  timeZone: string;
  connections: ConnectionSummary[];
  /** Set when a delete was asked for with the wrong confirmation. */
  deleteProblem?: string;
}

export function connectionPage(frame: PageFrame, data: ConnectionPageData): string {
  const content = html`
${connectionProblems(data.connections, frame.orgId)}
<h1>Connection &amp; data</h1>
<p class="lede">Which books Dunwell reads and writes, and what happens to your data.</p>
${data.connections.map((connection) => {
  const progress = connection.syncProgress;
  return html`<section class="card" aria-label="${connection.companyName ?? 'Connection'}">
  <h2>${connection.companyName ?? 'Your company'} ${statusLabels[connection.status]}</h2>
  <dl class="facts">
    <dt>Accounting package</dt><dd>${vendors[connection.vendor].productName}</dd>
    <dt>Last sync</dt><dd>${moment(connection.lastSyncedAt, data.timeZone)}</dd>
    ${progress || connection.status === 'active' ? html`<dt>Sync</dt><dd>${syncProgressText(connection)}</dd>` : ''}
    ${connection.problem ? html`<dt>Problem</dt><dd>${connection.problem}</dd>` : ''}
  </dl>
  <div class="actions">
    ${
      connection.status === 'active'
        ? html`<form method="post" action="/app/${frame.orgId}/connection/${connection.id}/disconnect">${csrfField(frame.csrfToken)}
        <button class="secondary" type="submit">Disconnect</button></form>`
        : html`<a class="button" href="/connect/${connection.vendor}">Reconnect</a>`
    }
  </div>
  </section>`;
})}
<section class="card" aria-labelledby="another"><h2 id="another">Another company</h2>
<p>Each company you connect gets its own settings and customers; switch between them at the top of the page.</p>
<div class="actions">${vendorIds.map((vendor) => html`<a class="button secondary" href="/connect/${vendor}">Connect to ${vendors[vendor].name}</a>`)}</div></section>
<section class="card" aria-labelledby="data">
  <h2 id="data">Your data</h2>
  <p>Disconnecting stops all reminders and write-backs at once. Your settings and your customers’ history
  are kept for 30 days, so reconnecting picks up where it stopped; after 30 days they are erased.</p>
  <h3>Delete all our data now</h3>
  <p>This erases ${data.organisationName}’s customers, invoices, history, settings and templates from
  Dunwell at once and disconnects your books. It cannot be undone. Notes already written to your books stay there.</p>
  <form method="post" action="/app/${frame.orgId}/data/delete">${csrfField(frame.csrfToken)}
    <label for="confirm-name">Type the organisation’s name, <strong>${data.organisationName}</strong>, to confirm</label>
    <input type="text" id="confirm-name" name="confirmName" autocomplete="off"${data.deleteProblem ? html` aria-invalid="true" aria-describedby="confirm-problem"` : ''}>
    ${data.deleteProblem ? html`<p class="field-error" id="confirm-problem">${data.deleteProblem}</p>` : ''}
    <div class="actions"><button class="danger" type="submit">Delete all our data</button></div>
  </form>
</section>`;
  return appPage(frame, content, { script: true });
}
