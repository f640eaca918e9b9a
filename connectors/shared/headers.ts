/** The first value of a header, whatever its case and however the HTTP client delivered the headers. */
export function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const record = headers as Record<string, unknown>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : record[key];
  if (Array.isArray(value)) return value[0] === undefined ? undefined : String(value[0]);
  return value === undefined || value === null ? undefined : String(value);
}

/** A Retry-After header in seconds, when it holds a number. */
export function retryAfterSeconds(headers: unknown): number | null {
  const seconds = Number.parseFloat(headerValue(headers, 'retry-after') ?? '');
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}
