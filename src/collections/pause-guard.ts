import { dayNumber } from '../domain/local-time.js';
import type { Policy } from '../domain/policy.js';
import type { Guard, GuardKind } from './guard.js';
import type { DebtorSnapshot } from './snapshot.js';

/** Whether an open invoice still owes something (the planner's first test). */
export const owing = (invoice: DebtorSnapshot['invoices'][number]) =>
  invoice.status === 'open' && invoice.balanceMinor > 0;

const pauseOrder: GuardKind[] = ['dispute', 'settlement', 'promise', 'payment_plan', 'below_minimum'];

/**
 * The invoice-level holds of the planner (dispute, settlement offer, promise, payment plan, the
 * minimum balance), read from the same snapshot, as one guard naming the invoices it holds.
 */
export function pauseGuard(snapshot: DebtorSnapshot, policy: Policy, today: string): Guard | null {
  const todayNumber = dayNumber(today);
  const { history } = snapshot;
  const arrangement = history.plan;
  const planActive =
    arrangement?.status === 'active' &&
    (arrangement.nextInstallment === null ||
      todayNumber <= dayNumber(arrangement.nextInstallment.dueDate) + policy.promiseGraceDays);
  const held = new Map<GuardKind, { invoices: string[]; detail: string; until: string | null }>();
  const hold = (kind: GuardKind, invoice: string, detail: string, until: string | null) => {
    const entry = held.get(kind);
    if (entry) entry.invoices.push(invoice);
    else held.set(kind, { invoices: [invoice], detail, until });
  };
  const owed = snapshot.invoices.filter(owing);
  for (const invoice of owed) {
    const name = invoice.number ?? invoice.id;
    if (invoice.currency === snapshot.orgCurrency && invoice.balanceMinor < policy.minimumBalanceMinor) {
      hold('below_minimum', name, 'balance below the minimum worth chasing', null);
      continue;
    }
    if (
      history.disputes.some((dispute) => dispute.status === 'open' && dispute.invoiceIds.includes(invoice.id))
    ) {
      hold('dispute', name, 'dispute open', null);
      continue;
    }
    const settlement = history.settlements?.find(
      (offer) =>
        offer.invoiceIds.includes(invoice.id) &&
        todayNumber <= dayNumber(offer.payBy) + policy.promiseGraceDays,
    );
    if (settlement) {
      hold('settlement', name, `settlement offer open until ${settlement.payBy}`, settlement.payBy);
      continue;
    }
    const promise = history.promises.find(
      (candidate) =>
        candidate.status === 'open' &&
        candidate.invoiceIds.includes(invoice.id) &&
        todayNumber <= dayNumber(candidate.promisedDate) + policy.promiseGraceDays,
    );
    if (promise) {
      hold('promise', name, `promised to pay by ${promise.promisedDate}`, promise.promisedDate);
      continue;
    }
    if (planActive && (arrangement?.invoiceIds?.includes(invoice.id) ?? true)) {
      const next = arrangement?.nextInstallment;
      hold(
        'payment_plan',
        name,
        next ? `payment plan, next installment due ${next.dueDate}` : 'payment plan',
        next?.dueDate ?? null,
      );
    }
  }
  const kind = pauseOrder.find((candidate) => held.has(candidate));
  const entry = kind ? held.get(kind) : undefined;
  if (!kind || !entry) return null;
  const all = entry.invoices.length === owed.length;
  const shown = entry.invoices.slice(0, 3).join(', ') + (entry.invoices.length > 3 ? ' …' : '');
  const verb = kind === 'below_minimum' ? 'not chased' : 'paused';
  return {
    kind,
    text: all ? `${verb}: ${entry.detail}` : `${verb} for ${shown}: ${entry.detail}`,
    until: entry.until,
  };
}
