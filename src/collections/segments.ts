import { dayNumber } from '../domain/local-time.js';
import type { Segment } from '../domain/policy.js';
import type { DebtorHistory, SnapshotContact } from './snapshot.js';

export interface SegmentResult {
  segment: Segment;
  /** The rule that decided it, in words a person can check against the history. */
  reason: string;
  /** True when a person set it for the customer. */
  overridden: boolean;
}

/** The numbers the rules are written in; DOMAIN.md's debtor types, made checkable. */
export const segmentRules = {
  /** A customer with fewer paid invoices than this has too little history to judge. */
  minPaidInvoices: 3,
  /** Paid invoices considered: the last 12 months. */
  lookbackDays: 365,
  /** Late means paid more than this many days after the due date. */
  lateAfterDays: 3,
  /** Chronic: this share of paid invoices was paid more than `chronicLateDays` late. */
  chronicShare: 0.6,
  chronicLateDays: 30,
  /** Forgetful: typically late, but by no more than this many days (a reminder is enough). */
  forgetfulMaxMedianLateDays: 14,
  /** Strained: invoices paid in parts in the last 6 months. */
  strainedPartPaidInvoices: 2,
  strainedLookbackDays: 183,
  /** Unresponsive: this many contacts in the window with no payment, promise or reply since the first. */
  unresponsiveContacts: 3,
  unresponsiveWindowDays: 60,
} as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Places a debtor in one segment from its history, checking the rules in order of what matters most
 * for how it is chased: disputing, unresponsive, new, chronic, strained, forgetful, reliable.
 */
export function classifyDebtor(
  history: DebtorHistory,
  contacts: SnapshotContact[],
  today: string,
  override?: Segment,
): SegmentResult {
  if (override) return { segment: override, reason: 'set by a person for this customer', overridden: true };
  const todayNumber = dayNumber(today);
  const rules = segmentRules;

  const openDisputes = history.disputes.filter((dispute) => dispute.status === 'open').length;
  const recentDisputes = history.disputes.filter(
    (dispute) => todayNumber - dayNumber(dispute.openedOn) <= rules.lookbackDays,
  ).length;
  if (openDisputes > 0 || recentDisputes >= 2) {
    return {
      segment: 'disputing',
      reason:
        openDisputes > 0
          ? `${openDisputes} open dispute(s)`
          : `${recentDisputes} disputes in the last 12 months`,
      overridden: false,
    };
  }

  const reachable = contacts.filter((contact) => contact.role !== 'other');
  if (reachable.length > 0 && reachable.every((contact) => contact.bounced)) {
    return { segment: 'unresponsive', reason: 'every address bounced', overridden: false };
  }
  const windowContacts = history.contacts
    .filter(
      (contact) =>
        contact.kind === 'email' &&
        todayNumber - dayNumber(contact.at.slice(0, 10)) <= rules.unresponsiveWindowDays,
    )
    .map((contact) => contact.at)
    .sort();
  const firstInWindow = windowContacts[0];
  if (windowContacts.length >= rules.unresponsiveContacts && firstInWindow) {
    const since = dayNumber(firstInWindow.slice(0, 10));
    const paid = history.payments.some((payment) => dayNumber(payment.paidOn) >= since);
    const promised = history.promises.some((promise) => dayNumber(promise.madeOn) >= since);
    const replied =
      history.lastResponseAt !== null && dayNumber(history.lastResponseAt.slice(0, 10)) >= since;
    if (!paid && !promised && !replied) {
      return {
        segment: 'unresponsive',
        reason: `${windowContacts.length} contacts since ${firstInWindow.slice(0, 10)} with no payment, promise or reply`,
        overridden: false,
      };
    }
  }

  const recentPaid = history.paidInvoices.filter(
    (invoice) => todayNumber - dayNumber(invoice.paidOn) <= rules.lookbackDays,
  );
  if (recentPaid.length < rules.minPaidInvoices) {
    return {
      segment: 'new',
      reason: `${recentPaid.length} paid invoice(s) in the last 12 months: too little history to judge`,
      overridden: false,
    };
  }

  const daysLate = recentPaid.map((invoice) => dayNumber(invoice.paidOn) - dayNumber(invoice.dueDate));
  const veryLate = daysLate.filter((days) => days > rules.chronicLateDays).length;
  if (veryLate / recentPaid.length >= rules.chronicShare) {
    return {
      segment: 'chronic',
      reason: `${veryLate} of ${recentPaid.length} invoices in the last 12 months paid more than ${rules.chronicLateDays} days late`,
      overridden: false,
    };
  }

  const partPaid = history.paidInvoices.filter(
    (invoice) =>
      invoice.partPayments > 1 && todayNumber - dayNumber(invoice.paidOn) <= rules.strainedLookbackDays,
  ).length;
  const brokenPromise = history.promises.some((promise) => promise.status === 'broken');
  const onPlan = history.plan !== null && history.plan.status !== 'completed';
  if (partPaid >= rules.strainedPartPaidInvoices || brokenPromise || onPlan) {
    return {
      segment: 'strained',
      reason: onPlan
        ? `on a payment plan (${history.plan?.status})`
        : brokenPromise
          ? 'broke a promise to pay'
          : `${partPaid} invoices paid in parts in the last 6 months`,
      overridden: false,
    };
  }

  const typicalLateness = median(daysLate);
  if (typicalLateness > rules.lateAfterDays) {
    if (typicalLateness <= rules.forgetfulMaxMedianLateDays) {
      return {
        segment: 'forgetful',
        reason: `pays typically ${typicalLateness} days after the due date`,
        overridden: false,
      };
    }
    return {
      segment: 'strained',
      reason: `pays typically ${typicalLateness} days after the due date`,
      overridden: false,
    };
  }
  return {
    segment: 'reliable',
    reason: `pays typically within ${rules.lateAfterDays} days of the due date`,
    overridden: false,
  };
}
