import { describe, expect, it } from 'vitest';
import { type FormBody, fieldText, firstValue } from '../../src/web/app/forms/form-fields.js';

// Found by test/reliability/fuzz.ts: a JSON body posted to /app/:orgId/schedule with
// {"segmentAdjustments.disputing.flagShiftDays": 0} answered 500 (`.trim is not a function`).
describe('form fields from a JSON body', () => {
  it('reads numbers, objects, null and nested arrays as no text instead of throwing', () => {
    for (const value of [0, 12.5, {}, { a: 1 }, null, true, [{}], [3]])
      expect(firstValue(value as never)).toBe('');
    expect(fieldText({ days: 7 } as unknown as FormBody, 'days')).toBe('');
  });

  it('still trims strings and takes the first of repeated fields', () => {
    expect(firstValue(' 7 ')).toBe('7');
    expect(firstValue([' a ', 'b'])).toBe('a');
    expect(firstValue(undefined)).toBe('');
  });
});
