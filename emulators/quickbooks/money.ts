/** Conversion between the emulator's exact minor units and QuickBooks' decimal wire amounts. */

import { decimalsOf, fromWire, toWire } from '../kit/wire-money.js';

export { decimalsOf, fromWire, toWire };

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
