import { describe, expect, it } from 'vitest';
import { policyProblems } from '../../../src/collections/policy-versions.js';
import { defaultPolicy, defaultRecoverySettings, policySchema } from '../../../src/domain/policy.js';

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

  it('reads a policy stored before the recovery assumptions existed with the documented defaults', () => {
    const { recovery: _dropped, ...stored } = defaultPolicy;
    const parsed = policySchema.parse(JSON.parse(JSON.stringify(stored)));
    expect(parsed.recovery).toEqual({
      agencyFeeShare: 0.3,
      agencyRecoveryFactor: 1.3,
      settlementDiscount: 0.25,
      maxSettlementDiscount: 0.5,
      settlementAcceptance: 0.55,
      chasingCostPerMonthMinor: 2500,
    });
    expect(parsed.recovery).toEqual(defaultRecoverySettings);
  });

  it('keeps recovery assumptions that are within their bounds', () => {
    const recovery = {
      agencyFeeShare: 0.05,
      agencyRecoveryFactor: 0.5,
      settlementDiscount: 0.9,
      maxSettlementDiscount: 0.9,
      settlementAcceptance: 1,
      chasingCostPerMonthMinor: 0,
    };
    expect(policySchema.parse({ ...defaultPolicy, recovery }).recovery).toEqual(recovery);
  });

  it('refuses recovery assumptions out of bounds, each with its path', () => {
    const problems = (recovery: Record<string, unknown>) => {
      const checked = policyProblems({
        ...defaultPolicy,
        recovery: { ...defaultRecoverySettings, ...recovery },
      });
      return 'problems' in checked ? checked.problems : [];
    };
    expect(problems({ agencyFeeShare: 0.8 })).toEqual([expect.stringMatching(/^recovery\.agencyFeeShare: /)]);
    expect(problems({ agencyFeeShare: 0.01 })).toEqual([
      expect.stringMatching(/^recovery\.agencyFeeShare: /),
    ]);
    expect(problems({ settlementDiscount: 0.95, maxSettlementDiscount: 0.95 })).toEqual([
      expect.stringMatching(/^recovery\.settlementDiscount: /),
      expect.stringMatching(/^recovery\.maxSettlementDiscount: /),
    ]);
    expect(problems({ chasingCostPerMonthMinor: 12.5 })).toEqual([
      expect.stringMatching(/^recovery\.chasingCostPerMonthMinor: /),
    ]);
    expect(problems({ settlementAcceptance: 1.2, agencyRecoveryFactor: 0 }).sort()).toEqual([
      expect.stringMatching(/^recovery\.agencyRecoveryFactor: /),
      expect.stringMatching(/^recovery\.settlementAcceptance: /),
    ]);
    expect(problems({ agencyFeeShare: '0.3' })).toEqual([
      expect.stringMatching(/^recovery\.agencyFeeShare: /),
    ]);
  });

  it('refuses a limit on the settlement discount below the discount offered', () => {
    const checked = policyProblems({
      ...defaultPolicy,
      recovery: { ...defaultRecoverySettings, settlementDiscount: 0.3, maxSettlementDiscount: 0.2 },
    });
    expect(checked).toEqual({
      problems: [
        'recovery.maxSettlementDiscount: The most you will settle for off must be between 0 and 90 %, and at least the discount offered.',
      ],
    });
  });
});
