import { isClosedDay } from '../domain/holidays.js';
import { dayNumber, isoDateOf } from '../domain/local-time.js';
import type { Step } from '../domain/policy.js';
import { netOwedAboveMinimum, offLadderTemplates } from './journey.js';
import type { PlanContext } from './plan-context.js';
import type { SnapshotInvoice } from './snapshot.js';

/*
 * Steps before the due date (heads-ups). Each goes on its day, or on the first sending day after it
 * (a weekend, a holiday), never on or after the due date (an "on the due date" step: that day only)
 * and never once a later heads-up's day has come. A heads-up whose time has gone by without it (the
 * invoice came into the ledger late, the schedule changed, the contact cap held it, nothing ran) is
 * skipped, with the reason on the timeline: a "due soon" after the due date is wrong words.
 */

/** A step the planner will not take because its day has passed: recorded once, never sent late. */
export interface SkippedStep {
  invoiceId: string;
  stepKey: string;
  /** Its idempotency key: one record per invoice, step and due date. */
  key: string;
  why: string;
}

/** Where an owed, chased, not-yet-due invoice stands with the schedule's heads-ups today. */
export type HeadsUpState =
  | { state: 'waiting' }
  | { state: 'due'; step: Step }
  | { state: 'passed'; step: Step; lastDay: string };

const cache = new WeakMap<Step[], Step[]>();

/** The schedule's heads-ups (email steps on or before the due date), earliest first. */
export function headsUpSteps(steps: Step[]): Step[] {
  let found = cache.get(steps);
  if (!found) {
    found = steps
      .filter(
        (step) => step.action === 'email' && step.offsetDays <= 0 && !offLadderTemplates.has(step.template),
      )
      .sort((a, b) => a.offsetDays - b.offsetDays);
    cache.set(steps, found);
  }
  return found;
}

/** 1 = Monday … 7 = Sunday of a day number (day 0, 1970-01-01, was a Thursday). */
const weekdayOf = (day: number) => ((day + 3) % 7) + 1;

/** The first day on or after `day` that is a sending day where the debtor is (at most two weeks on). */
function sendingDayFrom(context: PlanContext, day: number): number {
  const { policy, snapshot } = context;
  const country = snapshot.debtorCountry ?? snapshot.orgCountry ?? null;
  let next = day;
  for (
    let tries = 0;
    tries < 14 &&
    (!policy.sendingWindow.weekdays.includes(weekdayOf(next)) ||
      isClosedDay(isoDateOf(next), country, policy.closedDays));
    tries++
  )
    next++;
  return next;
}

/** Which heads-up an invoice is at today: none yet, one due now, or one whose time has gone by. */
export function headsUpState(context: PlanContext, invoice: SnapshotInvoice): HeadsUpState {
  const heads = headsUpSteps(context.steps);
  const due = dayNumber(invoice.dueDate);
  const today = context.todayNumber;
  let current: Step | null = null;
  for (const step of heads) if (due + step.offsetDays <= today) current = step;
  if (!current) return { state: 'waiting' };
  // The debtor's sending hours may fall on the organisation's next day: a day more for another zone.
  const { debtorTimeZone, orgTimeZone } = context.snapshot;
  const slack = debtorTimeZone && debtorTimeZone !== orgTimeZone ? 1 : 0;
  const lastDay = Math.min(
    sendingDayFrom(context, due + current.offsetDays) + slack,
    current.offsetDays < 0 ? due - 1 : due,
  );
  return today <= lastDay
    ? { state: 'due', step: current }
    : { state: 'passed', step: current, lastDay: isoDateOf(Math.max(lastDay, due + current.offsetDays)) };
}

/**
 * The heads-ups skipped today: invoices still to come due, without a heads-up yet, whose heads-up's
 * time has gone by. Only where one would have gone (worth chasing, not opted out).
 */
export function skippedHeadsUps(context: PlanContext): SkippedStep[] {
  const { snapshot, policy, soFar, invoices, overdue } = context;
  if (overdue.length > 0 || snapshot.history.optedOut || headsUpSteps(context.steps).length === 0) return [];
  const skipped: Array<{ invoice: SnapshotInvoice; step: Step; lastDay: string }> = [];
  for (const invoice of invoices.upcoming) {
    if (soFar.headsUpDone.has(invoice.id)) continue;
    const found = headsUpState(context, invoice);
    if (found.state === 'passed') skipped.push({ invoice, step: found.step, lastDay: found.lastDay });
  }
  if (
    skipped.length === 0 ||
    !netOwedAboveMinimum(
      snapshot,
      policy,
      skipped.map(({ invoice }) => invoice),
    )
  )
    return [];
  return skipped.map(({ invoice, step, lastDay }) => {
    const day = isoDateOf(dayNumber(invoice.dueDate) + step.offsetDays);
    return {
      invoiceId: invoice.id,
      stepKey: step.key,
      key: `skip:${invoice.id}:${step.key}:${invoice.dueDate}`,
      why: `Skipped "${step.name ?? step.key}" for invoice ${invoice.number ?? invoice.id}: its day was ${day}${lastDay === day ? '' : ` (at the latest ${lastDay})`} and had passed, so it is not sent late; the invoice is due ${invoice.dueDate}`,
    };
  });
}
