import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../../src/domain/policy.js';
import { evaluationInstants, runForward } from '../../../src/forecast/run-forward.js';
import { day, debtor, tuesdayMorning } from '../collections/debtor.js';

const from = tuesdayMorning; // Tuesday 2026-11-24, 10:00 London

describe('runForward: the planner run forward', () => {
  it('evaluates at seven past each hour, as the engine does', () => {
    const instants = evaluationInstants(new Date('2026-11-24T10:00:00Z'), 1);
    expect(instants[0]?.toISOString()).toBe('2026-11-24T10:07:00.000Z');
    expect(instants).toHaveLength(24);
    expect(evaluationInstants(new Date('2026-11-24T10:07:00Z'), 1)[0]?.toISOString()).toBe(
      '2026-11-24T10:07:00.000Z',
    );
  });

  it('walks a silent debtor up the ladder, each on its day and a week apart at least, in working hours', () => {
    const entries = runForward([debtor([{ dueDate: day(-8) }])], defaultPolicy, { from, days: 30 });
    expect(entries.map((entry) => [entry.day, entry.stepKey, entry.to])).toEqual([
      ['2026-11-24', 'firm', ['ap@coolcars.example']],
      ['2026-12-01', 'firm-fees', ['ap@coolcars.example']],
      // 30 days overdue: the formal demand (the final notice, at 45, is beyond the 30 days).
      ['2026-12-16', 'demand', ['ap@coolcars.example']],
    ]);
    expect(entries[0]).toMatchObject({
      at: '2026-11-24T10:07:00.000Z',
      channel: 'email',
      label: 'Firm reminder',
    });
    expect(entries[0]?.why).toContain('8 days overdue');
    expect(entries[0]?.owed).toEqual([{ currency: 'GBP', amountMinor: 10_000 }]);
  });

  it('waits for the sending window and skips the weekend', () => {
    // Friday 2026-11-27 at 18:00 London: the window has closed; Saturday and Sunday are not sending days.
    const entries = runForward([debtor([{ dueDate: day(-8) }])], defaultPolicy, {
      from: new Date('2026-11-27T18:00:00Z'),
      days: 3,
    });
    expect(entries.map((entry) => entry.at)).toEqual(['2026-11-30T09:07:00.000Z']);
  });

  it('resumes at the next rung at once when a promise lapses unpaid', () => {
    const snapshot = debtor([{ dueDate: day(-20) }], {
      contacts: [
        { at: `${day(-13)}T10:07:00.000Z`, kind: 'email', steps: [{ invoiceId: 'inv-1', stepKey: 'firm' }] },
      ],
      promises: [{ invoiceIds: ['inv-1'], promisedDate: day(2), status: 'open', madeOn: day(-10) }],
    });
    const entries = runForward([snapshot], defaultPolicy, { from, days: 10 });
    // Held until the promised date and three days' grace; the day after, the next rung, saying so.
    expect(entries[0]).toMatchObject({ day: day(6), stepKey: 'firm-fees' });
    expect(entries[0]?.why).toContain('after a broken promise');
    expect(snapshot.history.promises[0]?.status).toBe('open');
  });

  it('stops at an email that waits for approval, and never contacts a debtor held by a person', () => {
    const valuable = debtor([{ dueDate: day(-29) }], {
      contacts: [
        {
          at: `${day(-8)}T10:07:00.000Z`,
          kind: 'email',
          steps: [{ invoiceId: 'inv-1', stepKey: 'firm-fees' }],
        },
      ],
      lifetimePaidMinor: 6_000_000,
    });
    const excluded = debtor(
      [{ dueDate: day(-29) }],
      {},
      { customerId: 'cust-2', overrides: { excluded: true } },
    );
    const entries = runForward([valuable, excluded], defaultPolicy, { from, days: 30 });
    expect(entries.map((entry) => [entry.stepKey, entry.awaitsApproval])).toEqual([['demand', true]]);
  });

  it('says which reminders go by text: to a debtor with a consented number, by email to the others', () => {
    const byText = {
      ...defaultPolicy,
      steps: defaultPolicy.steps.map((step) =>
        step.key === 'firm'
          ? { ...step, via: 'text' as const }
          : step.key === 'demand'
            ? { ...step, via: 'both' as const }
            : step,
      ),
    };
    const textable = debtor([{ dueDate: day(-8) }], {}, { customerId: 'texts', textable: true });
    const emailOnly = debtor([{ dueDate: day(-8) }], {}, { customerId: 'emails' });
    const entries = runForward([textable, emailOnly], byText, { from, days: 30 });
    const channels = (customerId: string) =>
      entries
        .filter((entry) => entry.customerId === customerId)
        .map((entry) => [entry.stepKey, entry.channel]);
    expect(channels('texts')).toEqual(
      expect.arrayContaining([
        ['firm', 'text'],
        ['demand', 'email and text'],
      ]),
    );
    expect(channels('emails').every(([, channel]) => channel === 'email')).toBe(true);
    const labels = entries.filter((entry) => entry.customerId === 'texts').map((entry) => entry.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'Firm reminder by text',
        'Formal demand by email and text with late-fee notice',
      ]),
    );
    expect(entries.some((entry) => entry.customerId === 'emails' && entry.label.includes('by text'))).toBe(
      false,
    );
    expect(channels('emails').map(([stepKey]) => stepKey)).toEqual(
      channels('texts').map(([stepKey]) => stepKey),
    );
  });
});
