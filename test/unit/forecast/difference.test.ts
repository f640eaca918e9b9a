import { describe, expect, it } from 'vitest';
import { forecastDifference } from '../../../src/forecast/difference.js';
import type { ForecastEntry } from '../../../src/forecast/run-forward.js';

const entry = (
  customerId: string,
  stepKey: string,
  day: string,
  rest: Partial<ForecastEntry> = {},
): ForecastEntry => ({
  at: `${day}T09:07:00.000Z`,
  day,
  customerId,
  customerName: customerId,
  kind: 'email',
  stepKey,
  label: stepKey,
  channel: 'email',
  to: [`${customerId}@example.com`],
  cc: [],
  awaitsApproval: false,
  invoiceIds: ['inv-1'],
  owed: [],
  why: '',
  ...rest,
});

describe('forecastDifference: what a change of policy changes', () => {
  it('pairs each customer’s steps and says what was added, removed, moved or changed', () => {
    const before = [
      entry('a', 'reminder', '2026-12-01'),
      entry('a', 'firm', '2026-12-08'),
      entry('b', 'firm', '2026-12-02'),
      entry('c', 'demand', '2026-12-03'),
    ];
    const after = [
      entry('a', 'reminder', '2026-12-01'),
      entry('a', 'firm', '2026-12-15'),
      entry('b', 'firm', '2026-12-02', { awaitsApproval: true }),
      entry('d', 'heads-up', '2026-12-04'),
    ];
    const difference = forecastDifference(before, after);
    expect(difference.unchanged).toBe(1);
    expect(difference.added.map((item) => `${item.customerId}:${item.stepKey}`)).toEqual(['d:heads-up']);
    expect(difference.removed.map((item) => `${item.customerId}:${item.stepKey}`)).toEqual(['c:demand']);
    expect(difference.moved.map(({ before: was, after: now }) => [now.customerId, was.day, now.day])).toEqual(
      [
        ['b', '2026-12-02', '2026-12-02'],
        ['a', '2026-12-08', '2026-12-15'],
      ],
    );
  });

  it('pairs a step that recurs in order, so one more of them is one added', () => {
    const task = (day: string) =>
      entry('a', 'find-address', day, { kind: 'task', channel: 'task for you', to: [] });
    const difference = forecastDifference([task('2026-12-01')], [task('2026-12-01'), task('2026-12-09')]);
    expect(difference.unchanged).toBe(1);
    expect(difference.added.map((item) => item.day)).toEqual(['2026-12-09']);
    expect(difference.removed).toEqual([]);
  });
});
