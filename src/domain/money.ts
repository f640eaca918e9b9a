/** An amount in the currency's minor units (cents, pence, yen) with its ISO 4217 code. */
export interface Money {
  amountMinor: number;
  currency: string;
}

const exponents = new Map<string, number>();

/** How many decimal places the currency has (USD 2, JPY 0, BHD 3), from the platform's ICU data. */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  let exponent = exponents.get(code);
  if (exponent === undefined) {
    exponent =
      new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    exponents.set(code, exponent);
  }
  return exponent;
}

const plainFormatters = new Map<string, Intl.NumberFormat>();

/**
 * "£40" for whole amounts, "£3.14" otherwise, in the currency's own decimals (JPY none, BHD three):
 * how explanations and notes write an amount. Formatters are kept, as building one costs far more
 * than formatting with it.
 */
export function formatPlainMoney(value: Money): string {
  const exponent = currencyExponent(value.currency);
  const whole = value.amountMinor % 10 ** exponent === 0;
  const key = `${value.currency}|${whole}`;
  let formatter = plainFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en', {
      style: 'currency',
      currency: value.currency,
      minimumFractionDigits: whole ? 0 : exponent,
      maximumFractionDigits: whole ? 0 : exponent,
    });
    plainFormatters.set(key, formatter);
  }
  return formatter.format(value.amountMinor / 10 ** exponent);
}

/**
 * Converts a decimal amount as vendors send it (125.5) to integer minor units (12550) through its
 * decimal text, so binary floating point never shifts a cent.
 */
export function toMinorUnits(amount: number, currency: string): number {
  const exponent = currencyExponent(currency);
  // Past Number.MAX_SAFE_INTEGER minor units a double is no longer exact (and toFixed turns to exponents).
  if (!Number.isFinite(amount) || Math.abs(amount) * 10 ** exponent > Number.MAX_SAFE_INTEGER)
    throw new RangeError(`Not an amount: ${String(amount).slice(0, 40)}`);
  const [whole = '0', fraction = ''] = amount.toFixed(exponent).replace('-', '').split('.');
  const minor = Number.parseInt(`${whole}${fraction}`, 10);
  return amount < 0 && minor !== 0 ? -minor : minor;
}

/** Converts minor units back to the decimal amount a vendor expects (12550 USD → 125.5). */
export function fromMinorUnits(amountMinor: number, currency: string): number {
  if (!Number.isInteger(amountMinor)) throw new RangeError(`Minor units must be an integer: ${amountMinor}`);
  return Number((amountMinor / 10 ** currencyExponent(currency)).toFixed(currencyExponent(currency)));
}

const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));

/** True for an ISO 4217 code the platform knows (Intl accepts any three letters, so check the list). */
export function isCurrencyCode(value: string): boolean {
  return knownCurrencies.has(value);
}
