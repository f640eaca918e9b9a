/**
 * Text PostgreSQL can store and a page can show. PostgreSQL refuses a NUL character in text, and a
 * lone UTF-16 surrogate (half of a character, from a cut-off string) cannot be encoded as UTF-8.
 */
/** Half a character: a high surrogate with no low one after it, or a low one with no high one before. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** True when `text` holds a NUL or half a character. */
export function isUnstorable(text: string): boolean {
  loneSurrogate.lastIndex = 0;
  return text.includes('\u0000') || loneSurrogate.test(text);
}

/** `text` with NULs removed and each half character replaced by U+FFFD (�). */
export function storableText(text: string): string {
  return isUnstorable(text) ? text.replaceAll('\u0000', '').replace(loneSurrogate, '\uFFFD') : text;
}

/**
 * Plain data: an object literal, or a dictionary whose prototype is bare (Fastify's parsed query
 * strings); not an instance of any class (Date, Buffer, a request).
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** A copy of plain data (objects, arrays, strings) with every string made storable. */
export function storable<Value>(value: Value): Value {
  if (typeof value === 'string') return storableText(value) as Value;
  if (Array.isArray(value)) return value.map(storable) as Value;
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [storableText(key), storable(inner)]),
    ) as Value;
  }
  return value;
}

/** True when any string in plain data (keys included) is unstorable. */
export function holdsUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return isUnstorable(value);
  if (Array.isArray(value)) return value.some(holdsUnstorable);
  if (isPlainObject(value))
    return Object.entries(value).some(([key, inner]) => isUnstorable(key) || holdsUnstorable(inner));
  return false;
}
