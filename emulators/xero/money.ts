/** Conversion between the emulator's integer minor units and Xero's decimal wire amounts. */

import { decimalsOf, fromWire, toWire } from '../kit/wire-money.js';

export { decimalsOf, fromWire, toWire };

/** "125.50" for history details and pages. */
export function formatAmount(minor: number, currency: string): string {
  return toWire(minor, currency).toFixed(decimalsOf(currency));
}
