import { and, eq, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** A table of rows that belong to one debtor of one organisation. */
interface DebtorRows {
  orgId: AnyPgColumn;
  customerId: AnyPgColumn;
}

/** The condition that keeps a query to one debtor of one organisation. */
export function ofDebtor(table: DebtorRows, debtor: { orgId: string; customerId: string }): SQL | undefined {
  return and(eq(table.orgId, debtor.orgId), eq(table.customerId, debtor.customerId));
}
