import { and, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { collectionSteps, customers, invoices } from '../../src/db/schema/index.js';

/**
 * Records that the journey's final notice reached a customer `daysAgo` days before `now`, covering
 * every open invoice: a flag is raised only after the final notice and its grace.
 */
export async function seedFinalNotice(
  db: Database,
  orgId: string,
  customerName: string,
  now: Date,
  daysAgo = 20,
): Promise<void> {
  const [customer] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.orgId, orgId), eq(customers.name, customerName)));
  if (!customer) throw new Error(`no customer ${customerName}`);
  const open = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.customerId, customer.id), eq(invoices.status, 'open')));
  await db
    .insert(collectionSteps)
    .values(
      open.map((invoice) => ({
        orgId,
        customerId: customer.id,
        invoiceId: invoice.id,
        stepKey: 'final',
        kind: 'email' as const,
        effectKey: `${customer.id}:final:seeded`,
        takenAt: new Date(now.getTime() - daysAgo * 86_400_000),
      })),
    )
    .onConflictDoNothing();
}
