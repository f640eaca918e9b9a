/** Reading loosely-typed QuickBooks JSON bodies; a wrong shape is the ValidationFault QuickBooks would send. */
import { invalidValue, requiredParam } from '../faults.js';
import { fromWire } from '../money.js';
import type { LineRecord } from '../store/company.js';

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown, element: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidValue(element, `${element} must be an object`);
  }
  return value as JsonObject;
}

export function optString(body: JsonObject, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number')
    throw invalidValue(key, `${key} must be a string`);
  return String(value);
}

export function reqString(body: JsonObject, key: string): string {
  const value = optString(body, key);
  if (value === undefined || value === '') throw requiredParam(key);
  return value;
}

/** `{"CustomerRef":{"value":"3"}}` → "3". */
export function refValue(body: JsonObject, key: string): string | undefined {
  const ref = body[key];
  if (ref === undefined || ref === null) return undefined;
  return optString(asObject(ref, key), 'value');
}

/** `{"BillEmail":{"Address":"a@b"}}` → "a@b"; explicit null or empty address → null (remove). */
export function emailAddress(body: JsonObject, key: string): string | null | undefined {
  if (!(key in body)) return undefined;
  const value = body[key];
  if (value === null) return null;
  const address = optString(asObject(value, key), 'Address');
  return address === undefined || address === '' ? null : address;
}

/** `{"CustomerMemo":{"value":"…"}}` → "…". */
export function memoValue(body: JsonObject, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  return optString(asObject(value, key), 'value');
}

export function money(value: unknown, element: string, currency: string): number {
  const minor = fromWire(value, currency);
  if (Number.isNaN(minor)) throw invalidValue(element, `${element} must be a number`);
  return minor;
}

/** Sales lines; SubTotal lines (which QuickBooks adds to every invoice it returns) are skipped. */
export function salesLines(body: JsonObject, currency: string): LineRecord[] | undefined {
  const lines = body['Line'];
  if (lines === undefined || lines === null) return undefined;
  if (!Array.isArray(lines)) throw invalidValue('Line', 'Line must be an array');
  const out: LineRecord[] = [];
  for (const raw of lines) {
    const line = asObject(raw, 'Line');
    if (line['DetailType'] === 'SubTotalLineDetail') continue;
    const record: LineRecord = { amount: money(line['Amount'], 'Line.Amount', currency) };
    const description = optString(line, 'Description');
    if (description !== undefined) record.description = description;
    out.push(record);
  }
  return out;
}
