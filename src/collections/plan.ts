import type { Policy } from '../domain/policy.js';
import { dueEmail } from './due-email.js';
import { flagDecision, type PlannedFlag } from './flag-decision.js';
import { type SkippedStep, skippedHeadsUps } from './heads-up.js';
import { type InvoiceHold, owing } from './journey.js';
import { creditCoversOverdue, type PlannedTask, scheduledTasks } from './person-tasks.js';
import { type Decision, planContext } from './plan-context.js';
import { replyWait } from './reply-wait.js';
import { classifyDebtor, type SegmentResult } from './segments.js';
import { type PlannedEmail, sendOrHold } from './send-or-hold.js';
import { momentIn, type PlanOptions } from './sending-window.js';
import type { CustomerOverrides, DebtorSnapshot } from './snapshot.js';

export type PlannedAction = PlannedEmail | PlannedTask | PlannedFlag;

export interface PlanResult {
  actions: PlannedAction[];
  /** Why nothing (more) was planned: each guard that stopped something says so. */
  notes: string[];
  segment: SegmentResult;
  /** The first day the contact cap allows another message, when it is what stopped one. */
  nextContactOn: string | null;
  /** Heads-ups whose time went by without them: skipped, recorded once, never sent late. */
  skipped?: SkippedStep[];
  /**
   * The sending window held an email that was due: the only way the hour of the day changes what is
   * planned. Without it, the same day plans the same actions at any hour (the forecast relies on it).
   */
  heldByWindow?: true;
}

/**
 * Decides what is due now for one debtor, who walks one ladder (not one per invoice): at most one
 * contact, at the journey's next rung, covering every overdue invoice that is chased; a flag after
 * the final notice and its grace; tasks for a person — or nothing, with why. Pure: no database, no
 * clock; `now` is given.
 */
export function plan(
  snapshot: DebtorSnapshot,
  policy: Policy,
  now: Date,
  options: PlanOptions = {},
): PlanResult {
  const today = momentIn(now, snapshot.orgTimeZone).date;
  const segment = classifyDebtor(snapshot.history, snapshot.contacts, today, snapshot.overrides.segment);
  const stopped = stoppedByPerson(snapshot.overrides, today);
  if (stopped) return { actions: [], notes: [stopped], segment, nextContactOn: null };
  // A debtor's reply is heard: nothing automatic goes until a person has read it.
  const waiting = replyWait(snapshot.history, today);
  if (waiting) return { actions: [], notes: [waiting.note], segment, nextContactOn: null };

  const context = planContext(snapshot, policy, now, options, today, segment.segment);
  const email = dueEmail(context);
  const decisions: Array<Decision<PlannedAction>> = [
    {
      actions: [],
      notes: context.invoices.held.map(
        ({ invoice, hold }) => `invoice ${invoice.number ?? invoice.id}: ${holdNote[hold]}`,
      ),
    },
    creditCoversOverdue(context),
    email ? sendOrHold(context, email) : { actions: [], notes: [] },
    { actions: scheduledTasks(context), notes: [] },
    flagDecision(context),
  ];
  const actions = decisions.flatMap((decision) => decision.actions);
  const notes = decisions.flatMap((decision) => decision.notes);
  if (actions.length === 0 && notes.length === 0)
    notes.push(snapshot.invoices.some(owing) ? 'nothing due today' : 'nothing is owed');
  const nextContactOn = decisions.find((decision) => decision.nextContactOn)?.nextContactOn ?? null;
  const skipped = skippedHeadsUps(context);
  if (skipped.length > 0) notes.push(...skipped.map((entry) => entry.why));
  return {
    actions,
    notes,
    segment,
    nextContactOn,
    ...(skipped.length > 0 ? { skipped } : {}),
    ...(decisions.some((decision) => decision.heldByWindow) ? { heldByWindow: true as const } : {}),
  };
}

/** Why a person's choice stops all contact with this customer on `today`, or null. */
function stoppedByPerson(overrides: CustomerOverrides, today: string): string | null {
  if (overrides.doNotContact) return 'a person set this customer to do-not-contact';
  if (overrides.excluded) return 'a person excluded this customer';
  if (pausedOn(overrides, today))
    return `a person paused automatic chasing of this customer until ${overrides.pausedUntil}`;
  return null;
}

/** Whether a person's pause holds on `today` (both YYYY-MM-DD): it ends on its day. */
export const pausedOn = (overrides: CustomerOverrides, today: string): boolean =>
  overrides.pausedUntil !== undefined && today < overrides.pausedUntil;

const holdNote: Record<InvoiceHold, string> = {
  dispute: 'paused while disputed, until a person resumes it',
  settlement: 'paused while a settlement offer is open',
  promise: 'paused until the promised date',
  payment_plan: 'paused: a payment plan is being kept',
};
