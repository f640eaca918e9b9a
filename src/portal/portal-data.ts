import { and, desc, eq, inArray } from 'drizzle-orm';
import { type DebtorScope, openInvoicesOf } from '../arrangements/debtor-invoices.js';
import { planProgress } from '../arrangements/proposals.js';
import { policyOf } from '../collections/policy-versions.js';
import type { Database } from '../db/client.js';
import { ofDebtor } from '../db/debtor-scope.js';
import { customers, disputes, paymentPlans, paymentPromises, settlements } from '../db/schema/index.js';
import { localMoment } from '../domain/local-time.js';
import { organisationProfile } from '../organisations/settings.js';

/**
 * Everything one debtor's page shows, read for that debtor only: every query is scoped by both the
 * organisation and the customer named in the signed link.
 */
export async function loadPortal(db: Database, scope: DebtorScope, now: Date) {
  const organisation = await organisationProfile(db, scope.orgId);
  if (!organisation) return null;
  const [customer] = await db
    .select({ name: customers.name })
    .from(customers)
    .where(and(eq(customers.id, scope.customerId), eq(customers.orgId, scope.orgId)));
  if (!customer) return null;
  const mine = (table: Parameters<typeof ofDebtor>[0]) => ofDebtor(table, scope);
  const [invoices, policy, promises, plans, openDisputes, offers] = await Promise.all([
    openInvoicesOf(db, scope),
    policyOf(db, scope.orgId),
    db
      .select()
      .from(paymentPromises)
      .where(and(mine(paymentPromises), eq(paymentPromises.status, 'open'))),
    db
      .select()
      .from(paymentPlans)
      .where(and(mine(paymentPlans), inArray(paymentPlans.status, ['active', 'awaiting_approval'])))
      .orderBy(desc(paymentPlans.createdAt))
      .limit(1),
    db
      .select()
      .from(disputes)
      .where(and(mine(disputes), eq(disputes.status, 'open'))),
    db
      .select()
      .from(settlements)
      .where(and(mine(settlements), inArray(settlements.status, ['offered', 'accepted']))),
  ]);
  const balances = new Map(invoices.map((invoice) => [invoice.id, invoice.balanceMinor]));
  const plan = plans[0]
    ? {
        ...plans[0],
        progress: planProgress(
          plans[0].installments,
          plans[0].startBalanceMinor -
            plans[0].invoiceIds.reduce((sum, id) => sum + (balances.get(id) ?? 0), 0),
        ),
      }
    : null;
  return {
    organisation,
    customer,
    invoices,
    limits: policy.arrangements,
    today: localMoment(now, organisation.timeZone).date,
    promises,
    plan,
    disputes: openDisputes,
    settlements: offers,
  };
}

export type PortalData = NonNullable<Awaited<ReturnType<typeof loadPortal>>>;
