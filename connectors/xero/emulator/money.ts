/** Conversion between the emulator's integer minor units and Xero's decimal wire amounts. */

const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX', 'XAF', 'XOF', 'PYG']);
const THREE_DECIMAL = new Set(['BHD', 'KWD', 'OMR', 'JOD', 'TND']);

export function decimalsOf(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/** 12550 USD → 125.5. */
export function toWire(minor: number, currency: string): number {
  return minor / 10 ** decimalsOf(currency);
}

/** 125.5 USD → 12550; NaN for anything that is not a finite number or numeric string. */
export function fromWire(value: unknown, currency: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return Number.NaN;
  return Math.round(n * 10 ** decimalsOf(currency));
}

/** "125.50" for history details and pages. */
export function formatAmount(minor: number, currency: string): string {
  return toWire(minor, currency).toFixed(decimalsOf(currency));
}
