import { and, eq, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { anyUuid } from './any-of.js';

/** A table of rows that belong to one debtor of one organisation. */
interface DebtorRows {
  orgId: AnyPgColumn;
  customerId: AnyPgColumn;
}

/** The condition that keeps a query to one debtor of one organisation. */
export function ofDebtor(table: DebtorRows, debtor: { orgId: string; customerId: string }): SQL | undefined {
  return and(eq(table.orgId, debtor.orgId), eq(table.customerId, debtor.customerId));
}

/** The condition that keeps a query to a batch of one organisation's debtors. */
export function ofDebtors(table: DebtorRows, orgId: string, customerIds: string[]): SQL | undefined {
  return and(eq(table.orgId, orgId), anyUuid(table.customerId, customerIds));
}
