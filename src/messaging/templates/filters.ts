import type { FilterImplOptions } from 'liquidjs';
import { currencyExponent, type Money } from '../../domain/money.js';

// liquidjs does not export these two from its entry point.
export type FilterHandler = Extract<FilterImplOptions, (...args: never[]) => unknown>;
export type FilterImpl = ThisParameterType<FilterHandler>;

/** The organisation's locale for each scope being rendered, so filters format in it. */
const localeByScope = new WeakMap<object, string>();

export function setScopeLocale(scope: object, locale: string): void {
  localeByScope.set(scope, locale);
}

function localeOf(filter: FilterImpl): string {
  return localeByScope.get(filter.context.environments) ?? 'en';
}

// Intl formatters are slow to build and immutable: keep them, bounded.
const formatters = new Map<
  string,
  Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat | Intl.PluralRules
>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat | Intl.PluralRules>(
  key: string,
  make: () => T,
): T {
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    if (formatters.size >= 1000) formatters.clear();
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter as T;
}

/** Formats an amount in the locale, with the currency's own number of decimals (JPY none, BHD three). */
export function formatMoney(money: Money, locale: string): string {
  const exponent = currencyExponent(money.currency);
  const format = cached(
    `money|${locale}|${money.currency}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: money.currency,
        minimumFractionDigits: exponent,
        maximumFractionDigits: exponent,
      }),
  );
  return format.format(money.amountMinor / 10 ** exponent);
}

export type DateStyle = 'long' | 'short' | 'numeric';
const dateStyles: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  long: { day: 'numeric', month: 'long', year: 'numeric' },
  short: { day: 'numeric', month: 'short', year: 'numeric' },
  numeric: { day: '2-digit', month: '2-digit', year: 'numeric' },
};

/**
 * Formats the calendar date an ISO string starts with ("2026-11-03" → "3 November 2026" in en-GB),
 * as written: no time zone shifts it a day. Returns null when the text is not a real date.
 */
export function formatIsoDate(iso: string, locale: string, style: DateStyle = 'long'): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(iso);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  const format = cached(
    `date|${locale}|${style}`,
    () => new Intl.DateTimeFormat(locale, { ...dateStyles[style], timeZone: 'UTC' }),
  );
  return format.format(date);
}

function isMoney(value: unknown): value is Money {
  return (
    typeof value === 'object' &&
    value !== null &&
    'amountMinor' in value &&
    'currency' in value &&
    Number.isSafeInteger(value.amountMinor) &&
    typeof value.currency === 'string'
  );
}

/** `{{ invoice.balance | money }}` → "£1,245.50"; `{{ totals | money }}` → "£1,245.50 and €750.00". */
function money(this: FilterImpl, value: unknown): string {
  if (value === null || value === undefined) return '';
  const locale = localeOf(this);
  const amounts: unknown[] = Array.isArray(value) ? value : [value];
  const formatted = amounts.map((amount) => {
    if (!isMoney(amount)) {
      throw new Error('the money filter formats an amount such as invoice.balance, lateFee.total or totals');
    }
    return formatMoney(amount, locale);
  });
  return cached(`list|${locale}`, () => new Intl.ListFormat(locale, { type: 'conjunction' })).format(
    formatted,
  );
}

/** `{{ invoice.dueDate | date }}` → "3 November 2026"; `| date: 'short'` → "3 Nov 2026"; 'numeric' → "03/11/2026". */
function date(this: FilterImpl, value: unknown, style: unknown = 'long'): string {
  if (value === null || value === undefined) return '';
  if (style !== 'long' && style !== 'short' && style !== 'numeric') {
    throw new Error(`the date filter takes 'long', 'short' or 'numeric', not ${JSON.stringify(style)}`);
  }
  const formatted = typeof value === 'string' ? formatIsoDate(value, localeOf(this), style) : null;
  if (formatted === null) throw new Error('the date filter formats a date such as invoice.dueDate');
  return formatted;
}

/**
 * `{{ invoices.size | plural: 'invoice', 'invoices' }}` → the word that fits the number in the
 * organisation's language rules (the number itself is not included).
 */
function plural(this: FilterImpl, value: unknown, singular: unknown, pluralForm?: unknown): string {
  const count = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(count) || typeof singular !== 'string') {
    throw new Error(
      "the plural filter takes a number and the words, e.g. invoices.size | plural: 'invoice', 'invoices'",
    );
  }
  const other = typeof pluralForm === 'string' ? pluralForm : `${singular}s`;
  const locale = localeOf(this);
  return cached(`plural|${locale}`, () => new Intl.PluralRules(locale)).select(count) === 'one'
    ? singular
    : other;
}

export const customFilters = { money, date, plural } as const;
