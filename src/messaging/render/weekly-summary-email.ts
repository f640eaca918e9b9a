import { html, type SafeHtml } from '../../domain/html.js';
import type { AgingBucketKey } from '../../reports/overdue-figures.js';
import type { WeeklySummary } from '../../reports/weekly-summary.js';
import {
  bucketLabels,
  change,
  cheerfulLine,
  connectionProblemText,
  decisionsWaiting,
  type Format,
  flagAdvice,
  flagLine,
  formatter,
  oneLine,
  type SummaryEmailLinks,
  summarySubject,
} from './weekly-summary-format.js';
import { summaryText } from './weekly-summary-text.js';

export type { SummaryEmailLinks };

export interface RenderedSummary {
  subject: string;
  html: string;
  text: string;
}

// Email clients ignore style sheets unevenly: every style is inline, the layout is tables.
const font = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
const ink = '#1f2328';
const muted = '#5f6368';
const rule = '#e6e7e3';
const good = '#1e7b4d';
const bad = '#b3261e';
const bucketColours: Record<AgingBucketKey, string> = {
  current: '#a9c4de',
  '1-30': '#f2c14e',
  '31-60': '#ee9444',
  '61-90': '#dd6337',
  '90+': '#b3261e',
};

const heading = (text: string) =>
  html`<h2 style="${font}margin:0 0 12px;font-size:17px;line-height:1.3;color:${ink};">${text}</h2>`;

function button(href: string, label: string, colour: string): SafeHtml {
  return html`<table role="presentation" cellpadding="0" cellspacing="0" style="margin:14px 0 0;"><tr><td style="border-radius:6px;background:${colour};"><a href="${href}" style="${font}display:inline-block;padding:11px 20px;font-size:15px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px;">${label}</a></td></tr></table>`;
}

function section(content: SafeHtml, options: { top?: boolean } = {}): SafeHtml {
  return html`<tr><td class="px" style="padding:${options.top ? '4px' : '22px'} 28px 22px;border-top:${options.top ? '0' : `1px solid ${rule}`};">${content}</td></tr>`;
}

function problems(summary: WeeklySummary, links: SummaryEmailLinks): SafeHtml {
  if (summary.connectionProblems.length === 0) return html``;
  const reconnect = summary.connectionProblems.some((problem) => problem.kind !== 'sync_failing');
  return html`<tr><td class="px" style="padding:4px 28px 8px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#fdecea;border:1px solid #f4c7c3;border-radius:8px;"><tr><td style="${font}padding:14px 16px;font-size:15px;line-height:1.5;color:${ink};">
${summary.connectionProblems.map((problem) => {
  const text = connectionProblemText(problem);
  return html`<p style="margin:0 0 6px;"><strong style="color:${bad};">${text.headline}</strong> ${text.detail}</p>`;
})}
${button(links.connectionUrl, reconnect ? 'Reconnect your books' : 'See the connection', bad)}
</td></tr></table></td></tr>`;
}

function tile(label: string, value: string, sub: SafeHtml | string): SafeHtml {
  // The cell itself is the tile (cells of a row share their height); the white border is the gutter.
  return html`<td width="50%" valign="top" style="${font}padding:14px 14px 13px;background:#f5f6f2;border:6px solid #ffffff;border-radius:14px;">
<div style="font-size:13px;line-height:1.3;color:${muted};">${label}</div>
<div style="font-size:22px;line-height:1.25;font-weight:700;color:${ink};padding:4px 0 3px;">${value}</div>
<div style="font-size:13px;line-height:1.4;color:${muted};">${sub}</div>
</td>`;
}

function coloured(text: string, better: boolean | null): SafeHtml {
  return better === null
    ? html`${text}`
    : html`<span style="color:${better ? good : bad};font-weight:600;">${text}</span>`;
}

function tiles(summary: WeeklySummary, format: Format, links: SummaryEmailLinks): SafeHtml {
  const currency = summary.organisation.currency;
  const thisWeek = summary.collected.thisWeek.find((entry) => entry.currency === currency)?.amountMinor ?? 0;
  const lastWeek = summary.collected.lastWeek.find((entry) => entry.currency === currency)?.amountMinor ?? 0;
  const collectedElsewhere = summary.collected.thisWeek.filter(
    (entry) => entry.currency !== currency && entry.amountMinor !== 0,
  );
  const overdue = summary.overdue.currencies[0];
  const overdueChange = overdue ? overdue.nowMinor - overdue.weekAgoMinor : 0;
  const waiting = decisionsWaiting(summary);
  return html`<tr><td class="tiles" style="padding:8px 22px 16px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="table-layout:fixed;">
<tr>
${tile(
  'Collected this week',
  format.home(thisWeek),
  html`${coloured(change(format, currency, thisWeek, lastWeek), thisWeek === lastWeek ? null : thisWeek > lastWeek)} vs last week (${format.home(lastWeek)})${collectedElsewhere.length > 0 ? html`<br>plus ${collectedElsewhere.map((entry) => format.money(entry)).join(' + ')}` : ''}`,
)}
${tile(
  'Total overdue',
  format.home(overdue?.nowMinor ?? 0),
  html`${coloured(change(format, currency, overdue?.nowMinor ?? 0, overdue?.weekAgoMinor ?? 0), overdueChange === 0 ? null : overdueChange < 0)} vs 7 days ago · ${format.count(overdue?.nowInvoices ?? 0, 'invoice')}`,
)}
</tr>
<tr>
${tile(
  'Days sales outstanding',
  summary.dso.days === null ? '—' : `${summary.dso.days.toLocaleString(summary.organisation.locale)} days`,
  `over the last ${summary.dso.windowDays} days`,
)}
${tile(
  'Waiting for you',
  waiting === 0 ? 'Nothing' : format.count(waiting, 'decision'),
  waiting === 0
    ? 'no recommendation to approve'
    : html`<a href="${links.reviewUrl}" style="color:${summary.organisation.brandColour};font-weight:600;">Review now</a>`,
)}
</tr>
</table></td></tr>`;
}

function decisions(summary: WeeklySummary, format: Format, links: SummaryEmailLinks): SafeHtml {
  const { flags, waiting } = summary;
  const others = [
    ...(waiting.plans > 0 ? [format.count(waiting.plans, 'payment plan')] : []),
    ...(waiting.messages > 0 ? [format.count(waiting.messages, 'message')] : []),
  ];
  if (flags.total === 0 && others.length === 0) return html``;
  const more = flags.total - flags.shown.length;
  return section(html`${heading(flags.total > 0 ? 'Waiting for your decision' : 'Waiting for your approval')}
${flags.shown.map((flag) => {
  const advice = flagAdvice(flag);
  return html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:0 0 10px;border-left:3px solid ${summary.organisation.brandColour};"><tr><td style="${font}padding:2px 0 2px 12px;font-size:15px;line-height:1.45;color:${ink};">
<strong>${oneLine(flag.customerName)}</strong><br><span style="color:${muted};font-size:13px;">${flagLine(format, flag)}</span>${advice ? html`<br><span style="font-size:14px;">${advice}</span>` : ''}
</td></tr></table>`;
})}
${more > 0 ? html`<p style="${font}margin:0 0 6px;font-size:14px;color:${muted};">and ${format.count(more, 'more flag')}.</p>` : ''}
${others.length > 0 ? html`<p style="${font}margin:0 0 6px;font-size:14px;color:${muted};">Also waiting for approval: ${others.join(' and ')}.</p>` : ''}
${button(links.reviewUrl, `Review ${format.count(decisionsWaiting(summary), 'decision')}`, summary.organisation.brandColour)}`);
}

function aging(summary: WeeklySummary, format: Format): SafeHtml {
  const [home, ...others] = summary.aging;
  if (!home) return html``;
  const largest = Math.max(1, ...home.buckets.map((bucket) => bucket.balanceMinor));
  const rows = home.buckets.map((bucket) => {
    const share =
      bucket.balanceMinor > 0 ? Math.max(2, Math.round((bucket.balanceMinor * 100) / largest)) : 0;
    const bar =
      share > 0
        ? html`<table role="presentation" width="${share}%" cellpadding="0" cellspacing="0"><tr><td height="14" style="height:14px;line-height:14px;font-size:0;background:${bucketColours[bucket.key]};border-radius:3px;">&nbsp;</td></tr></table>`
        : html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td height="14" style="height:14px;line-height:14px;font-size:0;border-bottom:1px dashed ${rule};">&nbsp;</td></tr></table>`;
    return html`<tr>
<td style="${font}padding:5px 8px 5px 0;font-size:13px;color:${ink};white-space:nowrap;" width="86">${bucketLabels[bucket.key]}</td>
<td style="padding:5px 8px 5px 0;" valign="middle">${bar}</td>
<td align="right" style="${font}padding:5px 0;font-size:13px;color:${ink};white-space:nowrap;" width="104">${format.home(bucket.balanceMinor)}</td>
</tr>`;
  });
  const elsewhere = others.filter((entry) => entry.openMinor > 0);
  return section(html`${heading(`Open balance by age (${home.currency})`)}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">${rows}</table>
${elsewhere.length > 0 ? html`<p style="${font}margin:10px 0 0;font-size:13px;color:${muted};">Also owed in other currencies (not converted): ${elsewhere.map((entry) => `${format.money({ amountMinor: entry.overdueMinor, currency: entry.currency })} overdue of ${format.money({ amountMinor: entry.openMinor, currency: entry.currency })}`).join('; ')}.</p>` : ''}`);
}

function weekInNumbers(summary: WeeklySummary, format: Format): SafeHtml {
  const a = summary.activity;
  const rows: Array<[string, string]> = [
    [
      'Reminders sent',
      a.remindersSent === 0 ? 'none' : `${a.remindersSent} to ${format.count(a.debtorsReminded, 'customer')}`,
    ],
    ['Promises to pay', `${a.promisesMade} made · ${a.promisesKept} kept · ${a.promisesBroken} broken`],
    ['Payment plans', `${a.plansStarted} new · ${format.count(a.plansBroken, 'missed installment')}`],
    ['Disputes opened', String(a.disputesOpened)],
    ['New flags raised', String(a.flagsRaised)],
  ];
  return section(html`${heading('The week in numbers')}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">${rows.map(
    ([label, value], index) =>
      html`<tr><td style="${font}padding:7px 0;font-size:14px;color:${muted};border-top:${index === 0 ? '0' : `1px solid ${rule}`};">${label}</td><td align="right" style="${font}padding:7px 0;font-size:14px;color:${ink};font-weight:600;border-top:${index === 0 ? '0' : `1px solid ${rule}`};">${value}</td></tr>`,
  )}</table>`);
}

function largest(summary: WeeklySummary, format: Format, links: SummaryEmailLinks): SafeHtml {
  if (summary.largest.length === 0) return html``;
  return section(html`${heading('Largest overdue balances')}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">${summary.largest.map(
    (debtor, index) => html`<tr>
<td style="${font}padding:${index === 0 ? '0' : '10px'} 8px 0 0;font-size:15px;line-height:1.35;color:${ink};border-top:${index === 0 ? '0' : `1px solid ${rule}`};"><strong>${oneLine(debtor.name)}</strong><br><span style="font-size:13px;color:${muted};">${format.count(debtor.overdueInvoices, 'invoice')} · oldest ${format.count(debtor.oldestDaysOverdue, 'day')} overdue</span></td>
<td align="right" valign="top" style="${font}padding:${index === 0 ? '0' : '10px'} 0 0;font-size:15px;font-weight:600;color:${ink};white-space:nowrap;border-top:${index === 0 ? '0' : `1px solid ${rule}`};">${format.home(debtor.overdueMinor)}</td>
</tr>
<tr><td colspan="2" style="${font}padding:3px 0 10px;font-size:13px;line-height:1.4;color:${ink};"><span style="color:${muted};">Next:</span> ${oneLine(debtor.nextStep)}</td></tr>`,
  )}</table>
<p style="${font}margin:6px 0 0;font-size:14px;"><a href="${links.customersUrl}" style="color:${summary.organisation.brandColour};">See every customer</a></p>`);
}

function cheerful(summary: WeeklySummary): SafeHtml {
  return html`<tr><td class="px" style="padding:8px 28px 24px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#e8f5ee;border-radius:10px;"><tr><td align="center" style="${font}padding:28px 20px;color:${ink};">
<table role="presentation" align="center" cellpadding="0" cellspacing="0"><tr><td width="52" height="52" align="center" valign="middle" style="width:52px;height:52px;border-radius:26px;background:${good};color:#ffffff;font-size:28px;line-height:52px;font-weight:700;">&#10003;</td></tr></table>
<div style="font-size:22px;line-height:1.3;font-weight:700;padding:10px 0 6px;color:${good};">Nothing is overdue</div>
<div style="font-size:15px;line-height:1.5;">Every invoice is paid or not yet due. ${cheerfulLine(summary)}</div>
<div style="font-size:15px;line-height:1.5;padding-top:8px;color:${muted};">Enjoy the week.</div>
</td></tr></table></td></tr>`;
}

function footer(summary: WeeklySummary, format: Format, links: SummaryEmailLinks): SafeHtml {
  const name = oneLine(summary.organisation.name);
  return html`<tr><td class="px" style="${font}padding:18px 28px 6px;font-size:12px;line-height:1.5;color:${muted};">
${summary.nothingOverdue ? '' : html`<p style="margin:0 0 8px;">Figures as of ${format.date(summary.today)} (${summary.organisation.timeZone}). “7 days ago” reads your books as they stood on ${format.date(summary.overdue.weekAgo)}: invoices less the payments dated by then. DSO counts the ${summary.dso.currency} receivables against the last ${summary.dso.windowDays} days of invoicing.</p>`}
<p style="margin:0 0 8px;">You get this weekly summary of ${name} from Dunwell. <a href="${links.settingsUrl}" style="color:${muted};">Change the day, time or recipients</a>${links.unsubscribeUrl ? html` · <a href="${links.unsubscribeUrl}" style="color:${muted};">Unsubscribe</a>` : ''}</p>
</td></tr>`;
}

/** The weekly summary as an email: responsive HTML (tables, inline styles) and a plain-text part. */
export function renderWeeklySummary(summary: WeeklySummary, links: SummaryEmailLinks): RenderedSummary {
  const format = formatter(summary);
  const subject = summarySubject(summary);
  const brand = summary.organisation.brandColour;
  const period = format.range(summary.week.from, summary.week.to);
  const firstProblem = summary.connectionProblems[0];
  const preheader = firstProblem
    ? connectionProblemText(firstProblem).headline
    : summary.nothingOverdue
      ? 'Nothing is overdue this week.'
      : `${format.moneyList(summary.collected.thisWeek)} collected; ${decisionsWaiting(summary) > 0 ? `${format.count(decisionsWaiting(summary), 'decision')} waiting for you.` : 'nothing waiting for you.'}`;
  const body = html`<!DOCTYPE html>
<html lang="${summary.organisation.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${subject}</title>
<style>
/* Where a client reads style sheets (Apple Mail, Gmail apps): tighter margins on a phone. */
@media (max-width: 480px) {
  .px { padding-left: 18px !important; padding-right: 18px !important; }
  .tiles { padding-left: 12px !important; padding-right: 12px !important; }
  .outer { padding: 12px 6px !important; }
}
</style>
</head>
<body style="margin:0;padding:0;background:#eef0eb;-webkit-text-size-adjust:100%;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#eef0eb;"><tr><td class="outer" align="center" style="padding:24px 10px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:640px;background:#ffffff;border-radius:10px;border-top:4px solid ${brand};">
<tr><td class="px" style="${font}padding:22px 28px 12px;">
<div style="font-size:12px;letter-spacing:.08em;text-transform:uppercase;font-weight:700;color:${brand};">Weekly summary</div>
<h1 style="margin:4px 0 2px;font-size:24px;line-height:1.25;color:${ink};">${oneLine(summary.organisation.name)}</h1>
<div style="font-size:14px;color:${muted};">${period}</div>
</td></tr>
${problems(summary, links)}
${
  summary.nothingOverdue
    ? html`${cheerful(summary)}${decisions(summary, format, links)}`
    : html`${tiles(summary, format, links)}${decisions(summary, format, links)}${aging(summary, format)}${largest(summary, format, links)}${weekInNumbers(summary, format)}`
}
<tr><td class="px" style="${font}padding:4px 28px 24px;font-size:14px;"><a href="${links.dashboardUrl}" style="color:${brand};font-weight:600;">Open the dashboard</a></td></tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:640px;">${footer(summary, format, links)}</table>
</td></tr></table>
</body>
</html>`;
  return { subject, html: body.value, text: summaryText(summary, links) };
}
