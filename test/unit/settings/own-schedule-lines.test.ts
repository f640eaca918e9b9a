import { describe, expect, it } from 'vitest';
import { defaultPolicy, policySchema } from '../../../src/domain/policy.js';
import { linesFromSteps, stepsFromLines } from '../../../src/web/app/forms/own-schedule.js';

describe("a customer's own schedule, typed a step a line", () => {
  it('says how each email goes and whether the statement goes with it, and reads back what it wrote', () => {
    const typed =
      '-3 email friendly\n7 email firm text\n14 email firm text email statement cc\n30 letter final';
    const { steps, problems } = stepsFromLines(typed);
    expect(problems).toEqual([]);
    expect(steps.map((step) => [step['via'], step['attachStatement']])).toEqual([
      [undefined, undefined],
      ['text', undefined],
      ['both', true],
      [undefined, undefined],
    ]);
    const parsed = policySchema.parse({ ...defaultPolicy, steps });
    expect(stepsFromLines(linesFromSteps(parsed.steps)).steps).toEqual(steps);
  });
});
