import { dayNumber } from '../domain/local-time.js';
import { daysOverdue } from '../domain/plural.js';
import { type Step, toneRank } from '../domain/policy.js';
import { segmentPlanOffer } from './effective-steps.js';
import { headsUpState, headsUpSteps } from './heads-up.js';
import { netOwedAboveMinimum, owing, planActiveOn, planCovers } from './journey.js';
import type { PlanContext } from './plan-context.js';
import type { DebtorSnapshot, SnapshotInvoice } from './snapshot.js';

/** The one email this debtor may get now, before the guards: which step, for which invoices, and why. */
export interface DueEmail {
  step: Step;
  covered: SnapshotInvoice[];
  why: string;
  /** The journey's rung it is; null off the ladder (heads-up, arrangements). */
  rung: number | null;
  brokenPromise: { promisedDate: string } | null;
  /** The rung sent once more: the last went while its reader was away. */
  again?: true;
}

/** An arrangement's email, else the journey's next rung, else a heads-up; null when none is due. */
export function dueEmail(context: PlanContext): DueEmail | null {
  const planActive = planActiveOn(context.snapshot, context.policy, context.todayNumber);
  return (
    settlementEmail(context) ??
    installmentEmail(context, planActive) ??
    ladderEmail(context, planActive) ??
    headsUpEmail(context)
  );
}

const installmentStep = (number: number): Step => ({
  key: `installment-${number}`,
  offsetDays: 0,
  action: 'email',
  template: 'installment',
  tone: 'friendly',
  copyEscalationContacts: false,
  requiresApproval: false,
  lateFeeNotice: false,
});

const settlementStep = (settlementId: string): Step => ({
  key: `settlement-${settlementId.slice(0, 8)}`,
  offsetDays: 0,
  action: 'email',
  template: 'settlement',
  // A person approved the offer already: its tone must not send it for approval again.
  tone: 'neutral',
  copyEscalationContacts: false,
  requiresApproval: false,
  lateFeeNotice: false,
});

/** A settlement offer a person approved, until its pay-by day and grace, once. */
function settlementEmail({ snapshot, policy, todayNumber }: PlanContext): DueEmail | null {
  const { history } = snapshot;
  const settlement = history.settlements?.find(
    (offer) =>
      todayNumber <= dayNumber(offer.payBy) + policy.promiseGraceDays &&
      !doneAny(history, settlementStep(offer.id).key),
  );
  if (!settlement) return null;
  const covered = snapshot.invoices.filter(
    (invoice) => owing(invoice) && settlement.invoiceIds.includes(invoice.id),
  );
  if (covered.length === 0) return null;
  return {
    step: settlementStep(settlement.id),
    covered,
    why: `settlement offer approved: pay by ${settlement.payBy}`,
    rung: null,
    brokenPromise: null,
  };
}

/** The reminder of a kept plan's next installment, some days before it is due. */
function installmentEmail(
  { snapshot, policy, todayNumber }: PlanContext,
  planActive: boolean,
): DueEmail | null {
  const { history } = snapshot;
  const installment = planActive ? history.plan?.nextInstallment : null;
  if (
    !installment ||
    todayNumber < dayNumber(installment.dueDate) - policy.arrangements.installmentReminderDays
  )
    return null;
  const step = installmentStep(installment.number);
  const covered = snapshot.invoices.filter(
    (invoice) => owing(invoice) && planCovers(history.plan, invoice.id),
  );
  if (covered.length === 0 || doneAny(history, step.key, journeyFromOrPlan(history))) return null;
  return {
    step,
    covered,
    why: `installment ${installment.number} of ${installment.of} due ${installment.dueDate}`,
    rung: null,
    brokenPromise: null,
  };
}

/** The journey's next rung (or the segment's plan offer on its way), when its day has come. */
function ladderEmail(context: PlanContext, planActive: boolean): DueEmail | null {
  const { snapshot, policy, ladder, soFar, lead, leadDays, overdue } = context;
  if (!context.worthChasing || !lead) return null;
  const { rung } = soFar;
  const lastRung = ladder.length - 1;
  const broken = brokenSince(snapshot.history, soFar.lastJourneyContact || (context.journeyFrom ?? ''));
  const missed = broken ? undefined : missedRungEmail(context);
  if (missed !== undefined) return missed;
  let next: number | null = null;
  if (rung < 0) {
    // The first contact of a journey catches up with the lead invoice's age, never harsher than allowed.
    for (let index = 0; index < ladder.length; index++) {
      const step = ladder[index] as Step;
      if (step.offsetDays <= leadDays && toneRank[step.tone] <= toneRank[policy.firstContactMaxTone])
        next = index;
    }
  } else if (rung < lastRung && ((ladder[rung + 1] as Step).offsetDays <= leadDays || broken)) {
    next = rung + 1;
  }
  if (next === null) return null;
  const offer = segmentPlanOffer(context.steps);
  if (
    offer &&
    offer.offsetDays <= leadDays &&
    rung >= 0 &&
    !planActive &&
    !soFar.doneInJourney.has(offer.key)
  )
    return {
      step: offer,
      covered: overdue,
      why: `${daysOverdue(leadDays)}: a payment plan is offered`,
      rung: null,
      brokenPromise: null,
    };
  const step = ladder[next] as Step;
  return {
    step,
    covered: overdue,
    rung: next,
    brokenPromise: broken,
    why: `${daysOverdue(leadDays)}: rung ${next + 1} of ${ladder.length}, "${step.name ?? step.key}" (${step.tone})${broken ? ', after a broken promise' : ''}`,
  };
}

/**
 * The journey's last rung when it went by email while its reader was away: nothing more on the ladder
 * until they are back (null), then that rung once more. Undefined when no rung was missed.
 */
function missedRungEmail(context: PlanContext): DueEmail | null | undefined {
  const { ladder, soFar, overdue, leadDays, today } = context;
  const missed = soFar.missedRung;
  const step = missed ? ladder[missed.rung] : undefined;
  if (!missed || !step) return undefined;
  if (today < missed.backOn) return null;
  return {
    step,
    covered: overdue,
    rung: missed.rung,
    brokenPromise: null,
    again: true,
    why: `${daysOverdue(leadDays)}: rung ${missed.rung + 1} of ${ladder.length}, "${step.name ?? step.key}" (${step.tone}) again: the last went while they were away (back on ${missed.backOn})`,
  };
}

/**
 * A friendly note before the due date, once an invoice, while nothing is overdue: for each invoice
 * the heads-up whose day has come, while its time lasts (heads-up.ts); one whose time has gone by
 * is skipped, never sent late.
 */
function headsUpEmail(context: PlanContext): DueEmail | null {
  const { snapshot, policy, invoices, overdue, soFar } = context;
  if (overdue.length > 0 || headsUpSteps(context.steps).length === 0) return null;
  const covered: SnapshotInvoice[] = [];
  let headsUp: Step | null = null;
  for (const invoice of [...invoices.upcoming].sort((a, b) => (a.dueDate < b.dueDate ? -1 : 1))) {
    if (soFar.headsUpDone.has(invoice.id)) continue;
    const found = headsUpState(context, invoice);
    if (found.state !== 'due') continue;
    covered.push(invoice);
    headsUp ??= found.step;
  }
  if (!headsUp || covered.length === 0 || !netOwedAboveMinimum(snapshot, policy, covered)) return null;
  return {
    step: headsUp,
    covered,
    why: `due on ${covered[0]?.dueDate}: a friendly heads-up`,
    rung: null,
    brokenPromise: null,
  };
}

/**
 * A promise or plan broken since `since` (an ISO timestamp, the journey's last contact): the journey
 * resumes at its next rung at once (not on that rung's day), and the message says what was broken.
 */
function brokenSince(history: DebtorSnapshot['history'], since: string): { promisedDate: string } | null {
  const promise = history.promises
    .filter((candidate) => candidate.status === 'broken' && (candidate.resolvedAt ?? '') >= since)
    .sort((a, b) => (a.promisedDate < b.promisedDate ? 1 : -1))[0];
  if (promise) return { promisedDate: promise.promisedDate };
  const arrangement = history.plan;
  if (arrangement?.status === 'broken' && (arrangement.brokenAt ?? '') >= since)
    return arrangement.nextInstallment ? { promisedDate: arrangement.nextInstallment.dueDate } : null;
  return null;
}

/** Whether any past contact (since `since`, an ISO timestamp) took this step. */
function doneAny(history: DebtorSnapshot['history'], stepKey: string, since = ''): boolean {
  return history.contacts.some(
    (contact) => contact.at >= since && contact.steps.some((entry) => entry.stepKey === stepKey),
  );
}

/** Installment reminders are numbered per plan: only those since the current plan was made count. */
function journeyFromOrPlan(history: DebtorSnapshot['history']): string {
  return history.plan?.madeAt ?? '';
}
