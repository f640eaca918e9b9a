import { daysOverdue } from '../domain/plural.js';
import type { ContactTaskKind } from '../domain/policy.js';
import { onceKey } from './action-keys.js';
import { creditsFor } from './journey.js';
import { atStep, type Decision, type PlanContext, type Planned } from './plan-context.js';
import type { DebtorSnapshot, SnapshotInvoice } from './snapshot.js';

/** Something for a person to do, once a journey (or once a day, for those a due message raises). */
export type PlannedTask = Planned & {
  kind: 'task';
  task: string;
  /** A rung of the journey a person carries out (a call, a letter to post), not a side task. */
  channel?: ContactTaskKind;
};

/** The step keys of the tasks the planner raises by itself (the schedule's own tasks have theirs). */
export const stepKeyOfAddressTask = 'find-address';
export const stepKeyOfCreditTask = 'apply-credit';
export const stepKeyOfOptOutTask = 'contact-another-way';

export function personTask(
  snapshot: DebtorSnapshot,
  task: { stepKey: string; task: string; why: string; invoices: SnapshotInvoice[]; once: string },
): PlannedTask {
  return {
    kind: 'task',
    task: task.task,
    stepKey: task.stepKey,
    invoiceSteps: atStep(task.invoices, task.stepKey),
    idempotencyKey: onceKey(snapshot, task.stepKey, task.once),
    why: task.why,
  };
}

/** Nothing is sent when credit covers what is overdue; a person applies the credit in the ledger. */
export function creditCoversOverdue(context: PlanContext): Decision<PlannedTask> {
  const { snapshot, overdue, soFar } = context;
  if (overdue.length === 0 || context.worthChasing) return { actions: [], notes: [] };
  const applyCredit =
    !soFar.openTasks.has(stepKeyOfCreditTask) && creditsFor(snapshot, overdue).length > 0
      ? [
          personTask(snapshot, {
            stepKey: stepKeyOfCreditTask,
            task: 'Apply the available credit to the open invoices in the ledger',
            why: 'the customer has credit that covers what is overdue',
            invoices: overdue,
            once: context.journey || context.today,
          }),
        ]
      : [];
  return {
    actions: applyCredit,
    notes: ['what is overdue, less the credit available, is not worth chasing: nothing is sent'],
  };
}

/** Tasks of the schedule: once a journey each, when the lead invoice reaches their day. */
export function scheduledTasks(context: PlanContext): PlannedTask[] {
  const { snapshot, overdue, leadDays, soFar } = context;
  if (!context.worthChasing || !context.lead) return [];
  return context.steps
    .filter(
      (step) => step.action === 'task' && step.offsetDays <= leadDays && !soFar.doneInJourney.has(step.key),
    )
    .map((step) =>
      personTask(snapshot, {
        stepKey: step.key,
        task: step.task ?? step.key,
        why: `${daysOverdue(leadDays)}: ${step.task}`,
        invoices: overdue,
        once: context.journey,
      }),
    );
}
