/** Counts in words with the right plural: "1 day", "2 days", "1 invoice" (English plural rules). */

const rules = new Intl.PluralRules('en');

/** "1 day", "12 days"; `many` for irregular plurals. */
export function countOf(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${rules.select(count) === 'one' ? one : many}`;
}

/** "1 day overdue", "12 days overdue". */
export const daysOverdue = (days: number): string => `${countOf(days, 'day')} overdue`;
