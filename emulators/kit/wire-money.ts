import { currencyExponent, toMinorUnits } from '../../src/domain/money.js';

/** Conversion between an emulator's integer minor units and a vendor's decimal wire amounts. */

/** Decimal places of the currency (USD 2, JPY 0, BHD 3). */
export const decimalsOf = currencyExponent;

/** 12550 USD → 125.5; the division is correctly rounded, so the result is the double nearest the decimal. */
export function toWire(minor: number, currency: string): number {
  return minor / 10 ** decimalsOf(currency);
}

/** 125.5 USD → 12550; NaN for anything that is not a finite number or numeric string. */
export function fromWire(value: unknown, currency: string): number {
  const amount = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return Number.NaN;
  return toMinorUnits(amount, currency);
}
