import { describe, expect, it } from 'vitest';
import { nextStep } from '../../../src/collections/next-step.js';
import { policyProblems } from '../../../src/collections/policy-versions.js';
import { countOf, daysOverdue } from '../../../src/domain/plural.js';
import { defaultPolicy, stepKeyFor } from '../../../src/domain/policy.js';
import { adjustableSegments, scheduleFromForm } from '../../../src/web/app/forms/schedule-form.js';
import { plainWords, stepName } from '../../../src/words/labels.js';
import { day, debtor, tuesdayMorning } from '../collections/debtor.js';

/** The schedule form as the page posts it: every step's fields, by the policy's own paths. */
function formOf(steps: Array<Record<string, string>>): Record<string, string> {
  const body: Record<string, string> = {
    stepCount: String(steps.length),
    minDaysBetweenContacts: String(defaultPolicy.minDaysBetweenContacts),
    'sendingWindow.startHour': '9',
    'sendingWindow.endHour': '17',
    minimumBalanceMinor: '0',
    firstContactMaxTone: 'firm',
    promiseGraceDays: '3',
    closedDays: '',
    finalNoticeGraceDays: '14',
  };
  for (const weekday of [1, 2, 3, 4, 5]) body[`sendingWindow.weekdays.${weekday}`] = 'on';
  for (const segment of adjustableSegments) {
    body[`segmentAdjustments.${segment}.escalationShiftDays`] = '0';
    body[`segmentAdjustments.${segment}.flagShiftDays`] = '0';
    body[`segmentAdjustments.${segment}.offerPlanAtDays`] = '';
  }
  for (const [index, step] of steps.entries())
    for (const [field, value] of Object.entries(step)) body[`steps.${index}.${field}`] = value;
  return body;
}

describe('step names are the business’s own words', () => {
  it('accepts free-text names, with accents, and keeps each step’s key', () => {
    const body = formOf([
      { key: 'heads-up', name: 'A friendly nudge', offsetDays: '-3', action: 'email', tone: 'friendly' },
      { key: 'reminder', offsetDays: '1', action: 'email', tone: 'neutral' },
      { name: 'Second reminder', offsetDays: '7', action: 'email', tone: 'firm' },
      { name: 'Deuxième relance, très ferme!', offsetDays: '14', action: 'email', tone: 'formal' },
      // An older page posts the name in the key's field.
      { key: 'Second reminder', offsetDays: '21', action: 'email', tone: 'final' },
    ]);
    const checked = policyProblems(scheduleFromForm(body, defaultPolicy, 'GBP'));
    if (!('policy' in checked)) throw new Error(checked.problems.join('\n'));
    expect(checked.policy.steps.map((step) => [step.key, step.name])).toEqual([
      ['heads-up', 'A friendly nudge'],
      ['reminder', undefined],
      ['second-reminder', 'Second reminder'],
      ['deuxieme-relance-tres-ferme', 'Deuxième relance, très ferme!'],
      ['second-reminder-2', 'Second reminder'],
    ]);
    expect(checked.policy.steps.map(stepName)).toEqual([
      'A friendly nudge',
      'reminder',
      'Second reminder',
      'Deuxième relance, très ferme!',
      'Second reminder',
    ]);
  });

  it('refuses a name past the length a column shows, saying so in words', () => {
    const body = formOf([{ name: 'x'.repeat(61), offsetDays: '7', action: 'email', tone: 'firm' }]);
    const checked = policyProblems(scheduleFromForm(body, defaultPolicy, 'GBP'));
    expect('problems' in checked && checked.problems).toEqual([
      'steps.0.name: Step 1’s name must be at most 60 characters.',
    ]);
  });

  it('makes a key of any name: no letters left gives "step", a taken one a number', () => {
    expect(stepKeyFor('Ça va? 😀', new Set())).toBe('ca-va');
    expect(stepKeyFor('日本語', new Set())).toBe('step');
    expect(stepKeyFor('2nd reminder', new Set())).toBe('nd-reminder');
    expect(stepKeyFor('Step', new Set(['step', 'step-2']))).toBe('step-3');
  });

  it('says what comes next by the step’s own name', () => {
    const steps = defaultPolicy.steps.map((step) =>
      step.key === 'firm' ? { ...step, name: 'Second reminder' } : step,
    );
    const policy = { ...defaultPolicy, steps };
    const next = nextStep(debtor([{ dueDate: day(-8) }]), policy, tuesdayMorning);
    expect(next.text).toBe('Second reminder due now');
    expect(next.why).toContain('"Second reminder"');
  });
});

describe('counts and dates in people’s words', () => {
  it('says 1 day, not 1 days', () => {
    expect(daysOverdue(1)).toBe('1 day overdue');
    expect(daysOverdue(21)).toBe('21 days overdue');
    expect(countOf(1, 'invoice')).toBe('1 invoice');
    const next = nextStep(debtor([{ dueDate: day(-1) }]), defaultPolicy, tuesdayMorning);
    expect(next.why).toContain('1 day overdue');
    expect(next.why).not.toMatch(/\b1 days\b/);
    // Reasons stored before are written right when shown.
    expect(plainWords('1 days overdue: rung 1 of 6; 11 days ago; 1 invoices')).toBe(
      '1 day overdue: rung 1 of 6; 11 days ago; 1 invoice',
    );
  });

  it('writes the engine’s dates in the organisation’s format and zone', () => {
    expect(plainWords('Final notice on 2026-12-09 (contact cap: …)')).toBe(
      'Final notice on 9 Dec 2026 (contact cap: …)',
    );
    expect(plainWords('Final notice on 2026-12-09', { locale: 'en-US' })).toBe('Final notice on Dec 9, 2026');
    expect(
      plainWords('last message 2026-06-01 10:00 UTC', { locale: 'en-AU', timeZone: 'Australia/Sydney' }),
    ).toBe('last message 1 June 2026, 8:00 pm');
    expect(plainWords('last message 2026-06-01 10:00 UTC')).toBe('last message 1 Jun 2026, 10:00 UTC');
    expect(plainWords('see https://x.example/a_b and ap_team@x.example')).toBe(
      'see https://x.example/a_b and ap_team@x.example',
    );
  });
});
