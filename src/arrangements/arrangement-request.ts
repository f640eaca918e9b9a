import { sql } from 'drizzle-orm';
import type { Transaction } from '../db/client.js';
import type { ArrangementSource } from '../db/schema/index.js';
import type { ArrangementLimits } from '../domain/policy.js';
import type { DebtorScope } from './debtor-invoices.js';

export interface ArrangementRequest extends DebtorScope {
  invoiceIds: string[];
  source: ArrangementSource;
  /** Who acted, for the activity log: an `Actor` as `actorKey` stores it (`debtor`, `user:<id>`). */
  actor: string;
  now: Date;
  /** Today in the organisation's time zone. */
  today: string;
  limits: ArrangementLimits;
}

/** Who acted, in the words of a summary. */
export const who = (source: ArrangementSource) => whoByArrangementSource[source];

const whoByArrangementSource: Record<ArrangementSource, string> = {
  portal: 'The customer (on their page)',
  reply: 'The customer (by email reply)',
  call: 'The customer (on a call)',
  user: 'A person',
};

export async function lockDebtor(tx: Transaction, scope: DebtorScope) {
  // One arrangement at a time per debtor: two tabs submitting at once must not both pass the checks.
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`arrangements:${scope.customerId}`}, 0))`,
  );
}
