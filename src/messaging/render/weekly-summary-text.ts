import type { WeeklySummary } from '../../reports/weekly-summary.js';
import {
  bucketLabels,
  change,
  cheerfulLine,
  connectionProblemText,
  flagAdvice,
  flagLine,
  formatter,
  oneLine,
  type SummaryEmailLinks,
} from './weekly-summary-format.js';

/** The plain-text part: the same content as the HTML, in the same order. */
export function summaryText(summary: WeeklySummary, links: SummaryEmailLinks): string {
  const format = formatter(summary);
  const currency = summary.organisation.currency;
  const lines: string[] = [
    `WEEKLY SUMMARY: ${oneLine(summary.organisation.name)}`,
    format.range(summary.week.from, summary.week.to),
    '',
  ];
  for (const problem of summary.connectionProblems) {
    const text = connectionProblemText(problem);
    lines.push(`!! ${text.headline} ${text.detail}`);
  }
  if (summary.connectionProblems.length > 0) lines.push(`Fix it: ${links.connectionUrl}`, '');

  const { flags, waiting } = summary;
  const decisions = (): string[] => {
    if (flags.total === 0 && waiting.plans === 0 && waiting.messages === 0) return [];
    const out = [flags.total > 0 ? 'WAITING FOR YOUR DECISION' : 'WAITING FOR YOUR APPROVAL'];
    for (const flag of flags.shown) {
      const advice = flagAdvice(flag);
      out.push(`- ${oneLine(flag.customerName)}: ${flagLine(format, flag)}`);
      if (advice) out.push(`  ${advice}`);
    }
    const more = flags.total - flags.shown.length;
    if (more > 0) out.push(`  and ${format.count(more, 'more flag')}.`);
    const others = [
      ...(waiting.plans > 0 ? [format.count(waiting.plans, 'payment plan')] : []),
      ...(waiting.messages > 0 ? [format.count(waiting.messages, 'message')] : []),
    ];
    if (others.length > 0) out.push(`Also waiting for approval: ${others.join(' and ')}.`);
    out.push(`Review: ${links.reviewUrl}`, '');
    return out;
  };

  if (summary.nothingOverdue) {
    lines.push(
      'Nothing is overdue. Every invoice is paid or not yet due.',
      ...(cheerfulLine(summary) ? [cheerfulLine(summary)] : []),
      'Enjoy the week.',
      '',
      ...decisions(),
    );
  } else {
    const thisWeek =
      summary.collected.thisWeek.find((entry) => entry.currency === currency)?.amountMinor ?? 0;
    const lastWeek =
      summary.collected.lastWeek.find((entry) => entry.currency === currency)?.amountMinor ?? 0;
    const others = summary.collected.thisWeek.filter(
      (entry) => entry.currency !== currency && entry.amountMinor !== 0,
    );
    const overdue = summary.overdue.currencies[0];
    lines.push(
      `Collected this week: ${format.home(thisWeek)}${others.length > 0 ? ` + ${others.map((entry) => format.money(entry)).join(' + ')}` : ''}, ${change(format, currency, thisWeek, lastWeek)} vs last week (${format.home(lastWeek)})`,
      `Total overdue: ${format.home(overdue?.nowMinor ?? 0)} on ${format.count(overdue?.nowInvoices ?? 0, 'invoice')}, ${change(format, currency, overdue?.nowMinor ?? 0, overdue?.weekAgoMinor ?? 0)} vs 7 days ago`,
    );
    for (const entry of summary.overdue.currencies.slice(1))
      lines.push(
        `  and ${format.money({ amountMinor: entry.nowMinor, currency: entry.currency })} in ${entry.currency}, ${change(format, entry.currency, entry.nowMinor, entry.weekAgoMinor)}`,
      );
    lines.push(
      `Days sales outstanding: ${summary.dso.days === null ? '—' : `${summary.dso.days} days`} (last ${summary.dso.windowDays} days)`,
      '',
      ...decisions(),
    );
    const [home, ...elsewhere] = summary.aging;
    if (home) {
      lines.push(`OPEN BALANCE BY AGE (${home.currency})`);
      for (const bucket of home.buckets)
        lines.push(
          `- ${bucketLabels[bucket.key]}: ${format.home(bucket.balanceMinor)} (${format.count(bucket.invoices, 'invoice')})`,
        );
      for (const entry of elsewhere.filter((other) => other.openMinor > 0))
        lines.push(
          `Also in ${entry.currency} (not converted): ${format.money({ amountMinor: entry.overdueMinor, currency: entry.currency })} overdue of ${format.money({ amountMinor: entry.openMinor, currency: entry.currency })}`,
        );
      lines.push('');
    }
    if (summary.largest.length > 0) {
      lines.push('LARGEST OVERDUE BALANCES');
      summary.largest.forEach((debtor, index) => {
        lines.push(
          `${index + 1}. ${oneLine(debtor.name)}: ${format.home(debtor.overdueMinor)} (${format.count(debtor.overdueInvoices, 'invoice')}, oldest ${format.count(debtor.oldestDaysOverdue, 'day')} overdue)`,
          `   Next: ${oneLine(debtor.nextStep)}`,
        );
      });
      lines.push(`Every customer: ${links.customersUrl}`, '');
    }
    const a = summary.activity;
    lines.push(
      'THE WEEK IN NUMBERS',
      `- Reminders sent: ${a.remindersSent === 0 ? 'none' : `${a.remindersSent} to ${format.count(a.debtorsReminded, 'customer')}`}`,
      `- Promises to pay: ${a.promisesMade} made, ${a.promisesKept} kept, ${a.promisesBroken} broken`,
      `- Payment plans: ${a.plansStarted} new, ${format.count(a.plansBroken, 'missed installment')}`,
      `- Disputes opened: ${a.disputesOpened}`,
      `- New flags raised: ${a.flagsRaised}`,
      '',
      `Figures as of ${format.date(summary.today)} (${summary.organisation.timeZone}). "7 days ago" reads your books as they stood on ${format.date(summary.overdue.weekAgo)}: invoices less the payments dated by then.`,
    );
  }
  lines.push(
    `Dashboard: ${links.dashboardUrl}`,
    '',
    '--',
    `You get this weekly summary of ${oneLine(summary.organisation.name)} from Dunwell.`,
    `Change the day, time or recipients: ${links.settingsUrl}`,
    ...(links.unsubscribeUrl ? [`Unsubscribe: ${links.unsubscribeUrl}`] : []),
  );
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}
