/** Hostile values for the fuzz run (test/reliability/fuzz.ts): text, numbers, dates, shapes. */
import fc from 'fast-check';

/** Text a person or a vendor should never send: NUL, half a UTF-16 pair, control and bidi characters. */
const nasty = [
  '\u0000',
  '\ud800',
  '\udfff',
  'a\ud83dz',
  '\u0000\u0000',
  '\u202e',
  '\ufeff',
  '\u0007',
  '\r\n',
  '%00',
  '\\u0000',
  "'; drop table customers; --",
  '<script>alert(1)</script>',
  '{{ "x" | append: "y" }}',
  '{% for i in (1..100000000) %}x{% endfor %}',
  '../../etc/passwd',
  '${process.exit(1)}',
  '𝕯𝖚𝖓𝖜𝖊𝖑𝖑',
  'Ω≈ç√∫',
];

/** A huge string (100–300 kB), built from a short seed so shrinking stays cheap. */
export const hugeString = fc
  .record({
    unit: fc.constantFrom('x', 'é', '\u0000', '\ud800', 'ab', '<b>', '{{'),
    kb: fc.integer({ min: 100, max: 300 }),
  })
  .map(({ unit, kb }) => unit.repeat(Math.ceil((kb * 1024) / unit.length)));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...nasty) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...nasty), fc.string({ maxLength: 10 }))
      .map((parts) => parts.join('')),
  },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '   \t ') },
);

/** Numbers at and beyond every edge, as numbers. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    -1e308,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER - 2,
    2 ** 31,
    2 ** 63,
    -(2 ** 63),
    0.1,
    1.5,
    -0.000001,
    5e-324,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Numbers as a form sends them: digits and everything else. */
export const hostileNumberText: fc.Arbitrary<string> = fc.oneof(
  hostileNumber.map(String),
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '1e999',
    '-1e999',
    '99999999999999999999999999999999',
    '-99999999999999999999999999999999',
    '0x10',
    '1_000',
    '1,000',
    '١٢٣',
    '+',
    '-',
    '.',
    '1e',
    '٫5',
  ),
);

/** Currency codes nobody issues, and not codes at all. */
export const hostileCurrency: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'ZZZ',
    'XXX',
    'XTS',
    'usd',
    'US',
    'USDD',
    '',
    '€',
    '123',
    'BTC',
    'VES',
    'CLF',
    'BHD',
    'JPY',
  ),
  fc.string({ minLength: 3, maxLength: 3 }),
);

/** Dates far away, impossible or not dates at all. */
export const hostileDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0000-01-01',
    '0001-01-01',
    '1000-02-29',
    '1970-01-01',
    '2024-02-30',
    '2025-13-01',
    '2025-00-10',
    '9999-12-31',
    '+275760-09-13',
    '-271821-04-20',
    '275760-09-14',
    '99999-01-01',
    '2025-1-1',
    '2025/01/01',
    'today',
    '',
    'T',
    '2025-01-01T25:61:61Z',
  ),
  fc
    .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10)),
);

/** Any JSON value, with hostile leaves and wrong shapes. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    hostileDate,
    hostileCurrency,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...nasty)), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value;

/** A leaf value for a field: any of the above, the field's own kind most often. */
export const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: hostileNumberText },
  { weight: 1, arbitrary: hostileDate },
  { weight: 1, arbitrary: hostileCurrency },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [1, 2], { a: 1 }) },
  { weight: 1, arbitrary: hostileJson },
);

/** A change to one path of a JSON document: a new value, or the field gone. */
export type JsonEdit =
  | { path: Array<string | number>; remove: true }
  | { path: Array<string | number>; value: unknown };

/** Every path in a JSON document (objects and arrays), the root excluded. */
export function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value))
    return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])]);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => [
      [...prefix, key],
      ...pathsOf(item, [...prefix, key]),
    ]);
  return [];
}

/** Edits of a known document: 1–4 paths changed or removed, sometimes a field nobody knows added. */
export function jsonEdits(base: unknown): fc.Arbitrary<JsonEdit[]> {
  const paths = pathsOf(base);
  const path = paths.length > 0 ? fc.constantFrom(...paths) : fc.constant<Array<string | number>>(['x']);
  const edit: fc.Arbitrary<JsonEdit> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ path, value: hostileLeaf }) },
    { weight: 2, arbitrary: path.map((p) => ({ path: p, remove: true as const })) },
    {
      weight: 1,
      arbitrary: fc.record({
        path: fc.tuple(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...nasty))),
        value: hostileLeaf,
      }),
    },
  );
  return fc.array(edit, { minLength: 1, maxLength: 4 });
}

/** The document with the edits made (a deep copy). */
export function applyEdits(base: unknown, edits: JsonEdit[]): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  for (const edit of edits) {
    let node: unknown = copy;
    for (const key of edit.path.slice(0, -1)) {
      if (node === null || typeof node !== 'object') break;
      node = (node as Record<string | number, unknown>)[key];
    }
    if (node === null || typeof node !== 'object') continue;
    const last = edit.path[edit.path.length - 1] as string | number;
    if ('remove' in edit) {
      if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
      else delete (node as Record<string | number, unknown>)[last];
    } else (node as Record<string | number, unknown>)[last] = edit.value;
  }
  return copy;
}

/** A form field's value as a text: strings mostly, numbers as typed. */
export const hostileFieldText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumberText },
  { weight: 2, arbitrary: hostileDate },
  { weight: 1, arbitrary: hostileCurrency },
);

/** A form post: the page's own fields with some changed, removed, repeated, and unknown ones added. */
export interface FormCase {
  changes: Array<{ field: string; value: string | string[] | null }>;
  extra: Array<[string, string]>;
  /** Sent as JSON (wrong types) instead of a form. */
  asJson: boolean;
  jsonValues: Array<{ field: string; value: unknown }>;
}

export function formCase(fieldNames: string[]): fc.Arbitrary<FormCase> {
  const field = fieldNames.length > 0 ? fc.constantFrom(...fieldNames) : fc.constant('x');
  return fc.record({
    changes: fc.array(
      fc.record({
        field,
        value: fc.oneof(
          { weight: 6, arbitrary: hostileFieldText },
          { weight: 1, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.array(hostileFieldText, { minLength: 2, maxLength: 3 }) },
        ),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    extra: fc.array(
      fc.tuple(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...nasty)), hostileFieldText),
      {
        maxLength: 2,
      },
    ),
    asJson: fc.integer({ min: 0, max: 5 }).map((value) => value === 0),
    jsonValues: fc.array(fc.record({ field, value: hostileLeaf }), { maxLength: 3 }),
  });
}

/** Makes the form's fields from the page's values and the case. */
export function formFields(base: Array<[string, string]>, formCaseValue: FormCase): Array<[string, string]> {
  const fields = new Map<string, string[]>();
  for (const [name, value] of base) fields.set(name, [...(fields.get(name) ?? []), value]);
  for (const change of formCaseValue.changes) {
    if (change.value === null) fields.delete(change.field);
    else fields.set(change.field, Array.isArray(change.value) ? change.value : [change.value]);
  }
  const out: Array<[string, string]> = [];
  for (const [name, values] of fields) for (const value of values) out.push([name, value]);
  return [...out, ...formCaseValue.extra];
}

/**
 * A urlencoded body that keeps what URLSearchParams would replace: a lone surrogate goes as its
 * WTF-8 bytes (%ED%A0%80), so the server sees the bytes a hostile client can send.
 */
export function encodeForm(fields: Array<[string, string]>): string {
  return fields.map(([name, value]) => `${encodeText(name)}=${encodeText(value)}`).join('&');
}

/** encodeURIComponent that sends a lone surrogate as its WTF-8 bytes instead of throwing. */
export function encodeText(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(index, index + 2));
      index++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out +=
        `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    } else out += encodeURIComponent(text[index] as string);
  }
  return out;
}

/** What a failing case looks like in the report: huge strings cut, control characters visible. */
export function describe(value: unknown): string {
  return JSON.stringify(value, (_key, item) =>
    typeof item === 'string' && item.length > 200
      ? `${item.slice(0, 40)}…(${item.length} chars of ${JSON.stringify(item.slice(0, 4))}…)`
      : item,
  );
}
