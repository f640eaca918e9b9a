/**
 * A debtor's journey: the unbroken run of days on which some invoice of theirs is overdue and owed.
 * The debtor, not each invoice, walks the ladder; these pure helpers say where the journey began,
 * which rung it has reached, and which invoices a contact covers. `plan` builds on them.
 */
import { dayNumber, isoDateOf, localMoment, startOfLocalDay } from '../domain/local-time.js';
import { contactTaskKinds, type Policy, type Step } from '../domain/policy.js';
import type { DebtorSnapshot, PastContact, SnapshotInvoice } from './snapshot.js';

/** Email steps that are not rungs of the ladder: arrangements, and the plan offer a segment adds. */
export const offLadderTemplates = new Set(['plan-offer', 'installment', 'settlement']);

/** Whether an invoice still owes something (paid, voided, credited and deleted ones never do). */
export const owing = (invoice: SnapshotInvoice) => invoice.status === 'open' && invoice.balanceMinor > 0;

const ladders = new WeakMap<Step[], Step[]>();

/** The rungs, in order: the email steps after the due date (heads-ups before it are not rungs). */
export function ladderOf(steps: Step[]): Step[] {
  let ladder = ladders.get(steps);
  if (!ladder) {
    ladder = steps.filter(
      (step) =>
        (step.action === 'email' || contactTaskKinds.has(step.action)) &&
        step.offsetDays > 0 &&
        !offLadderTemplates.has(step.template),
    );
    ladders.set(steps, ladder);
  }
  return ladder;
}

const rungIndexes = new WeakMap<Step[], Map<string, number>>();

/** A rung's place on the ladder by its key. */
export function rungIndexOf(ladder: Step[]): Map<string, number> {
  let indexes = rungIndexes.get(ladder);
  if (!indexes) {
    indexes = new Map(ladder.map((step, index) => [step.key, index]));
    rungIndexes.set(ladder, indexes);
  }
  return indexes;
}

/** The highest rung a past contact was at (-1: not a rung, e.g. a heads-up or an installment reminder). */
export function rungOfContact(contact: PastContact, indexes: Map<string, number>): number {
  let rung = -1;
  for (const entry of contact.steps) {
    const index = indexes.get(entry.stepKey);
    if (index !== undefined && index > rung) rung = index;
  }
  return rung;
}

/**
 * The first day (a day number, in the organisation's zone) of the debtor's current journey: the
 * unbroken run of days, ending today, on each of which some invoice was past its due date and still
 * owed. An invoice is overdue from the day after its due date until the day it closed. Null when
 * nothing is overdue today.
 */
export function journeyStartDay(
  snapshot: DebtorSnapshot,
  today: number,
  indexes?: Map<string, number>,
): number | null {
  let start: number | null = null;
  for (const invoice of snapshot.invoices) {
    if (!owing(invoice)) continue;
    const from = dayNumber(invoice.dueDate) + 1;
    if (from <= today && (start === null || from < start)) start = from;
  }
  if (start === null) return null;
  const closed = snapshot.history.closedInvoices ?? [];
  const contacts = indexes ? snapshot.history.contacts : [];
  // Earlier invoices still overdue when (or the day before) the run began extend it back; so does a
  // rung sent about an invoice still owed, whose due date has since moved (a payment plan moves it).
  let moved = true;
  while (moved) {
    moved = false;
    // Closed on or after the run's first day, that is at or after the instant that day began.
    const runBegan = closed.length > 0 ? journeyStartInstant(start, snapshot.orgTimeZone) : '';
    for (const invoice of closed) {
      const from = dayNumber(invoice.dueDate) + 1;
      if (from >= start || Date.parse(invoice.closedAt) < Date.parse(runBegan)) continue;
      start = from;
      moved = true;
      break;
    }
    if (moved || contacts.length === 0) continue;
    const startInstant = journeyStartInstant(start, snapshot.orgTimeZone);
    for (const contact of contacts) {
      if (
        contact.kind !== 'email' ||
        contact.at >= startInstant ||
        rungOfContact(contact, indexes as Map<string, number>) < 0
      )
        continue;
      if (
        !contact.steps.some((entry) =>
          snapshot.invoices.some((invoice) => invoice.id === entry.invoiceId && owing(invoice)),
        )
      )
        continue;
      start = dayNumber(localMoment(new Date(contact.at), snapshot.orgTimeZone).date);
      moved = true;
      break;
    }
  }
  return start;
}

/** The instant (ISO) the journey's first day began, to compare with contacts' timestamps. */
export function journeyStartInstant(startDay: number, timeZone: string): string {
  let byDay = startInstants.get(timeZone);
  if (!byDay) {
    byDay = new Map();
    startInstants.set(timeZone, byDay);
  }
  let instant = byDay.get(startDay);
  if (instant === undefined) {
    instant = startOfLocalDay(isoDateOf(startDay), timeZone).toISOString();
    if (byDay.size > 10_000) byDay.clear();
    byDay.set(startDay, instant);
  }
  return instant;
}

const startInstants = new Map<string, Map<number, string>>();

/** Why an owed invoice is not chased now, or null when it is. */
export type InvoiceHold = 'dispute' | 'settlement' | 'promise' | 'payment_plan';

/** Whether a payment plan covers the invoice (an older plan without a list covers them all). */
export function planCovers(arrangement: DebtorSnapshot['history']['plan'], invoiceId: string): boolean {
  return arrangement !== null && (arrangement.invoiceIds?.includes(invoiceId) ?? true);
}

/** Whether the newest plan is being kept today (its next installment not missed beyond the grace). */
export function planActiveOn(snapshot: DebtorSnapshot, policy: Policy, today: number): boolean {
  const arrangement = snapshot.history.plan;
  return (
    arrangement?.status === 'active' &&
    (arrangement.nextInstallment === null ||
      today <= dayNumber(arrangement.nextInstallment.dueDate) + policy.promiseGraceDays)
  );
}

/** What holds one owed invoice today: an open dispute, an open settlement offer, a promise, a plan. */
export function holdOf(
  snapshot: DebtorSnapshot,
  policy: Policy,
  invoice: SnapshotInvoice,
  today: number,
  planActive: boolean,
): InvoiceHold | null {
  const { history } = snapshot;
  if (
    history.disputes.some((dispute) => dispute.status === 'open' && dispute.invoiceIds.includes(invoice.id))
  )
    return 'dispute';
  if (
    history.settlements?.some(
      (offer) =>
        offer.invoiceIds.includes(invoice.id) && today <= dayNumber(offer.payBy) + policy.promiseGraceDays,
    )
  )
    return 'settlement';
  if (
    history.promises.some(
      (promise) =>
        promise.status === 'open' &&
        promise.invoiceIds.includes(invoice.id) &&
        today <= dayNumber(promise.promisedDate) + policy.promiseGraceDays,
    )
  )
    return 'promise';
  if (planActive && planCovers(history.plan, invoice.id)) return 'payment_plan';
  return null;
}

/** The invoices a contact covers today: every chased overdue one, and those coming due soon. */
export interface JourneyInvoices {
  /** Owed, past due and chased: every contact lists all of them. */
  overdue: SnapshotInvoice[];
  /** Owed, not yet due, chased. */
  upcoming: SnapshotInvoice[];
  /** Owed but held (dispute, settlement offer, promise, plan). */
  held: Array<{ invoice: SnapshotInvoice; hold: InvoiceHold }>;
}

export function journeyInvoices(snapshot: DebtorSnapshot, policy: Policy, today: number): JourneyInvoices {
  const planActive = planActiveOn(snapshot, policy, today);
  const result: JourneyInvoices = { overdue: [], upcoming: [], held: [] };
  for (const invoice of snapshot.invoices) {
    if (!owing(invoice)) continue;
    const hold = holdOf(snapshot, policy, invoice, today, planActive);
    if (hold) result.held.push({ invoice, hold });
    else if (dayNumber(invoice.dueDate) < today) result.overdue.push(invoice);
    else result.upcoming.push(invoice);
  }
  return result;
}

/** Sums of balances per currency. */
export function totalsByCurrency(invoices: SnapshotInvoice[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const invoice of invoices)
    totals.set(invoice.currency, (totals.get(invoice.currency) ?? 0) + invoice.balanceMinor);
  return totals;
}

/**
 * Whether what the debtor owes on its chased invoices, less its unapplied credits, is worth
 * chasing in some currency: above the minimum in the organisation's currency, above zero in others.
 */
export function netOwedAboveMinimum(
  snapshot: DebtorSnapshot,
  policy: Policy,
  owed: SnapshotInvoice[],
): boolean {
  const credits = snapshot.credits ?? [];
  for (const [currency, amount] of totalsByCurrency(owed)) {
    const credit = credits.find((entry) => entry.currency === currency)?.amountMinor ?? 0;
    const minimum = currency === snapshot.orgCurrency ? policy.minimumBalanceMinor : 0;
    if (amount - credit > minimum) return true;
  }
  return false;
}

/** The credit available in the currencies of the invoices given (what a reminder mentions). */
export function creditsFor(snapshot: DebtorSnapshot, invoices: SnapshotInvoice[]) {
  const currencies = new Set(invoices.map((invoice) => invoice.currency));
  return (snapshot.credits ?? []).filter(
    (credit) => credit.amountMinor > 0 && currencies.has(credit.currency),
  );
}

/**
 * What a rung of the journey lists when it is sent: every overdue invoice still chased, as the mirror
 * has them just after the re-read; nothing (the message is cancelled) when what is left, less the
 * debtor's credits, is no longer worth chasing: a payment racing the delivery may have left too little.
 */
export function rungInvoicesAtSending(
  snapshot: DebtorSnapshot,
  policy: Policy,
  today: number,
): SnapshotInvoice[] {
  const overdue = journeyInvoices(snapshot, policy, today).overdue;
  return overdue.length > 0 && netOwedAboveMinimum(snapshot, policy, overdue) ? overdue : [];
}
