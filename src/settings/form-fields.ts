/** A form post as @fastify/formbody parses it: repeated fields arrive as arrays. */
export type FormBody = Record<string, string | string[] | undefined>;

/** The first value of a field, trimmed; '' when absent. */
export function firstValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
}

/** The named field's first value, trimmed. */
export function fieldText(body: FormBody, name: string): string {
  return firstValue(body[name]);
}
