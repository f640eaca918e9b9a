/**
 * The list parameters Xero's GET endpoints share:
 * - `where`: a C#-like filter over the JSON fields, e.g. `Type=="ACCREC" AND Status=="AUTHORISED"`,
 *   `Contact.ContactID==Guid("…")`, `Date>=DateTime(2024,01,31)`, `AmountDue>0`, `Name.Contains("acme")`; `=` also
 *   works (Contacts' documented examples use it); AND/&&, OR/||, parentheses. String comparisons ignore case.
 * - `order`: `Field [ASC|DESC], …`.
 * - `page` (1-based) and `pageSize` (default 100, at most 1000: larger values are clamped). With `page`, the answer
 *   carries `"pagination":{"page","pageSize","pageCount","itemCount"}` (xero_accounting.yaml examples).
 * Anything unparseable → 400 QueryParseException.
 */
import { queryParseError } from '../faults.js';
import { msOfWireDate } from '../time.js';
import type { Json } from './pipeline.js';

type Value = string | number | boolean | null | undefined;
type Predicate = (row: Json) => boolean;

const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

function fieldValue(row: Json, path: string): Value {
  let current: unknown = row;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    const record = current as Record<string, unknown>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === part.toLowerCase());
    current = key === undefined ? undefined : record[key];
  }
  if (typeof current === 'string') return msOfWireDate(current) ?? current;
  if (typeof current === 'number' || typeof current === 'boolean' || current === null) return current;
  return undefined;
}

function compare(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string')
    return a.localeCompare(b, 'en', { sensitivity: 'base' });
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  return String(a).localeCompare(String(b));
}

const TOKEN =
  /\s*(?:(\|\||&&|==|!=|>=|<=|=|>|<|\(|\)|,|\.)|("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (!match)
      throw queryParseError(`Unexpected character at position ${TOKEN.lastIndex} of the where clause`);
    tokens.push((match[1] ?? match[2] ?? match[3] ?? match[4]) as string);
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: string[]) {}

  parse(): Predicate {
    const predicate = this.or();
    if (this.i < this.tokens.length)
      throw queryParseError(`Unexpected "${this.tokens[this.i]}" in the where clause`);
    return predicate;
  }

  private peek(): string | undefined {
    return this.tokens[this.i];
  }

  private take(expected?: string): string {
    const token = this.tokens[this.i];
    if (token === undefined || (expected !== undefined && token.toUpperCase() !== expected.toUpperCase())) {
      throw queryParseError(`Expected ${expected ?? 'more'} in the where clause`);
    }
    this.i += 1;
    return token;
  }

  private or(): Predicate {
    let left = this.and();
    while (this.peek() === '||' || this.peek()?.toUpperCase() === 'OR') {
      this.take();
      const l = left;
      const r = this.and();
      left = (row) => l(row) || r(row);
    }
    return left;
  }

  private and(): Predicate {
    let left = this.comparison();
    while (this.peek() === '&&' || this.peek()?.toUpperCase() === 'AND') {
      this.take();
      const l = left;
      const r = this.comparison();
      left = (row) => l(row) && r(row);
    }
    return left;
  }

  private comparison(): Predicate {
    if (this.peek() === '(') {
      this.take('(');
      const inner = this.or();
      this.take(')');
      return inner;
    }
    if (this.peek()?.toUpperCase() === 'NOT') {
      this.take();
      const inner = this.comparison();
      return (row) => !inner(row);
    }
    const left = this.operand();
    const op = this.peek();
    if (op === undefined || !['==', '!=', '>=', '<=', '=', '>', '<'].includes(op)) {
      return (row) => left(row) === true;
    }
    this.take();
    const right = this.operand();
    const test: Record<string, (c: number) => boolean> = {
      '==': (c) => c === 0,
      '=': (c) => c === 0,
      '!=': (c) => c !== 0,
      '>': (c) => c > 0,
      '>=': (c) => c >= 0,
      '<': (c) => c < 0,
      '<=': (c) => c <= 0,
    };
    const check = test[op] as (c: number) => boolean;
    return (row) => check(compare(left(row), right(row)));
  }

  private operand(): (row: Json) => Value {
    const token = this.take();
    if (token.startsWith('"')) {
      const text = JSON.parse(token) as string;
      return () => text;
    }
    if (/^-?\d/.test(token)) return () => Number(token);
    const upper = token.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') return () => upper === 'TRUE';
    if (upper === 'NULL') return () => null;
    if ((upper === 'DATETIME' || upper === 'GUID') && this.peek() === '(') return this.call(upper);
    let path = token;
    while (this.peek() === '.') {
      this.take('.');
      const name = this.take();
      if (this.peek() === '(') return this.method(path, name);
      path = `${path}.${name}`;
    }
    return (row) => fieldValue(row, path);
  }

  private args(): string[] {
    this.take('(');
    const args: string[] = [];
    while (this.peek() !== ')') {
      args.push(this.take());
      if (this.peek() === ',') this.take(',');
    }
    this.take(')');
    return args;
  }

  private call(name: string): () => Value {
    const args = this.args();
    if (name === 'GUID') {
      const text = JSON.parse(args[0] ?? '""') as string;
      return () => text;
    }
    const [y, m = '1', d = '1', h = '0', mi = '0', s = '0'] = args.map((a) => a.replace(/^"|"$/g, ''));
    const ms = Date.UTC(Number(y), Number(m) - 1, Number(d), Number(h), Number(mi), Number(s));
    if (Number.isNaN(ms)) throw queryParseError('DateTime() needs numeric arguments');
    return () => ms;
  }

  private method(path: string, name: string): (row: Json) => Value {
    const args = this.args().map((a) => (a.startsWith('"') ? (JSON.parse(a) as string) : a));
    const method = name.toLowerCase();
    return (row) => {
      const value = fieldValue(row, path);
      const text = typeof value === 'string' ? value.toLowerCase() : '';
      const needle = (args[0] ?? '').toLowerCase();
      if (method === 'contains') return text.includes(needle);
      if (method === 'startswith') return text.startsWith(needle);
      if (method === 'endswith') return text.endsWith(needle);
      if (method === 'tolower' || method === 'toupper') return typeof value === 'string' ? value : value;
      throw queryParseError(`Unsupported method ${name} in the where clause`);
    };
  }
}

export function whereFilter(where: string | undefined): Predicate {
  if (where === undefined || where.trim() === '') return () => true;
  return new Parser(tokenize(where)).parse();
}

export function orderBy(order: string | undefined, fallback: string): (a: Json, b: Json) => number {
  const terms = (order && order.trim() !== '' ? order : fallback).split(',').map((term) => {
    const [field = '', direction = 'ASC'] = term.trim().split(/\s+/);
    if (!/^[A-Za-z][A-Za-z0-9.]*$/.test(field) || !/^(ASC|DESC)$/i.test(direction)) {
      throw queryParseError(`Cannot order by "${term.trim()}"`);
    }
    return { field, sign: direction.toUpperCase() === 'DESC' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { field, sign } of terms) {
      const c = compare(fieldValue(a, field), fieldValue(b, field));
      if (c !== 0) return c * sign;
    }
    return 0;
  };
}

/** Comma-separated list parameters (IDs, Statuses, ContactIDs, InvoiceNumbers), case-insensitive. */
export function listParam(value: string | undefined): Set<string> | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return new Set(
    value
      .split(',')
      .map((v) => v.trim().replace(/^"|"$/g, '').toLowerCase())
      .filter(Boolean),
  );
}

export function paginate<T>(
  items: T[],
  query: Record<string, string | undefined>,
  forced = false,
): { items: T[]; pagination?: Json } {
  if (query['page'] === undefined && !forced) return { items };
  const page = Math.max(1, Math.floor(Number(query['page'] ?? 1)) || 1);
  const requested = Math.floor(Number(query['pagesize'] ?? DEFAULT_PAGE_SIZE)) || DEFAULT_PAGE_SIZE;
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, requested));
  return {
    items: items.slice((page - 1) * pageSize, page * pageSize),
    pagination: { page, pageSize, pageCount: Math.ceil(items.length / pageSize), itemCount: items.length },
  };
}

export function truthy(value: string | undefined): boolean {
  return value !== undefined && value.toLowerCase() === 'true';
}
