import { describe, expect, it } from 'vitest';
import type { RenderInputs } from '../../../src/db/schema/index.js';
import { dayNumber } from '../../../src/domain/local-time.js';
import { defaultPolicy } from '../../../src/domain/policy.js';
import { coverAtSending, isRung } from '../../../src/messaging/render/cover-at-sending.js';
import { day, debtor } from '../collections/debtor.js';

const today = dayNumber(day(0));
const rung: RenderInputs = {
  stepKey: 'firm',
  tone: 'firm',
  template: 'firm',
  lateFeeNotice: false,
  brokenPromise: null,
  rung: 1,
};
const installment: RenderInputs = { ...rung, stepKey: 'installment', template: 'installment', rung: null };

describe('what a queued email lists when it goes', () => {
  it('a rung lists every invoice overdue and still chased now, whatever its steps named', () => {
    const snapshot = debtor([
      { dueDate: day(-20) },
      // Fell overdue after the message was planned: the rung lists it too.
      { dueDate: day(-1) },
      { dueDate: day(5) },
    ]);
    expect(coverAtSending(rung, snapshot, defaultPolicy, today, ['inv-1'])).toEqual(['inv-1', 'inv-2']);
  });

  it('a rung leaves out an invoice paid, or disputed or promised, since it was planned', () => {
    const snapshot = debtor(
      [
        { dueDate: day(-20) },
        { dueDate: day(-15), balanceMinor: 0 },
        { dueDate: day(-12) },
        { dueDate: day(-9) },
      ],
      {
        disputes: [{ invoiceIds: ['inv-3'], status: 'open', openedOn: day(-1) }],
        promises: [{ invoiceIds: ['inv-4'], status: 'open', promisedDate: day(4), madeOn: day(-1) }],
      },
    );
    expect(coverAtSending(rung, snapshot, defaultPolicy, today, [])).toEqual(['inv-1']);
  });

  it('a rung lists nothing when a payment racing it leaves too little to chase', () => {
    const policy = { ...defaultPolicy, minimumBalanceMinor: 5_000 };
    const partlyPaid = debtor([{ dueDate: day(-20), balanceMinor: 4_000 }]);
    expect(coverAtSending(rung, partlyPaid, policy, today, ['inv-1'])).toEqual([]);
    const coveredByCredit = debtor(
      [{ dueDate: day(-20), balanceMinor: 9_000 }],
      {},
      {
        credits: [{ currency: 'GBP', amountMinor: 6_000 }],
      },
    );
    expect(coverAtSending(rung, coveredByCredit, policy, today, ['inv-1'])).toEqual([]);
  });

  it('any other email lists the invoices it named that are still open, and nothing once none is', () => {
    const snapshot = debtor([{ dueDate: day(-20) }, { dueDate: day(-10) }, { dueDate: day(3) }]);
    expect(coverAtSending(installment, snapshot, defaultPolicy, today, ['inv-2', 'inv-3'])).toEqual([
      'inv-2',
      'inv-3',
    ]);
    // inv-9 is no longer among the debtor's open invoices (paid and closed since).
    expect(coverAtSending(installment, snapshot, defaultPolicy, today, ['inv-9'])).toEqual([]);
  });

  it('a heads-up held past its time (for approval, or nothing ran) does not go once the due date has come', () => {
    const headsUp: RenderInputs = {
      ...rung,
      stepKey: 'heads-up',
      tone: 'friendly',
      template: 'friendly',
      rung: null,
    };
    const snapshot = debtor([{ dueDate: day(1) }, { dueDate: day(0) }, { dueDate: day(-1) }]);
    expect(coverAtSending(headsUp, snapshot, defaultPolicy, today, ['inv-1', 'inv-2', 'inv-3'])).toEqual([
      'inv-1',
    ]);
    // Approved the day after the due date: nothing left to give a heads-up about.
    expect(coverAtSending(headsUp, snapshot, defaultPolicy, today + 2, ['inv-1'])).toEqual([]);
    // An "on the due date" step still goes on that day.
    const onTheDay = {
      ...defaultPolicy,
      steps: defaultPolicy.steps.map((step) => (step.key === 'heads-up' ? { ...step, offsetDays: 0 } : step)),
    };
    expect(coverAtSending(headsUp, snapshot, onTheDay, today, ['inv-1', 'inv-2', 'inv-3'])).toEqual([
      'inv-1',
      'inv-2',
    ]);
  });

  it('tells a rung from an email about named invoices, for inputs stored before journeys too', () => {
    expect(isRung(rung)).toBe(true);
    expect(isRung(installment)).toBe(false);
    expect(isRung({ ...installment, template: 'plan-offer' })).toBe(true);
    const { rung: _, ...beforeJourneys } = rung;
    expect(isRung(beforeJourneys)).toBe(true);
    expect(isRung({ ...beforeJourneys, tone: 'friendly', template: 'friendly' })).toBe(false);
    expect(isRung({ ...beforeJourneys, template: 'settlement' })).toBe(false);
  });
});
