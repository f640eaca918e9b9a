import { heldBy, heldByOverrides, type NextStep, nextStep } from '../collections/next-step.js';
import { plan } from '../collections/plan.js';
import type { SegmentResult } from '../collections/segments.js';
import type { CustomerOverrides, DebtorSnapshot } from '../collections/snapshot.js';
import type { Policy } from '../domain/policy.js';

const heldFor: Record<string, string> = {
  agency_referral: 'handed over: referred to a collection agency',
  write_off: 'handed over: written off',
};

const nothingOwed: NextStep = {
  status: 'none',
  on: null,
  step: null,
  stepKey: null,
  guard: null,
  text: 'Nothing owed',
  why: 'no open invoice has a balance',
};

/**
 * What happens next for one customer, and the segment the planner puts them in: the planner's own
 * answer when they have a snapshot (something is owed and chased), else why nothing is planned (a
 * person's hold, invoices handed over, nothing owed).
 */
export function nextStepOf(input: {
  snapshot: DebtorSnapshot | undefined;
  overrides: CustomerOverrides;
  /** The holds on the customer's open invoices (agency referral, write-off, …). */
  holds: string[];
  policy: Policy;
  now: Date;
}): { next: NextStep; segment: SegmentResult | null } {
  const { snapshot, overrides, policy, now } = input;
  if (snapshot) {
    const planned = plan(snapshot, policy, now);
    return { next: nextStep(snapshot, policy, now, planned), segment: planned.segment };
  }
  const segment: SegmentResult | null = overrides.segment
    ? { segment: overrides.segment, reason: 'set by a person for this customer', overridden: true }
    : null;
  const hold = input.holds[0];
  const next =
    heldByOverrides(overrides) ??
    (hold
      ? heldBy(
          { kind: 'handed_over', text: heldFor[hold] ?? 'handed over', until: null },
          'a person approved it: the invoices are out of the schedule',
        )
      : nothingOwed);
  return { next, segment };
}
