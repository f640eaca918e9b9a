import { actorKey } from '../domain/actor.js';
import { type AccountContext, actingPerson } from '../services/context.js';
import { decideFlag, type FlagDecision } from './decide-flag.js';

/**
 * A signed-in person's decision on a flag of one of their organisations, recorded with who made it;
 * another organisation's flag is the same 404 as none.
 */
export function decideFlagFor(
  account: AccountContext,
  request: {
    flagId: string;
    decision: FlagDecision;
    choice?: string;
    reason?: string;
    settlementDiscount?: number;
  },
) {
  return decideFlag(account.db, {
    orgIds: [...account.orgIds],
    ...request,
    actor: actorKey(actingPerson(account)),
    now: account.now,
  });
}
