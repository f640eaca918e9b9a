import { acceptSettlement } from '../arrangements/settlements.js';
import { actorKey } from '../domain/actor.js';
import { type DebtorContext, debtorScope } from '../services/context.js';
import { debtorTerms } from './debtor-terms.js';

/** The debtor accepts a settlement offer made to them; the credit follows their payment. */
export async function acceptOffer(ctx: DebtorContext, settlementId: string): Promise<void> {
  // As for every choice on the page: a debtor who is gone is told so (410), whatever the offer.
  await debtorTerms(ctx);
  await acceptSettlement(ctx.db, {
    ...debtorScope(ctx),
    settlementId,
    actor: actorKey(ctx.actor),
    now: ctx.now,
  });
}
