import { actorKey } from '../domain/actor.js';
import { type AccountContext, actingPerson } from '../services/context.js';
import { resolveDispute } from './disputes.js';

/** A person resolves a dispute (chasing its invoices resumes), recorded with who did. */
export function settleDispute(account: AccountContext, request: { disputeId: string; resolution: string }) {
  return resolveDispute(account.db, {
    orgIds: [...account.orgIds],
    ...request,
    actor: actorKey(actingPerson(account)),
    now: account.now,
  });
}
