import { and, eq } from 'drizzle-orm';
import type { ArrangementRequest } from '../arrangements/arrangement-request.js';
import { policyOf } from '../collections/policy-versions.js';
import { customers } from '../db/schema/index.js';
import { actorKey } from '../domain/actor.js';
import { localMoment } from '../domain/local-time.js';
import { AppError } from '../errors.js';
import { organisationProfile } from '../organisations/settings.js';
import { type DebtorContext, debtorScope } from '../services/context.js';

/** The debtor or their organisation is gone (erased, merged away): the link's page is no more. */
export const debtorGone = () => new AppError(410, 'debtor_gone', 'This page is no longer available.');

/**
 * What every debtor's choice on their page is made under: the organisation's limits for promises
 * and plans, today in its zone, and who hears about a dispute. 410 when the debtor is gone.
 */
export async function debtorTerms(
  ctx: DebtorContext,
): Promise<{ request: Omit<ArrangementRequest, 'invoiceIds'>; notifyEmail: string | null }> {
  const scope = debtorScope(ctx);
  const [organisation, [customer], policy] = await Promise.all([
    organisationProfile(ctx.db, scope.orgId),
    ctx.db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.id, scope.customerId), eq(customers.orgId, scope.orgId))),
    policyOf(ctx.db, scope.orgId),
  ]);
  if (!organisation || !customer) throw debtorGone();
  return {
    request: {
      ...scope,
      source: 'portal',
      actor: actorKey(ctx.actor),
      now: ctx.now,
      today: localMoment(ctx.now, organisation.timeZone).date,
      limits: policy.arrangements,
    },
    notifyEmail: organisation.settings.notifyEmail,
  };
}
