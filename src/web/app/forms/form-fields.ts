/** A form post as @fastify/formbody parses it: repeated fields arrive as arrays. */
export type FormBody = Record<string, string | string[] | undefined>;

/**
 * The first value of a field, trimmed; '' when absent or not text (a JSON body posted to a form
 * route can carry numbers, objects or null where a form only ever has strings).
 */
export function firstValue(value: unknown): string {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

/** The named field's first value, trimmed. */
export function fieldText(body: FormBody, name: string): string {
  return firstValue(body[name]);
}
