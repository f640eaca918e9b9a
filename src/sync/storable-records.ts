import type { LedgerCredit, LedgerCustomer, LedgerInvoice, LedgerPayment } from '../../connectors/ledger.js';
import { isIsoDate } from '../domain/local-time.js';
import { storable } from '../domain/text.js';

/**
 * Ledger records as the mirror can store them: text without NULs or half characters, dates and
 * times PostgreSQL takes (a year from 1000 to 9999), and no record without the id that names it.
 * One odd record must never stop a sync: what cannot be read is left as unknown (null), and a
 * record that cannot be stored at all (no id; an invoice with no usable due date) is left out.
 */
/** A vendor id: a short non-empty string (vendors number records or use GUIDs; a huge one is not an id). */
const hasId = (id: unknown): id is string => typeof id === 'string' && id !== '' && id.length <= 200;
const plausibleYear = (year: number) => year >= 1000 && year <= 9999;

/** A calendar day, or null when it is not one PostgreSQL stores. */
export function storableDay(value: string | null | undefined): string | null {
  return value && isIsoDate(value) && plausibleYear(Number(value.slice(0, 4))) ? value : null;
}

/** A timestamp, or null when it does not parse to one PostgreSQL stores. */
export function storableStamp(value: string | null | undefined): string | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) || !plausibleYear(at.getUTCFullYear()) ? null : value;
}

export function storableCustomers(rows: LedgerCustomer[]): LedgerCustomer[] {
  return storable(rows)
    .filter((row) => hasId(row.externalId))
    .map((row) => ({ ...row, updatedAt: storableStamp(row.updatedAt) }));
}

export function storableInvoices(rows: LedgerInvoice[]): LedgerInvoice[] {
  return storable(rows).flatMap((row) => {
    const issueDate = storableDay(row.issueDate);
    const dueDate = storableDay(row.dueDate) ?? issueDate;
    if (!hasId(row.externalId) || !hasId(row.customerExternalId) || dueDate === null) return [];
    return [{ ...row, issueDate, dueDate, updatedAt: storableStamp(row.updatedAt) }];
  });
}

export function storablePayments(rows: LedgerPayment[]): LedgerPayment[] {
  return storable(rows).flatMap((row) => {
    const paidOn = storableDay(row.paidOn);
    return !hasId(row.externalId) || paidOn === null ? [] : [{ ...row, paidOn }];
  });
}

export function storableCredits(rows: LedgerCredit[]): LedgerCredit[] {
  return storable(rows)
    .filter((row) => hasId(row.externalId) && hasId(row.customerExternalId))
    .map((row) => ({
      ...row,
      issueDate: storableDay(row.issueDate),
      updatedAt: storableStamp(row.updatedAt),
    }));
}
