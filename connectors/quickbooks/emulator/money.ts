/** Conversion between the emulator's exact minor units and QuickBooks' decimal wire amounts. */

const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX', 'XAF', 'XOF', 'PYG']);
const THREE_DECIMAL = new Set(['BHD', 'KWD', 'OMR', 'JOD', 'TND']);

export function decimalsOf(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/** 12550 USD → 125.5; division is correctly rounded, so the result is the double nearest the decimal. */
export function toWire(minor: number, currency: string): number {
  return minor / 10 ** decimalsOf(currency);
}

/** 125.5 USD → 12550. Returns NaN for anything that is not a finite number or numeric string. */
export function fromWire(value: unknown, currency: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return Number.NaN;
  return Math.round(n * 10 ** decimalsOf(currency));
}

const NAMES: Record<string, string> = {
  USD: 'United States Dollar',
  CAD: 'Canadian Dollar',
  GBP: 'British Pound Sterling',
  EUR: 'Euro',
  AUD: 'Australian Dollar',
  JPY: 'Japanese Yen',
  INR: 'Indian Rupee',
};

export function currencyRef(currency: string): { value: string; name: string } {
  return { value: currency, name: NAMES[currency] ?? currency };
}
