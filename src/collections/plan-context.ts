import { dayNumber, isoDateOf } from '../domain/local-time.js';
import type { Policy, Segment, Step } from '../domain/policy.js';
import { effectiveSteps, headsUpKeysOf } from './effective-steps.js';
import {
  journeyInvoices,
  journeyStartDay,
  journeyStartInstant,
  ladderOf,
  netOwedAboveMinimum,
  rungIndexOf,
} from './journey.js';
import { type JourneySoFar, journeySoFar } from './journey-so-far.js';
import type { PlanOptions } from './sending-window.js';
import type { DebtorSnapshot, SnapshotInvoice } from './snapshot.js';

/** What every planned action carries. */
export interface Planned {
  stepKey: string;
  /** The step each invoice in the action is at (a contact covers several invoices at their own steps). */
  invoiceSteps: Array<{ invoiceId: string; stepKey: string }>;
  /** Deterministic (organisation, debtor, step, invoice set): planning twice queues one effect. */
  idempotencyKey: string;
  why: string;
}

/** What one of the planner's decisions adds: actions, and notes saying why something was not done. */
export interface Decision<Action> {
  actions: Action[];
  notes: string[];
  /** The first day the contact cap allows another message, when it is what held one. */
  nextContactOn?: string;
  /** The sending window held an email that would otherwise go: the window opening may send it. */
  heldByWindow?: true;
}

/** What the planner knows of one debtor today, read by each of its decisions. */
export interface PlanContext {
  snapshot: DebtorSnapshot;
  policy: Policy;
  now: Date;
  options: PlanOptions;
  /** Today in the organisation's zone, and as a day number. */
  today: string;
  todayNumber: number;
  /** The schedule after the segment's shift, and its rungs (the email steps after the due date). */
  steps: Step[];
  ladder: Step[];
  invoices: ReturnType<typeof journeyInvoices>;
  /** The journey's first day (ISO), '' when there is no journey. */
  journey: string;
  /** The instant the journey began, or null. */
  journeyFrom: string | null;
  soFar: JourneySoFar;
  /** The overdue invoices that are chased, the oldest of them (the lead), and its days overdue. */
  overdue: SnapshotInvoice[];
  lead: SnapshotInvoice | null;
  leadDays: number;
  /** Something is overdue and, less the credit available, above the minimum worth chasing. */
  worthChasing: boolean;
  /** The debtor's segment today (what a call script leans on). */
  segment: Segment;
}

export function planContext(
  snapshot: DebtorSnapshot,
  policy: Policy,
  now: Date,
  options: PlanOptions,
  today: string,
  segment: Segment,
): PlanContext {
  const todayNumber = dayNumber(today);
  const steps = effectiveSteps(policy, snapshot.overrides.steps ?? policy.steps, segment);
  const ladder = ladderOf(steps);
  const indexes = rungIndexOf(ladder);
  const invoices = journeyInvoices(snapshot, policy, todayNumber);
  const startDay = journeyStartDay(snapshot, todayNumber, indexes);
  const journeyFrom = startDay === null ? null : journeyStartInstant(startDay, snapshot.orgTimeZone);
  const soFar = journeySoFar(snapshot.history, journeyFrom, ladder, indexes, headsUpKeysOf(steps));
  const overdue = invoices.overdue;
  const lead = overdue.reduce<SnapshotInvoice | null>(
    (most, invoice) => (most === null || invoice.dueDate < most.dueDate ? invoice : most),
    null,
  );
  return {
    snapshot,
    policy,
    now,
    options,
    today,
    todayNumber,
    steps,
    ladder,
    invoices,
    journey: startDay === null ? '' : isoDateOf(startDay),
    journeyFrom,
    soFar,
    overdue,
    lead,
    leadDays: lead ? todayNumber - dayNumber(lead.dueDate) : 0,
    worthChasing: overdue.length > 0 && netOwedAboveMinimum(snapshot, policy, overdue),
    segment,
  };
}

/** The step each of these invoices is at, all at one step. */
export const atStep = (invoices: SnapshotInvoice[], stepKey: string) =>
  invoices.map((invoice) => ({ invoiceId: invoice.id, stepKey }));
