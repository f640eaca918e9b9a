import { describe, expect, it } from 'vitest';
import { defaultPolicy, policySchema } from '../../../src/collections/policy.js';

describe('the collection policy setting', () => {
  it('reads a policy stored before late fees existed as one that charges none', () => {
    const { lateFees: _dropped, ...stored } = defaultPolicy;
    const parsed = policySchema.parse(JSON.parse(JSON.stringify(stored)));
    expect(parsed.lateFees).toEqual({ rule: { kind: 'none' }, debtorsAreBusinesses: true });
  });

  it('refuses a late-fee rule that is not one of the known kinds, or a negative fee, saying where', () => {
    const refused = policySchema.safeParse({
      ...defaultPolicy,
      lateFees: { rule: { kind: 'flat', amountMinor: -100, graceDays: 0 }, debtorsAreBusinesses: true },
    });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['lateFees', 'rule', 'amountMinor']);
    const unknown = policySchema.safeParse({
      ...defaultPolicy,
      lateFees: { rule: { kind: 'whatever' }, debtorsAreBusinesses: true },
    });
    expect(unknown.success).toBe(false);
  });

  it('refuses a sending window that ends before it starts, or steps that share a key', () => {
    const window = policySchema.safeParse({
      ...defaultPolicy,
      sendingWindow: { weekdays: [1], startHour: 15, endHour: 10 },
    });
    expect(window.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['sendingWindow.endHour']);
    const [first] = defaultPolicy.steps;
    const twice = policySchema.safeParse({ ...defaultPolicy, steps: [first, first] });
    expect(twice.error?.issues.map((issue) => issue.message)).toEqual(['appears twice']);
  });
});
