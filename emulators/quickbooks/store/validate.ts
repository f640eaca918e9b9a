/** Field checks shared by the ledger; each failure is the ValidationFault QuickBooks would send. */
import { invalidValue, requiredParam, stringTooLong } from '../faults.js';
import { isIsoDate } from '../time.js';

/** Documented maximum lengths (Intuit API reference for Invoice, Attachable, Customer). */
export const MAX_LENGTH = {
  DocNumber: 21,
  PrivateNote: 4000,
  CustomerMemo: 1000,
  Note: 2000,
  'BillEmail.Address': 100,
  DisplayName: 500,
  Notes: 2000,
} as const;

export function checkLength(element: keyof typeof MAX_LENGTH, value: string | null | undefined): void {
  if (typeof value === 'string' && value.length > MAX_LENGTH[element])
    throw stringTooLong(element, MAX_LENGTH[element]);
}

export function checkDate(element: string, value: string | undefined): void {
  if (value !== undefined && !isIsoDate(value)) {
    throw invalidValue(
      element,
      `${element} must be a date in the format YYYY-MM-DD, got ${JSON.stringify(value)}`,
    );
  }
}

/** QuickBooks email fields may hold several addresses separated by commas. */
export function checkEmail(element: string, value: string | null | undefined): void {
  const addresses = typeof value === 'string' ? value.split(',').map((address) => address.trim()) : [];
  if (addresses.some((address) => !/^[^\s@]+@[^\s@]+$/.test(address))) {
    throw invalidValue(element, `Invalid email address: ${value}`);
  }
}

export function checkAmount(element: string, value: number): void {
  if (!Number.isInteger(value)) throw invalidValue(element, `${element} must be a valid amount`);
}

export function required<T>(element: string, value: T | undefined | null): T {
  if (value === undefined || value === null || value === '') throw requiredParam(element);
  return value;
}
