/*
 * Exact fractions for money arithmetic: a factor is read as the decimal it prints as (0.3 is 3/10, not
 * the nearest binary float), products are exact (BigInt), and a result is rounded once, half up.
 */

/**
 * `share` (0.25 = a quarter) of whole minor units, reading the share as the decimal it prints as and
 * rounding half up once, as the recommendation does: what a settlement forgives.
 */
export function shareOfMinor(amountMinor: number, share: number): number {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`not whole minor units: ${amountMinor}`);
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new RangeError(`share must be within 0–1: ${share}`);
  return roundHalfUp(mul(int(amountMinor), q(share)));
}

/** An exact fraction n/d with d > 0. */
export interface Rational {
  n: bigint;
  d: bigint;
}

export function int(value: number): Rational {
  return { n: BigInt(value), d: 1n };
}

/** Decimals already read (probabilities and shares recur in every flag); rationals are never mutated. */
const decimals = new Map<number, Rational>();

/** Reads a number as the decimal it prints as (0.3 → 3/10, 1e-7 → 1/10⁷). */
export function q(value: number): Rational {
  if (Number.isSafeInteger(value)) return int(value);
  const known = decimals.get(value);
  if (known) return known;
  const read = readDecimal(value);
  if (decimals.size >= 1_000) decimals.clear();
  decimals.set(value, read);
  return read;
}

function readDecimal(value: number): Rational {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new RangeError(`Not a finite number: ${value}`);
  const [, sign = '', whole = '0', fraction = '', exponent = '0'] = match;
  const scale = fraction.length - Number(exponent);
  const n = BigInt(`${sign}${whole}${fraction}`);
  return scale >= 0 ? { n, d: 10n ** BigInt(scale) } : { n: n * 10n ** BigInt(-scale), d: 1n };
}

export function add(a: Rational, b: Rational): Rational {
  return { n: a.n * b.d + b.n * a.d, d: a.d * b.d };
}

export function sub(a: Rational, b: Rational): Rational {
  return { n: a.n * b.d - b.n * a.d, d: a.d * b.d };
}

export function mul(a: Rational, b: Rational): Rational {
  return { n: a.n * b.n, d: a.d * b.d };
}

export function div(a: Rational, b: Rational): Rational {
  if (b.n === 0n) throw new RangeError('division by zero');
  return b.n < 0n ? { n: -a.n * b.d, d: a.d * -b.n } : { n: a.n * b.d, d: a.d * b.n };
}

export function compare(a: Rational, b: Rational): number {
  const diff = a.n * b.d - b.n * a.d;
  return diff > 0n ? 1 : diff < 0n ? -1 : 0;
}

/** floor(x + ½): round half up, ties toward +∞. */
export function roundHalfUp(x: Rational): number {
  const numerator = 2n * x.n + x.d;
  const denominator = 2n * x.d;
  const quotient = numerator / denominator;
  const floored = numerator % denominator !== 0n && numerator < 0n ? quotient - 1n : quotient;
  const result = Number(floored);
  if (!Number.isSafeInteger(result)) throw new RangeError('amount is too large to represent');
  return result;
}

export function toNumber(x: Rational): number {
  // Scale to 12 decimal places exactly, then convert: enough for a probability shown to people.
  const scaled = (x.n * 10n ** 12n) / x.d;
  return Number(scaled) / 1e12;
}
