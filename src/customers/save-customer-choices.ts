import { actorKey } from '../domain/actor.js';
import type { ServiceContext } from '../services/context.js';
import { type SaveCustomerOverridesResult, saveCustomerOverrides } from './customer-overrides.js';

/**
 * Saves a person's choices for one customer (excluded, do not contact, segment, own schedule,
 * escalation contacts), recording who in the activity log; every problem is reported, nothing saved.
 */
export function saveCustomerChoices(
  ctx: ServiceContext,
  customerId: string,
  choices: { overrides: unknown; escalationContacts: unknown },
): Promise<SaveCustomerOverridesResult> {
  return saveCustomerOverrides(ctx.db, {
    orgId: ctx.orgId,
    customerId,
    overrides: choices.overrides,
    escalationContacts: choices.escalationContacts,
    actor: actorKey(ctx.actor),
  });
}
