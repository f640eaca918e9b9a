import { makePromise } from '../arrangements/promises.js';
import type { DebtorContext } from '../services/context.js';
import { debtorTerms } from './debtor-terms.js';

/** The debtor promises to pay the named invoices (or all open ones) by a date within the organisation's limits. */
export async function promiseToPay(
  ctx: DebtorContext,
  request: { invoiceIds: string[]; promisedDate: string },
): Promise<void> {
  const terms = await debtorTerms(ctx);
  await makePromise(ctx.db, { ...terms.request, ...request });
}
