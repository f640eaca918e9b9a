import { requestPaymentPlan } from '../arrangements/payment-plans.js';
import type { DebtorContext } from '../services/context.js';
import { debtorTerms } from './debtor-terms.js';

/**
 * The debtor asks to pay in installments: inside the organisation's limits the plan starts at once
 * (`active`), outside them it waits for a person.
 */
export async function askForPlan(
  ctx: DebtorContext,
  request: { invoiceIds: string[]; installmentCount: number; firstDate: string },
) {
  const terms = await debtorTerms(ctx);
  return requestPaymentPlan(ctx.db, { ...terms.request, ...request });
}
