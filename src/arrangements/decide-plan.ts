import { actorKey } from '../domain/actor.js';
import { type AccountContext, actingPerson } from '../services/context.js';
import { decidePaymentPlan } from './payment-plans.js';

/** A person approves or declines a payment plan a debtor asked for, recorded with who did. */
export function decidePlan(
  account: AccountContext,
  request: { planId: string; decision: 'approved' | 'rejected' },
) {
  return decidePaymentPlan(account.db, {
    orgIds: [...account.orgIds],
    ...request,
    actor: actorKey(actingPerson(account)),
    now: account.now,
  });
}
