/**
 * The draws both emulators' generators make for a large set of books, the same for the same seed:
 * made-up business names, debtors with skewed invoice counts, amounts, and due dates around `today`.
 */
import { addDays } from './dates.js';
import { prng } from './prng.js';

/** The words a vendor's made-up business names are built from. */
export interface NameWords {
  first: readonly string[];
  second: readonly string[];
  suffix: readonly string[];
}

export function generatorDraws(seed: number, today: string) {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  return {
    random,
    int,
    pick,
    /** "Cedar Bakery Ltd #12": numbered, so every name is different. */
    businessName: (words: NameWords, number: number) =>
      `${pick(words.first)} ${pick(words.second)} ${pick(words.suffix)} #${number}`,
    /** An index below `count`, low ones far likelier: a few debtors with many invoices, many with few. */
    skewedIndex: (count: number) => Math.floor(random() ** 1.6 * count),
    /** An invoice total in minor units, 50.00 to 5000.99, half of them whole. */
    amount: () => int(50, 5000) * 100 + (random() < 0.5 ? int(0, 99) : 0),
    /** An open invoice's due date: between 120 days ago and 45 days ahead. */
    openDueDate: () => addDays(today, int(-120, 45)),
    /** A paid invoice's due date: up to 330 days ago. */
    paidDueDate: () => addDays(today, -int(1, 330)),
  };
}

/** "Cedar Bakery Ltd #12" → "cedar-bakery-ltd-12", for made-up email addresses. */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
