import { daysOverdue } from '../domain/plural.js';
import type { FlagKind } from '../domain/policy.js';
import { onceKey } from './action-keys.js';
import { atStep, type Decision, type PlanContext, type Planned } from './plan-context.js';

/** A flag for a person to decide on (an agency referral, a settlement offer, a write-off). */
export type PlannedFlag = Planned & {
  kind: 'flag';
  flags: FlagKind[];
  daysOverdue: number;
  requiresApproval: true;
};

const dayMs = 86_400_000;

/** A flag's kind in words, lower case, for sentences. */
export const flagWords: Record<FlagKind, string> = {
  agency_referral: 'agency referral',
  settlement_offer: 'settlement offer',
  write_off: 'write-off',
};

/** A flag: one per debtor, after the final notice went and its grace has passed, never while another waits. */
export function flagDecision(context: PlanContext): Decision<PlannedFlag> {
  const { snapshot, policy, soFar, leadDays, overdue } = context;
  if (!context.worthChasing || !context.lead || soFar.openFlag) return { actions: [], notes: [] };
  const { finalSentAt } = soFar;
  const graceOver =
    finalSentAt !== null &&
    context.now.getTime() >= Date.parse(finalSentAt) + policy.finalNoticeGraceDays * dayMs;
  // Catching up, the latest flag whose day has come: once it was raised, the journey waits for the next.
  const reached = context.steps.filter((step) => step.action === 'flag' && step.offsetDays <= leadDays);
  const latest = reached[reached.length - 1];
  const flag = latest && !soFar.doneInJourney.has(latest.key) ? latest : undefined;
  if (flag && graceOver)
    return {
      actions: [
        {
          kind: 'flag',
          flags: flag.flags ?? [],
          daysOverdue: leadDays,
          requiresApproval: true,
          stepKey: flag.key,
          invoiceSteps: atStep(overdue, flag.key),
          idempotencyKey: onceKey(snapshot, flag.key, context.journey),
          why: `${daysOverdue(leadDays)} and no payment since the final notice: ${(flag.flags ?? []).map((kind) => flagWords[kind]).join(' or ')} for a person to consider`,
        },
      ],
      notes: [],
    };
  if (flag && finalSentAt === null)
    return { actions: [], notes: ['a flag waits until the final notice has been sent'] };
  return { actions: [], notes: [] };
}
