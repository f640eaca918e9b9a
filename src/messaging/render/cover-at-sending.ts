import { offLadderTemplates, rungInvoicesAtSending } from '../../collections/journey.js';
import type { DebtorSnapshot } from '../../collections/snapshot.js';
import type { RenderInputs } from '../../db/schema/index.js';
import { dayNumber } from '../../domain/local-time.js';
import type { Policy } from '../../domain/policy.js';
import { monthlyStatementTemplate } from '../../statements/monthly-keys.js';

/**
 * Whether a queued email is a rung of the debtor's journey (it lists what is overdue when it goes),
 * not an email about the invoices it names (a heads-up, an installment, a settlement offer). Inputs
 * stored before journeys have no rung: their tone and template tell.
 */
export function isRung(inputs: RenderInputs): boolean {
  return inputs.rung !== undefined
    ? inputs.rung !== null || inputs.template === 'plan-offer'
    : inputs.tone !== 'friendly' && !offLadderTemplates.has(inputs.template);
}

/**
 * Whether a queued email is a heads-up: a step before the due date (not a rung, not an arrangement's
 * email). It tells the debtor an invoice is coming due, so it never goes once that is no longer so.
 */
export function isHeadsUp(inputs: RenderInputs): boolean {
  if (inputs.template === monthlyStatementTemplate) return false;
  return !isRung(inputs) && !offLadderTemplates.has(inputs.template);
}

/**
 * The invoices a heads-up may still name today: those not yet due (an "on the due date" step: due
 * today too). A heads-up held for approval, or delayed past its time, is not sent late.
 */
function stillComingDue(
  inputs: RenderInputs,
  snapshot: DebtorSnapshot,
  policy: Policy,
  today: number,
  invoiceIds: string[],
): string[] {
  const steps = snapshot.overrides.steps ?? policy.steps;
  const onTheDay = steps.find((step) => step.key === inputs.stepKey)?.offsetDays === 0;
  return invoiceIds.filter((invoiceId) => {
    const invoice = snapshot.invoices.find((candidate) => candidate.id === invoiceId);
    if (!invoice) return false;
    const due = dayNumber(invoice.dueDate);
    return onTheDay ? today <= due : today < due;
  });
}

/**
 * The one thing the planner's stored decision cannot say: which invoices a queued email lists when
 * it goes, after the balances were re-read. A rung lists every invoice overdue and still chased
 * today (not paid, not under a dispute, a settlement offer, a promise or a kept plan), and nothing
 * when that, less the debtor's credits, is no longer worth chasing; any other email lists the
 * invoices it `named` (its steps) that are still open, and a heads-up only those not yet due.
 * Empty: nothing to send, delivery cancels it.
 */
export function coverAtSending(
  inputs: RenderInputs,
  snapshot: DebtorSnapshot,
  policy: Policy,
  today: number,
  named: string[],
): string[] {
  if (isRung(inputs)) return rungInvoicesAtSending(snapshot, policy, today).map((invoice) => invoice.id);
  const open = new Set(snapshot.invoices.map((invoice) => invoice.id));
  const stillOpen = named.filter((invoiceId) => open.has(invoiceId));
  return isHeadsUp(inputs) ? stillComingDue(inputs, snapshot, policy, today, stillOpen) : stillOpen;
}
