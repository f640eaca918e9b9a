/** Small statistics for the reliability scripts. */

/** The nearest-rank percentile (q in 0..1) of `values`, in the values' unit, to the millisecond. */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return round(sorted[rank] ?? Number.NaN);
}

export function summarise(values: number[]): { n: number; p50: number; p99: number; max: number } {
  return {
    n: values.length,
    p50: percentile(values, 0.5),
    p99: percentile(values, 0.99),
    max: values.length ? round(Math.max(...values)) : Number.NaN,
  };
}

export const round = (value: number) => Math.round(value * 1000) / 1000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Prints one JSON line on stdout. */
export function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
