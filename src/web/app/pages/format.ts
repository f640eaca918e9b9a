import type { Money } from '../../../domain/money.js';
import { formatIsoDate, formatMoney } from '../../../messaging/templates/index.js';

/** Money as the business reads it, e.g. "£1,234.50". */
export function money(amount: Money, locale = 'en-GB'): string {
  return formatMoney(amount, locale);
}

/** A list of amounts in different currencies, e.g. "£1,200.00 + €300.00", or "—" for none. */
export function moneyList(amounts: Money[], locale = 'en-GB'): string {
  const nonZero = amounts.filter((amount) => amount.amountMinor !== 0);
  return nonZero.length === 0 ? '—' : nonZero.map((amount) => money(amount, locale)).join(' + ');
}

export function date(iso: string | null | undefined, locale = 'en-GB'): string {
  return iso ? (formatIsoDate(iso.slice(0, 10), locale, 'long') ?? iso) : '—';
}

/** A moment in the organisation's time zone, e.g. "23 Nov 2026, 09:14". */
export function moment(at: Date | string | null | undefined, timeZone: string, locale = 'en-GB'): string {
  if (!at) return '—';
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(at));
}
