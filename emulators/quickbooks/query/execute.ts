/**
 * Runs a parsed query against a company and shapes the answer like QuickBooks:
 *   {"QueryResponse":{"Invoice":[…],"startPosition":1,"maxResults":<rows returned>}}
 * An empty result is `{"QueryResponse":{}}` and COUNT(*) gives `{"QueryResponse":{"totalCount":N}}`.
 * node-quickbooks' fetchAll keeps paging while `maxResults` equals the page size it asked for (1000).
 * MAXRESULTS defaults to 100; above 1000 is refused (QueryValidationError), as Intuit documents 1000 as the cap.
 */
import { queryValidationError } from '../faults.js';
import type { Company } from '../store/company.js';
import { parseTimestamp } from '../time.js';
import { type EntityDef, entityDef, type FieldDef, type FieldType } from './entities.js';
import { type Condition, type Literal, type ParsedQuery, parseQuery } from './parser.js';

export const DEFAULT_MAX_RESULTS = 100;
export const MAX_RESULTS = 1000;

type Comparable = string | number | boolean | null;

export function runQuery(company: Company, text: string): Record<string, unknown> {
  const query = parseQuery(text);
  const def = entityDef(query.entity);
  if (!def) throw queryValidationError(`Entity ${query.entity} is not supported by this emulator`);
  const start = query.startPosition ?? 1;
  const max = query.maxResults ?? DEFAULT_MAX_RESULTS;
  if (start < 1) throw queryValidationError(`STARTPOSITION must be 1 or more, got ${start}`);
  if (max > MAX_RESULTS)
    throw queryValidationError(`value ${max} is too large. Max allowed value is ${MAX_RESULTS}`);

  const predicates = predicatesFor(def, query);
  const rows: unknown[] = [];
  for (const record of def.records(company)) if (predicates.every((p) => p(record))) rows.push(record);
  if (query.select === 'count') return { totalCount: rows.length };

  sortRows(def, query, rows);
  const page = rows.slice(start - 1, start - 1 + max);
  if (page.length === 0) return {};
  const rendered = page.map((record) => project(def.render(company, record), query.select));
  return { [def.name]: rendered, startPosition: start, maxResults: rendered.length };
}

function field(def: EntityDef, name: string): FieldDef<unknown> {
  const found = def.fields.get(name.toLowerCase());
  if (!found) throw queryValidationError(`Property ${name} not found for Entity ${def.name}`);
  return found;
}

function predicatesFor(def: EntityDef, query: ParsedQuery): ((record: unknown) => boolean)[] {
  const predicates = query.where.map((condition) => predicate(def, condition));
  const filtersActive = query.where.some((c) => c.field.toLowerCase() === 'active');
  if (def.activeByDefault && !filtersActive)
    predicates.push(predicate(def, { field: 'Active', op: '=', value: true }));
  return predicates;
}

function predicate(def: EntityDef, condition: Condition): (record: unknown) => boolean {
  const f = field(def, condition.field);
  const literals = (Array.isArray(condition.value) ? condition.value : [condition.value]).map((v) =>
    coerce(f, v),
  );
  const test = (value: Comparable): boolean => {
    if (value === null) return false;
    switch (condition.op) {
      case 'in':
        return literals.some((literal) => compare(f.type, value, literal) === 0);
      case 'like':
        return like(String(value), String(literals[0]));
      default:
        return matches(condition.op, compare(f.type, value, literals[0] ?? null));
    }
  };
  return (record) => {
    const value = f.get(record);
    return Array.isArray(value) ? value.some(test) : test(value);
  };
}

function matches(op: Condition['op'], order: number): boolean {
  switch (op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    default:
      return order >= 0;
  }
}

/** Turns a literal into the field's comparable form; a literal that cannot mean anything is a 4001. */
function coerce(f: FieldDef<unknown>, literal: Literal): Comparable {
  switch (f.type) {
    case 'number': {
      const n = Number(literal);
      if (typeof literal === 'boolean' || Number.isNaN(n)) throw badLiteral(f, literal);
      return n;
    }
    case 'datetime': {
      const ms = typeof literal === 'string' ? parseTimestamp(literal) : Number.NaN;
      if (Number.isNaN(ms)) throw badLiteral(f, literal);
      return ms;
    }
    case 'date': {
      if (typeof literal !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(literal)) throw badLiteral(f, literal);
      return literal.slice(0, 10);
    }
    case 'boolean': {
      if (typeof literal === 'boolean') return literal;
      if (/^(true|false)$/i.test(String(literal))) return String(literal).toLowerCase() === 'true';
      throw badLiteral(f, literal);
    }
    default:
      return String(literal);
  }
}

function badLiteral(f: FieldDef<unknown>, literal: Literal): Error {
  return queryValidationError(`Invalid value ${JSON.stringify(literal)} for property ${f.name}`);
}

function compare(type: FieldType, a: Comparable, b: Comparable): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (type === 'id') {
    const [x, y] = [Number(a), Number(b)];
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (type === 'string') return String(a).toLowerCase().localeCompare(String(b).toLowerCase());
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function like(value: string, pattern: string): boolean {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*');
  return new RegExp(`^${escaped}$`, 'i').test(value);
}

function sortRows(def: EntityDef, query: ParsedQuery, rows: unknown[]): void {
  const idField = field(def, 'Id');
  // Records usually sit in Id order already; checking is O(n) where sorting big companies is not.
  if (query.orderBy.length === 0 && isSortedById(idField, rows)) return;
  const keys = [
    ...query.orderBy.map((o) => ({ f: field(def, o.field), desc: o.desc })),
    { f: idField, desc: false },
  ];
  const first = (value: ReturnType<FieldDef<unknown>['get']>): Comparable =>
    Array.isArray(value) ? (value[0] ?? null) : value;
  rows.sort((a, b) => {
    for (const key of keys) {
      const order = compare(key.f.type, first(key.f.get(a)), first(key.f.get(b)));
      if (order !== 0) return key.desc ? -order : order;
    }
    return 0;
  });
}

function isSortedById(idField: FieldDef<unknown>, rows: unknown[]): boolean {
  for (let i = 1; i < rows.length; i += 1) {
    if (Number(idField.get(rows[i - 1])) > Number(idField.get(rows[i]))) return false;
  }
  return true;
}

/** `SELECT Id, Balance FROM Invoice` returns just those fields, flagged sparse like QuickBooks does. */
function project(entity: Record<string, unknown>, select: ParsedQuery['select']): Record<string, unknown> {
  if (!Array.isArray(select)) return entity;
  const out: Record<string, unknown> = { domain: entity['domain'], sparse: true, Id: entity['Id'] };
  for (const name of select) {
    const key = Object.keys(entity).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key !== undefined) out[key] = entity[key];
  }
  return out;
}
