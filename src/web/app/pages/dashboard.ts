import type { ConnectionSummary } from '../../../connections/list-connections.js';
import { html, type SafeHtml } from '../../../domain/html.js';
import { countOf } from '../../../domain/plural.js';
import type { CollectedFigures } from '../../../reports/collected-between.js';
import type { Dashboard } from '../../../reports/dashboard.js';
import { activityLine, activityStyles } from './activity.js';
import { date, moment, money, moneyList } from './format.js';
import { appPage, type PageFrame } from './layout.js';

const toneWords: Record<string, string> = {
  friendly: 'Friendly reminder',
  neutral: 'Reminder',
  firm: 'Firm reminder',
  formal: 'Formal demand',
  final: 'Final notice',
};

const bucketLabels: Record<string, string> = {
  current: 'Not yet due',
  '1-30': '1–30 days',
  '31-60': '31–60 days',
  '61-90': '61–90 days',
  '90+': 'Over 90 days',
};

/** A problem with the books' connection, at the top of every dashboard until it is fixed. */
export function connectionProblems(connections: ConnectionSummary[], orgId: string): SafeHtml {
  const broken = connections.filter((connection) => connection.status !== 'active');
  const failing = connections.filter(
    (connection) => connection.status === 'active' && connection.syncProgress?.phase === 'failed',
  );
  return html`${broken.map(
    (connection) => html`<div class="banner problem" role="alert"><strong>${
      connection.status === 'needs_reauth'
        ? `${connection.companyName ?? 'Your company'} needs reconnecting.`
        : `${connection.companyName ?? 'Your company'} is disconnected.`
    }</strong> Nothing is sent or written to your books until it is reconnected.
    <a class="button small" href="/connect/${connection.vendor}">Reconnect</a></div>`,
  )}${failing.map(
    () => html`<div class="banner problem" role="alert"><strong>The last sync failed.</strong> Figures may be out of date.
    <a href="/app/${orgId}/connection">See the connection</a></div>`,
  )}`;
}

export function dashboardPage(frame: PageFrame, data: Dashboard): string {
  const home = data.overdue.currencies[0];
  const others = data.overdue.currencies.slice(1).filter((entry) => entry.openMinor > 0);
  const amount = (amountMinor: number, currency: string) => money({ amountMinor, currency }, data.locale);
  const largestBucket = Math.max(1, ...(home?.buckets.map((bucket) => bucket.balanceMinor) ?? [1]));
  const collected = (figures: CollectedFigures) =>
    moneyList(
      figures.currencies.map((entry) => ({ amountMinor: entry.amountMinor, currency: entry.currency })),
      data.locale,
    );
  const stat = (label: string, value: string, sub: string | SafeHtml = '') =>
    html`<div class="stat"><div class="label">${label}</div><div class="value">${value}</div><div class="sub">${sub}</div></div>`;

  const review = `/app/${frame.orgId}/review`;
  const content = html`${activityStyles}
${connectionProblems(data.connections, frame.orgId)}
<h1>Dashboard</h1>
<p class="lede">Where your money is, as of ${date(data.overdue.today, data.locale)}.</p>
<div class="banner ${data.decisions > 0 ? 'info' : 'ok'}" id="decisions"><strong>${
    data.decisions === 0
      ? 'Nothing needs a decision.'
      : `${data.decisions} ${data.decisions === 1 ? 'thing needs' : 'things need'} a decision.`
  }</strong> ${data.decisions > 0 ? html`<a class="button small" href="${review}">Review</a>` : ''}</div>
<div class="grid">
  ${stat('Total overdue', home ? amount(home.overdueMinor, home.currency) : '—', home ? `${home.overdueInvoices} invoices` : '')}
  ${stat('Open receivables', home ? amount(home.openMinor, home.currency) : '—', home ? `${home.openInvoices} invoices` : '')}
  ${stat('DSO', data.dso.days === null ? '—' : `${data.dso.days} days`, `over the last ${data.dso.windowDays} days`)}
  ${stat('Collected this week', collected(data.collectedWeek), `since ${date(data.collectedWeek.from, data.locale)}`)}
  ${stat('Collected this month', collected(data.collectedMonth), `since ${date(data.collectedMonth.from, data.locale)}`)}
  ${stat('Promises due', String(data.promisesDue.length), 'in the next 7 days')}
</div>
${others.length > 0 ? html`<p class="muted small">Also owed in other currencies: ${others.map((entry) => `${amount(entry.overdueMinor, entry.currency)} overdue of ${amount(entry.openMinor, entry.currency)}`).join('; ')}. They are not converted.</p>` : ''}
<div class="split">
<section class="card" aria-labelledby="aging">
  <h2 id="aging">Aging${home ? ` (${home.currency})` : ''}</h2>
  <div class="bars" role="table" aria-label="Open balance by days past due">
  ${(home?.buckets ?? []).map((bucket, index) => {
    const width = Math.round((bucket.balanceMinor / largestBucket) * 100);
    const tone = index >= 3 ? 'later' : index >= 1 ? 'late' : '';
    return html`<div class="bar" role="row"><span role="rowheader">${bucketLabels[bucket.key] ?? bucket.key}</span>
      <span class="track" role="presentation"><span class="fill ${tone}" style="width:${width}%;display:block"></span></span>
      <span class="num" role="cell">${amount(bucket.balanceMinor, home?.currency ?? 'USD')} <span class="muted small">(${bucket.invoices})</span></span></div>`;
  })}
  </div>
</section>
<section class="card" aria-labelledby="largest">
  <h2 id="largest">Largest overdue</h2>
  ${
    data.largest.debtors.length === 0
      ? html`<p class="empty">Nobody owes you anything overdue. Lovely.</p>`
      : html`<div class="table-wrap"><table><thead><tr><th>Customer</th><th class="num">Overdue</th><th class="num">Oldest</th></tr></thead><tbody>
    ${data.largest.debtors.map(
      (
        debtor,
      ) => html`<tr><td><a href="/app/${frame.orgId}/customers/${debtor.customerId}">${debtor.name}</a></td>
      <td class="num">${amount(debtor.overdueMinor, data.largest.currency)}</td><td class="num">${countOf(debtor.oldestDaysOverdue, 'day')}</td></tr>`,
    )}</tbody></table></div>`
  }
</section>
</div>
<div class="split">
<section class="card" aria-labelledby="next-sends">
  <h2 id="next-sends">What goes out next</h2>
  ${
    data.nextSends.length === 0
      ? html`<p class="empty">Nothing is queued to go out.</p>`
      : html`<div class="table-wrap"><table><thead><tr><th>When</th><th>To</th><th>What</th></tr></thead><tbody>
    ${data.nextSends.map(
      (
        send,
      ) => html`<tr><td>${send.due ? 'With the next delivery run' : moment(send.sendAfter, data.timeZone, data.locale)}</td>
      <td>${send.customerId ? html`<a href="/app/${frame.orgId}/customers/${send.customerId}">${send.customerName ?? ''}</a>` : 'You'}</td>
      <td>${send.subject ?? (send.tone ? (toneWords[send.tone] ?? 'Reminder') : 'Email')}</td></tr>`,
    )}</tbody></table></div>`
  }
</section>
<section class="card" aria-labelledby="lately">
  <h2 id="lately">What customers did lately</h2>
  ${
    data.lately.length === 0
      ? html`<p class="empty">No disputes, promises, plans, payments or page visits yet.</p>`
      : html`<ul class="activity">${data.lately.map((item) => activityLine(item, frame.orgId, data.timeZone, data.locale))}</ul>`
  }
  <p><a href="/app/${frame.orgId}/activity">All activity</a></p>
</section>
</div>
<section class="card" aria-labelledby="promises">
  <h2 id="promises">Promises due in the next 7 days</h2>
  ${
    data.promisesDue.length === 0
      ? html`<p class="empty">No promises fall due this week.</p>`
      : html`<div class="table-wrap"><table><thead><tr><th>Customer</th><th>Promised for</th><th class="num">Owed</th></tr></thead><tbody>
    ${data.promisesDue.map(
      (
        promise,
      ) => html`<tr><td><a href="/app/${frame.orgId}/customers/${promise.customerId}">${promise.customerName}</a></td>
      <td>${date(promise.promisedDate, data.locale)}</td><td class="num">${moneyList(promise.owed, data.locale)}</td></tr>`,
    )}</tbody></table></div>`
  }
</section>`;
  return appPage(frame, content);
}
