import { describe, expect, it } from 'vitest';
import { policyProblems } from '../../../src/collections/policy-versions.js';
import { defaultPolicy } from '../../../src/domain/policy.js';
import { organisationSettingsSchema } from '../../../src/organisations/settings.js';
import { problemsInWords } from '../../../src/words/problems.js';
import { settingsFieldWords } from '../../../src/words/settings-fields.js';

/** What a form's service hands the page: "path: Sentence" lines, split as the pages split them. */
const linesOf = (candidate: unknown) => {
  const checked = policyProblems(candidate);
  return 'problems' in checked ? checked.problems : [];
};
/** Zod's own words, which a person must never read. */
const zodWords = /Invalid input|expected \w+|received \w+|Too (big|small)|Unrecognized/i;

describe('validation problems in words', () => {
  it('names the schedule’s fields by their labels, in whole sentences', () => {
    const [first, ...rest] = defaultPolicy.steps;
    const lines = linesOf({
      ...defaultPolicy,
      minDaysBetweenContacts: 'ten',
      steps: [{ ...first, offsetDays: '3 days' }, ...rest],
      sendingWindow: { ...defaultPolicy.sendingWindow, startHour: 12, endHour: 10 },
    });
    expect(lines).toEqual(
      expect.arrayContaining([
        'minDaysBetweenContacts: Days between contacts must be a whole number.',
        'steps.0.offsetDays: Step 1’s days from the due date must be a whole number.',
      ]),
    );
    expect(linesOf({ ...defaultPolicy, minDaysBetweenContacts: 1 })).toEqual([
      'minDaysBetweenContacts: Days between contacts must be at least 3.',
    ]);
    expect(
      linesOf({
        ...defaultPolicy,
        sendingWindow: { ...defaultPolicy.sendingWindow, startHour: 12, endHour: 10 },
      }),
    ).toEqual(['sendingWindow.endHour: The last sending hour must be after the start hour.']);
  });

  it('says the money page’s rules in the units typed (percent, not fractions)', () => {
    expect(
      linesOf({ ...defaultPolicy, recovery: { ...defaultPolicy.recovery, agencyFeeShare: 0.9 } }),
    ).toEqual(['recovery.agencyFeeShare: The agency’s fee must be between 5 and 70 %.']);
    expect(
      linesOf({ ...defaultPolicy, arrangements: { ...defaultPolicy.arrangements, promiseMaxDays: 'soon' } }),
    ).toEqual(['arrangements.promiseMaxDays: How far ahead a promise may be must be between 1 and 90 days.']);
  });

  it('never lets zod’s own words through, whatever is typed where', () => {
    const garbage = ['', 'x', -1, 1.5, 99999, null, [], {}];
    const paths: Array<(value: unknown) => unknown> = [
      (value) => ({ ...defaultPolicy, minDaysBetweenContacts: value }),
      (value) => ({ ...defaultPolicy, minimumBalanceMinor: value }),
      (value) => ({ ...defaultPolicy, firstContactMaxTone: value }),
      (value) => ({ ...defaultPolicy, closedDays: [value] }),
      (value) => ({ ...defaultPolicy, sendingWindow: { ...defaultPolicy.sendingWindow, weekdays: value } }),
      (value) => ({
        ...defaultPolicy,
        steps: [{ ...defaultPolicy.steps[0], offsetDays: value, tone: value }],
      }),
      (value) => ({ ...defaultPolicy, segmentAdjustments: { chronic: { escalationShiftDays: value } } }),
      (value) => ({
        ...defaultPolicy,
        lateFees: { rule: { kind: 'flat', amountMinor: value, graceDays: 0 } },
      }),
    ];
    for (const make of paths)
      for (const value of garbage)
        for (const line of linesOf(make(value))) {
          const sentence = line.slice(line.indexOf(': ') + 2);
          expect(sentence, line).not.toMatch(zodWords);
          expect(sentence, line).toMatch(/^[A-Z].* .*\.$/);
          expect(sentence, line).not.toMatch(/[a-z][A-Z]/);
        }
  });

  it('names the settings pages’ fields by their labels', () => {
    const parsed = organisationSettingsSchema.safeParse({
      contactEmail: 'not an address',
      brandColour: 'blue',
      weeklySummary: { hour: 25, recipients: ['a@b.example', 'nope'] },
    });
    expect(parsed.success).toBe(false);
    const problems = problemsInWords(parsed.error?.issues ?? [], settingsFieldWords);
    expect(Object.fromEntries(problems)).toEqual({
      contactEmail: [
        'The email for replies and questions must be an email address, such as name@example.com.',
      ],
      brandColour: ['The colour must be a colour written like #1a5fb4.'],
      'weeklySummary.hour': ['The hour must be a whole number from 0 to 23.'],
      'weeklySummary.recipients.1': ['Recipient 2 must be an email address.'],
    });
  });
});
