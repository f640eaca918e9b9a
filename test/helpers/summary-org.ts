import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db/client.js';
import { customers, ledgerConnections, organisations } from '../../src/db/schema/index.js';

/** An organisation with one ledger connection and the named customers, for the weekly summary tests. */
export async function createSummaryOrganisation(
  db: Database,
  options: {
    name: string;
    timeZone: string;
    currency?: string;
    country?: string;
    settings?: Record<string, unknown>;
    customers?: string[];
    connection?: Partial<typeof ledgerConnections.$inferInsert>;
    /** When the organisation was created: by default long before the weeks the tests report on. */
    createdAt?: Date;
  },
) {
  const [organisation] = await db
    .insert(organisations)
    .values({
      name: options.name,
      timeZone: options.timeZone,
      currency: options.currency ?? 'GBP',
      country: options.country ?? 'GB',
      settings: options.settings ?? {},
      createdAt: options.createdAt ?? new Date('2025-01-01T00:00:00Z'),
    })
    .returning();
  if (!organisation) throw new Error('no organisation');
  const [connection] = await db
    .insert(ledgerConnections)
    .values({
      orgId: organisation.id,
      vendor: 'quickbooks',
      tenantId: `realm-${randomUUID()}`,
      tenantName: options.name,
      ...options.connection,
    })
    .returning();
  if (!connection) throw new Error('no connection');
  const customerIds = new Map<string, string>();
  if (options.customers && options.customers.length > 0) {
    const rows = await db
      .insert(customers)
      .values(
        options.customers.map((name) => ({
          orgId: organisation.id,
          connectionId: connection.id,
          externalId: name,
          name,
        })),
      )
      .returning({ id: customers.id, name: customers.name });
    for (const row of rows) customerIds.set(row.name, row.id);
  }
  return { orgId: organisation.id, connectionId: connection.id, customerIds };
}
