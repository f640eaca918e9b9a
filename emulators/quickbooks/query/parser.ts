/**
 * Parser for the QuickBooks query language, the subset node-quickbooks generates and people write:
 *   SELECT * | COUNT(*) | Field, … FROM Entity
 *   [WHERE cond AND cond …] [ORDERBY Field [ASC|DESC], …] [STARTPOSITION n] [MAXRESULTS n]
 * cond: Field (= | < | > | <= | >= | !=) literal, Field IN (literal, …), Field LIKE 'x%'.
 * Keywords are case-insensitive. QuickBooks has no OR, no parentheses in WHERE and no joins; those are
 * syntax errors here too. node-quickbooks escapes quotes inside strings as \' (criteriaToString).
 */
import { queryParserError } from '../faults.js';

export type Literal = string | number | boolean;
export type Operator = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'like';

export interface Condition {
  field: string;
  op: Operator;
  value: Literal | Literal[];
}

export interface ParsedQuery {
  select: '*' | 'count' | string[];
  entity: string;
  where: Condition[];
  orderBy: { field: string; desc: boolean }[];
  startPosition?: number;
  maxResults?: number;
}

type TokenKind = 'word' | 'string' | 'number' | 'symbol' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  value: string;
  column: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const column = i + 1;
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length)
          throw queryParserError(`Lexical error at line 1, column ${column}. Unterminated string.`);
        const c = text.charAt(j);
        if (c === '\\' && j + 1 < text.length) {
          value += text.charAt(j + 1);
          j += 2;
        } else if (c === "'" && text.charAt(j + 1) === "'") {
          value += "'";
          j += 2;
        } else if (c === "'") {
          break;
        } else {
          value += c;
          j += 1;
        }
      }
      tokens.push({ kind: 'string', text: text.slice(i, j + 1), value, column });
      i = j + 1;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], value: number[0], column });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (word) {
      tokens.push({ kind: 'word', text: word[0], value: word[0], column });
      i += word[0].length;
      continue;
    }
    const symbol = /^(<=|>=|!=|<>|[(),*=<>])/.exec(text.slice(i));
    if (symbol) {
      const value = symbol[0] === '<>' ? '!=' : symbol[0];
      tokens.push({ kind: 'symbol', text: symbol[0], value, column });
      i += symbol[0].length;
      continue;
    }
    throw queryParserError(`Lexical error at line 1, column ${column}. Encountered: "${ch}"`);
  }
  tokens.push({ kind: 'end', text: '<EOF>', value: '', column: text.length + 1 });
  return tokens;
}

class Cursor {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.index] ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.value.toLowerCase() === word;
  }

  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.next();
    return true;
  }

  expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) this.fail();
  }

  acceptSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token.kind !== 'symbol' || token.value !== symbol) return false;
    this.next();
    return true;
  }

  expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) this.fail();
  }

  identifier(): string {
    const token = this.peek();
    if (token.kind !== 'word' || RESERVED.has(token.value.toLowerCase())) this.fail();
    return this.next().value;
  }

  integer(): number {
    const token = this.peek();
    if (token.kind !== 'number' || !/^\d+$/.test(token.value)) this.fail();
    return Number(this.next().value);
  }

  fail(): never {
    const token = this.peek();
    throw queryParserError(`Encountered " ${token.text} " at line 1, column ${token.column}.`);
  }
}

const RESERVED = new Set([
  'select',
  'from',
  'where',
  'and',
  'or',
  'orderby',
  'order',
  'startposition',
  'maxresults',
]);

function literal(cursor: Cursor): Literal {
  const token = cursor.peek();
  if (token.kind === 'string') return cursor.next().value;
  if (token.kind === 'number') return Number(cursor.next().value);
  if (token.kind === 'word' && /^(true|false)$/i.test(token.value))
    return cursor.next().value.toLowerCase() === 'true';
  return cursor.fail();
}

function condition(cursor: Cursor): Condition {
  const field = cursor.identifier();
  if (cursor.acceptKeyword('in')) {
    cursor.expectSymbol('(');
    const values: Literal[] = [literal(cursor)];
    while (cursor.acceptSymbol(',')) values.push(literal(cursor));
    cursor.expectSymbol(')');
    return { field, op: 'in', value: values };
  }
  if (cursor.acceptKeyword('like')) return { field, op: 'like', value: literal(cursor) };
  const token = cursor.peek();
  if (token.kind !== 'symbol' || !['=', '!=', '<', '>', '<=', '>='].includes(token.value)) cursor.fail();
  cursor.next();
  return { field, op: token.value as Operator, value: literal(cursor) };
}

export function parseQuery(text: string): ParsedQuery {
  const cursor = new Cursor(tokenize(text));
  cursor.expectKeyword('select');
  let select: ParsedQuery['select'];
  if (cursor.acceptSymbol('*')) {
    select = '*';
  } else if (cursor.acceptKeyword('count')) {
    cursor.expectSymbol('(');
    cursor.expectSymbol('*');
    cursor.expectSymbol(')');
    select = 'count';
  } else {
    const fields = [cursor.identifier()];
    while (cursor.acceptSymbol(',')) fields.push(cursor.identifier());
    select = fields;
  }
  cursor.expectKeyword('from');
  const query: ParsedQuery = { select, entity: cursor.identifier(), where: [], orderBy: [] };
  if (cursor.acceptKeyword('where')) {
    query.where.push(condition(cursor));
    while (cursor.acceptKeyword('and')) query.where.push(condition(cursor));
  }
  if (cursor.acceptKeyword('orderby') || (cursor.acceptKeyword('order') && cursor.acceptKeyword('by'))) {
    do {
      const field = cursor.identifier();
      const desc = cursor.acceptKeyword('desc');
      if (!desc) cursor.acceptKeyword('asc');
      query.orderBy.push({ field, desc });
    } while (cursor.acceptSymbol(','));
  }
  for (let i = 0; i < 2; i += 1) {
    if (query.startPosition === undefined && cursor.acceptKeyword('startposition'))
      query.startPosition = cursor.integer();
    if (query.maxResults === undefined && cursor.acceptKeyword('maxresults'))
      query.maxResults = cursor.integer();
  }
  if (cursor.peek().kind !== 'end') cursor.fail();
  return query;
}
