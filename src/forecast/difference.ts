import type { ForecastEntry } from './run-forward.js';

/** How two forecasts of the same debtors differ, step by step. */
export interface ForecastDifference {
  /** Would happen only under the proposed policy. */
  added: ForecastEntry[];
  /** Would happen only under the policy in force. */
  removed: ForecastEntry[];
  /** The same step for the same customer, on another day or in another form (tone, approval, recipients). */
  moved: Array<{ before: ForecastEntry; after: ForecastEntry }>;
  /** Steps that stay exactly as they were. */
  unchanged: number;
}

const identity = (entry: ForecastEntry) => `${entry.customerId}|${entry.kind}|${entry.stepKey}`;
const form = (entry: ForecastEntry) =>
  JSON.stringify([entry.day, entry.label, entry.to, entry.cc, entry.awaitsApproval, entry.invoiceIds]);

/**
 * Pairs each customer's steps of the two forecasts by step (in order, when a step recurs) and says
 * what was added, removed or moved: the difference a change of policy makes before it is saved.
 */
export function forecastDifference(before: ForecastEntry[], after: ForecastEntry[]): ForecastDifference {
  const waiting = new Map<string, ForecastEntry[]>();
  for (const entry of before) {
    const list = waiting.get(identity(entry));
    if (list) list.push(entry);
    else waiting.set(identity(entry), [entry]);
  }
  const difference: ForecastDifference = { added: [], removed: [], moved: [], unchanged: 0 };
  for (const entry of after) {
    const earlier = waiting.get(identity(entry))?.shift();
    if (!earlier) difference.added.push(entry);
    else if (form(earlier) !== form(entry)) difference.moved.push({ before: earlier, after: entry });
    else difference.unchanged += 1;
  }
  for (const list of waiting.values()) difference.removed.push(...list);
  const byDay = (a: ForecastEntry, b: ForecastEntry) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
  difference.added.sort(byDay);
  difference.removed.sort(byDay);
  difference.moved.sort((a, b) => byDay(a.after, b.after));
  return difference;
}
