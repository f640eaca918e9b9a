import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/collections/plan.js';
import type { PastContact } from '../../../src/collections/snapshot.js';
import { defaultPolicy } from '../../../src/domain/policy.js';
import { day, debtor, tuesdayMorning } from './debtor.js';

const dayMs = 86_400_000;
const at = (days: number) => new Date(tuesdayMorning.getTime() + days * dayMs).toISOString();
/** The firm reminder (rung 2) sent `daysAgo` days before Tuesday morning, and what its reader said. */
const firmSent = (daysAgo: number, rest: Partial<PastContact> = {}): PastContact[] => [
  { at: at(-daysAgo - 7), kind: 'email', steps: [{ invoiceId: 'inv-1', stepKey: 'reminder' }] },
  { at: at(-daysAgo), kind: 'email', steps: [{ invoiceId: 'inv-1', stepKey: 'firm' }], ...rest },
];
const emailOf = (result: ReturnType<typeof plan>) => result.actions.find((action) => action.kind === 'email');

describe('a rung that went while its reader was away is sent again when they are back', () => {
  it('holds the ladder until they are back, though the next rung is due', () => {
    // 20 days overdue: "firm-fees" (day 14) is due, but the firm reminder went to an empty desk.
    const away = debtor([{ dueDate: day(-20) }], { contacts: firmSent(8, { awayUntil: day(2) }) });
    const result = plan(away, defaultPolicy, new Date(tuesdayMorning.getTime() + dayMs));
    expect(emailOf(result)).toBeUndefined();
  });

  it('sends the missed rung again on the day they are back, under its own key', () => {
    const snapshot = debtor([{ dueDate: day(-20) }], { contacts: firmSent(8, { awayUntil: day(0) }) });
    const again = emailOf(plan(snapshot, defaultPolicy, tuesdayMorning));
    expect(again).toMatchObject({ kind: 'email', stepKey: 'firm', rung: 1 });
    expect(again?.why).toContain('again: the last went while they were away (back on 2026-11-24)');
    const first = emailOf(
      plan(
        debtor([{ dueDate: day(-20) }], { contacts: firmSent(8).slice(0, 1) }),
        defaultPolicy,
        tuesdayMorning,
      ),
    );
    expect(first?.stepKey).toBe('firm');
    expect(again?.idempotencyKey).not.toBe(first?.idempotencyKey);
  });

  it('goes on up the ladder once the rung went twice: never a third time', () => {
    const contacts: PastContact[] = [
      ...firmSent(16, { awayUntil: day(-9) }),
      { at: at(-8), kind: 'email', steps: [{ invoiceId: 'inv-1', stepKey: 'firm' }], awayUntil: day(0) },
    ];
    const result = plan(debtor([{ dueDate: day(-28) }], { contacts }), defaultPolicy, tuesdayMorning);
    expect(emailOf(result)?.stepKey).toBe('firm-fees');
  });

  it('goes on as usual when no out-of-office reply came', () => {
    const result = plan(
      debtor([{ dueDate: day(-20) }], { contacts: firmSent(8) }),
      defaultPolicy,
      tuesdayMorning,
    );
    expect(emailOf(result)?.stepKey).toBe('firm-fees');
  });
});
