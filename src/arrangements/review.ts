import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { customers, disputes, paymentPlans } from '../db/schema/index.js';

/** Plans outside the limits, waiting for a person, newest first, with the debtor's name. */
export async function plansAwaitingApproval(db: Database, orgIds: string[]) {
  if (orgIds.length === 0) return [];
  return db
    .select({
      id: paymentPlans.id,
      orgId: paymentPlans.orgId,
      customerId: paymentPlans.customerId,
      customerName: customers.name,
      invoiceIds: paymentPlans.invoiceIds,
      currency: paymentPlans.currency,
      startBalanceMinor: paymentPlans.startBalanceMinor,
      installments: paymentPlans.installments,
      approvalReason: paymentPlans.approvalReason,
      createdAt: paymentPlans.createdAt,
    })
    .from(paymentPlans)
    .innerJoin(customers, eq(customers.id, paymentPlans.customerId))
    .where(and(inArray(paymentPlans.orgId, orgIds), eq(paymentPlans.status, 'awaiting_approval')))
    .orderBy(desc(paymentPlans.createdAt))
    .limit(200);
}

/** Disputes no one has resolved yet, newest first. */
export async function openDisputes(db: Database, orgIds: string[]) {
  if (orgIds.length === 0) return [];
  return db
    .select({
      id: disputes.id,
      orgId: disputes.orgId,
      customerId: disputes.customerId,
      customerName: customers.name,
      invoiceIds: disputes.invoiceIds,
      reason: disputes.reason,
      message: disputes.message,
      createdAt: disputes.createdAt,
    })
    .from(disputes)
    .innerJoin(customers, eq(customers.id, disputes.customerId))
    .where(and(inArray(disputes.orgId, orgIds), eq(disputes.status, 'open')))
    .orderBy(desc(disputes.createdAt))
    .limit(200);
}
