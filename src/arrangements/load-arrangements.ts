import { and, desc, eq, gte, ne, notInArray, or } from 'drizzle-orm';
import type { DebtorHistory } from '../collections/snapshot.js';

import type { Database } from '../db/client.js';
import { ofDebtors } from '../db/debtor-scope.js';
import { disputes, paymentPlans, paymentPromises, settlements } from '../db/schema/index.js';
import { planProgress } from './proposals.js';

export type ArrangementHistory = Pick<
  DebtorHistory,
  'promises' | 'plan' | 'settlements' | 'disputes' | 'lastResponseAt'
>;

const empty = (): ArrangementHistory => ({
  promises: [],
  plan: null,
  settlements: [],
  disputes: [],
  lastResponseAt: null,
});

const isoDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * The promises, newest plan, open settlement offers and disputes of a batch of debtors, as planner
 * history: four queries per batch. `openBalancesOf` (invoice id → balance now) measures plans' progress.
 */
export async function loadArrangements(
  db: Database,
  orgId: string,
  customerIds: string[],
  /** Awaited only after the arrangements are read, so the caller can read both at once. */
  openBalancesOf: Map<string, number> | Promise<Map<string, number>>,
  since: Date,
): Promise<Map<string, ArrangementHistory>> {
  const byCustomer = new Map<string, ArrangementHistory>();
  if (customerIds.length === 0) return byCustomer;
  const of = (customerId: string) => {
    let history = byCustomer.get(customerId);
    if (!history) {
      history = empty();
      byCustomer.set(customerId, history);
    }
    return history;
  };
  const responded = (customerId: string, at: Date, source: string) => {
    if (source !== 'portal') return;
    const history = of(customerId);
    if (!history.lastResponseAt || at.toISOString() > history.lastResponseAt)
      history.lastResponseAt = at.toISOString();
  };
  const scope = (
    table: typeof paymentPromises | typeof paymentPlans | typeof disputes | typeof settlements,
  ) => ofDebtors(table, orgId, customerIds);

  const [promiseRows, planRows, disputeRows, settlementRows] = await Promise.all([
    db
      .select()
      .from(paymentPromises)
      .where(
        and(
          scope(paymentPromises),
          or(eq(paymentPromises.status, 'open'), gte(paymentPromises.createdAt, since)),
        ),
      ),
    db
      .select()
      .from(paymentPlans)
      .where(and(scope(paymentPlans), ne(paymentPlans.status, 'rejected')))
      .orderBy(desc(paymentPlans.createdAt)),
    db
      .select()
      .from(disputes)
      .where(and(scope(disputes), gte(disputes.createdAt, since))),
    db
      .select()
      .from(settlements)
      .where(and(scope(settlements), notInArray(settlements.status, ['paid', 'expired']))),
  ]);

  for (const row of promiseRows) {
    of(row.customerId).promises.push({
      invoiceIds: row.invoiceIds,
      promisedDate: row.promisedDate,
      status: row.status,
      madeOn: isoDay(row.createdAt),
      resolvedAt: row.resolvedAt?.toISOString() ?? null,
    });
    responded(row.customerId, row.createdAt, row.source);
  }
  const openBalances = await openBalancesOf;
  for (const row of planRows) {
    responded(row.customerId, row.createdAt, row.source);
    const history = of(row.customerId);
    // Newest first: the first one seen is the plan in force.
    if (history.plan || row.status === 'rejected') continue;
    const owedNow = row.invoiceIds.reduce((sum, id) => sum + (openBalances.get(id) ?? 0), 0);
    const progress = planProgress(row.installments, row.startBalanceMinor - owedNow);
    // Waiting for a person's approval pauses chasing with no installment to remind of yet.
    const next =
      progress.next && row.status !== 'awaiting_approval'
        ? { ...progress.next, currency: row.currency }
        : null;
    history.plan = {
      status: row.status === 'awaiting_approval' ? 'active' : row.status,
      invoiceIds: row.invoiceIds,
      nextInstallment: next,
      brokenAt: row.status === 'broken' ? (row.resolvedAt?.toISOString() ?? null) : null,
      madeAt: row.createdAt.toISOString(),
    };
  }
  for (const row of disputeRows) {
    of(row.customerId).disputes.push({
      invoiceIds: row.invoiceIds,
      status: row.status,
      openedOn: isoDay(row.createdAt),
    });
    responded(row.customerId, row.createdAt, row.source);
  }
  for (const row of settlementRows) {
    of(row.customerId).settlements?.push({
      id: row.id,
      invoiceIds: row.invoiceIds,
      amountMinor: row.offerMinor,
      currency: row.currency,
      payBy: row.payBy,
    });
    if (row.acceptedAt) responded(row.customerId, row.acceptedAt, 'portal');
  }
  return byCustomer;
}
