import type { Policy, Segment, Step } from '../domain/policy.js';

const planOfferStep = (offsetDays: number): Step => ({
  key: 'plan-offer',
  offsetDays,
  action: 'email',
  template: 'plan-offer',
  tone: 'neutral',
  copyEscalationContacts: false,
  requiresApproval: false,
  lateFeeNotice: false,
});

const scheduleCache = new WeakMap<object, Map<Segment, Step[]>>();

/** The schedule after the segment's shift, in offset order; cached per step list and segment. */
export function effectiveSteps(policy: Policy, baseSteps: Step[], segment: Segment): Step[] {
  let bySegment = scheduleCache.get(baseSteps);
  if (!bySegment) {
    bySegment = new Map();
    scheduleCache.set(baseSteps, bySegment);
  }
  const cached = bySegment.get(segment);
  if (cached) return cached;
  const adjustment = policy.segmentAdjustments[segment];
  const firstReminder = Math.min(
    ...baseSteps.filter((step) => step.offsetDays > 0).map((step) => step.offsetDays),
    1,
  );
  const steps = baseSteps.map((step) => {
    if (!adjustment) return step;
    if (step.action === 'flag') {
      const shift = adjustment.escalationShiftDays + adjustment.flagShiftDays;
      return { ...step, offsetDays: Math.max(firstReminder + 1, step.offsetDays + shift) };
    }
    if (step.offsetDays > firstReminder) {
      return {
        ...step,
        offsetDays: Math.max(firstReminder + 1, step.offsetDays + adjustment.escalationShiftDays),
      };
    }
    return step;
  });
  if (adjustment?.offerPlanAtDays) steps.push(planOfferStep(adjustment.offerPlanAtDays));
  steps.sort((a, b) => a.offsetDays - b.offsetDays);
  bySegment.set(segment, steps);
  return steps;
}

/** The plan offer a segment adds to the schedule, if any. */
export function segmentPlanOffer(steps: Step[]): Step | undefined {
  return steps.find((step) => step.template === 'plan-offer');
}

const headsUps = new WeakMap<Step[], Set<string>>();

/** The keys of the email steps before the due date (cached per schedule). */
export function headsUpKeysOf(steps: Step[]): Set<string> {
  let keys = headsUps.get(steps);
  if (!keys) {
    keys = new Set(
      steps.filter((step) => step.action === 'email' && step.offsetDays <= 0).map((step) => step.key),
    );
    headsUps.set(steps, keys);
  }
  return keys;
}
