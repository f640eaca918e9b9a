import { vendors } from '../../../connectors/vendors.js';
import type { Money } from '../../domain/money.js';
import type { AgingBucketKey } from '../../reports/overdue-figures.js';
import type { ConnectionProblem, SummaryFlag, WeeklySummary } from '../../reports/weekly-summary.js';
import { formatIsoDate, formatMoney } from '../templates/index.js';

// Words and numbers shared by the HTML and text parts of the weekly summary.

/** Where the email's links lead; the review and unsubscribe links are signed. */
export interface SummaryEmailLinks {
  /** One click to the review queue (signed; sign-in still protects the page). */
  reviewUrl: string;
  /** This recipient's own unsubscribe link; null in a preview. */
  unsubscribeUrl: string | null;
  dashboardUrl: string;
  connectionUrl: string;
  customersUrl: string;
  settingsUrl: string;
}

export const bucketLabels: Record<AgingBucketKey, string> = {
  current: 'Not yet due',
  '1-30': '1–30 days',
  '31-60': '31–60 days',
  '61-90': '61–90 days',
  '90+': 'Over 90 days',
};

/** Any text from the ledger or a person, as one line: no control characters, no runs of spaces. */
export function oneLine(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function formatter(summary: WeeklySummary) {
  const { locale, currency } = summary.organisation;
  const money = (amount: Money) => formatMoney(amount, locale);
  const home = (amountMinor: number) => money({ amountMinor, currency });
  const date = (iso: string) => formatIsoDate(iso, locale, 'long') ?? iso;
  const range = (from: string, to: string) =>
    new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).formatRange(new Date(`${from}T00:00:00Z`), new Date(`${to}T00:00:00Z`));
  /** Amounts in several currencies: the non-zero ones joined with "+", or zero in the home currency. */
  const moneyList = (amounts: Money[]) => {
    const nonZero = amounts.filter((amount) => amount.amountMinor !== 0);
    return nonZero.length === 0 ? home(0) : nonZero.map(money).join(' + ');
  };
  const count = (value: number, one: string, many = `${one}s`) =>
    `${value.toLocaleString(locale)} ${value === 1 ? one : many}`;
  return { money, home, date, range, moneyList, count };
}

export type Format = ReturnType<typeof formatter>;

/** The cheerful email's one sentence: what came in and what is not yet due, whichever there is. */
export function cheerfulLine(summary: WeeklySummary): string {
  const format = formatter(summary);
  const parts = [
    ...(summary.collected.thisWeek.some((entry) => entry.amountMinor !== 0)
      ? [`${format.moneyList(summary.collected.thisWeek)} came in this week`]
      : []),
    ...((summary.aging[0]?.openMinor ?? 0) > 0
      ? [`${format.home(summary.aging[0]?.openMinor ?? 0)} is not yet due`]
      : []),
  ];
  return parts.length === 0 ? '' : `${parts.join(', and ')}.`;
}

/** Everything waiting for a person in the review queue: flags, plans and messages to approve. */
export function decisionsWaiting(summary: WeeklySummary): number {
  return summary.flags.total + summary.waiting.plans + summary.waiting.messages;
}

/** "up £1,200.00 (+14%)", "down £300.00 (−3%)", "no change" against an earlier amount. */
export function change(format: Format, currency: string, now: number, before: number): string {
  const difference = now - before;
  if (difference === 0) return 'no change';
  const amount = format.money({ amountMinor: Math.abs(difference), currency });
  const percent =
    before > 0 ? ` (${difference > 0 ? '+' : '−'}${Math.round((Math.abs(difference) * 100) / before)}%)` : '';
  return `${difference > 0 ? 'up' : 'down'} ${amount}${percent}`;
}

/** What a connection problem means for the owner, in one sentence. */
export function connectionProblemText(problem: ConnectionProblem): { headline: string; detail: string } {
  const { name: vendor, booksNoun } = vendors[problem.vendor];
  const company = oneLine(problem.companyName ?? `Your ${vendor} ${booksNoun}`);
  switch (problem.kind) {
    case 'needs_reconnect':
      return {
        headline: `${company} needs reconnecting to ${vendor}.`,
        detail:
          'Nothing is sent or written to your books until it is reconnected, and the figures below may be out of date.',
      };
    case 'disconnected':
      return {
        headline: `${company} is disconnected from Dunwell.`,
        detail: 'No reminders go out and the figures below are as they were when it was disconnected.',
      };
    case 'sync_failing':
      return {
        headline: `The last sync with ${vendor} failed${problem.detail ? `: ${oneLine(problem.detail)}` : '.'}`,
        detail: 'The figures below may be out of date until a sync succeeds.',
      };
  }
}

const flagNames: Record<string, string> = {
  agency_referral: 'agency referral',
  settlement_offer: 'settlement offer',
  write_off: 'write-off',
};
const choiceNames: Record<string, string> = {
  keep_chasing: 'Keep chasing',
  settlement_offer: 'Offer a settlement',
  agency_referral: 'Refer to an agency',
  write_off: 'Write off',
};

/** "Agency referral or write-off · 74 days overdue · £2,400.00". */
export function flagLine(format: Format, flag: SummaryFlag): string {
  const kinds = flag.kinds.map((kind) => flagNames[kind] ?? kind).join(' or ') || 'decision';
  return [
    `${kinds.charAt(0).toUpperCase()}${kinds.slice(1)}`,
    `${format.count(flag.daysOverdue, 'day')} overdue`,
    ...(flag.balance ? [format.money(flag.balance)] : []),
  ].join(' · ');
}

/** The recommendation in one sentence: the flag's own arithmetic, else just the choice. */
export function flagAdvice(flag: SummaryFlag): string | null {
  if (flag.summary) return oneLine(flag.summary);
  return flag.recommended ? `Recommended: ${choiceNames[flag.recommended] ?? flag.recommended}.` : null;
}

/** The subject line: the week's two numbers (home currency, unless nothing is in it), and what needs the owner. */
export function summarySubject(summary: WeeklySummary): string {
  const format = formatter(summary);
  const name = oneLine(summary.organisation.name);
  const headline = (amounts: Money[]) => {
    const home = amounts.find((amount) => amount.currency === summary.organisation.currency);
    const shown = home && home.amountMinor !== 0 ? home : amounts.find((amount) => amount.amountMinor !== 0);
    return format.money(shown ?? { amountMinor: 0, currency: summary.organisation.currency });
  };
  const collected = headline(summary.collected.thisWeek);
  const problem = summary.connectionProblems.some((entry) => entry.kind !== 'sync_failing')
    ? 'Action needed: reconnect your books · '
    : summary.connectionProblems.length > 0
      ? 'Sync failing · '
      : '';
  const collectedAny = summary.collected.thisWeek.some((entry) => entry.amountMinor !== 0);
  if (summary.nothingOverdue)
    return collectedAny
      ? `${problem}${name}: nothing overdue, ${collected} collected this week`
      : `${problem}${name}: nothing overdue this week`;
  const overdue = headline(
    summary.overdue.currencies.map((entry) => ({ amountMinor: entry.nowMinor, currency: entry.currency })),
  );
  const waiting = decisionsWaiting(summary);
  const decisions = waiting > 0 ? `, ${format.count(waiting, 'decision')} waiting` : '';
  return `${problem}${name}: ${collected} collected, ${overdue} overdue${decisions}`;
}
