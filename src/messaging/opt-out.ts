import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { activityLog, customers } from '../db/schema/index.js';

/**
 * Stops automatic emails to a customer (an unsubscribe link, a spam report): recorded once, with why;
 * false when they had opted out already, so a repeat changes nothing.
 */
export async function optOutCustomer(
  db: Database,
  debtor: { orgId: string; customerId: string },
  record: { at: Date; summary: string; details: Record<string, unknown> },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const optedOut = await tx
      .update(customers)
      .set({ optedOutAt: record.at, updatedAt: new Date() })
      .where(
        and(
          eq(customers.orgId, debtor.orgId),
          eq(customers.id, debtor.customerId),
          isNull(customers.optedOutAt),
        ),
      )
      .returning({ id: customers.id });
    if (optedOut.length === 0) return false;
    await tx.insert(activityLog).values({
      orgId: debtor.orgId,
      customerId: debtor.customerId,
      kind: 'email.opted_out',
      actor: 'debtor',
      summary: record.summary,
      details: record.details,
      occurredAt: record.at,
    });
    return true;
  });
}
