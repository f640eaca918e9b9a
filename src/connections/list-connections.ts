import { asc, inArray } from 'drizzle-orm';
import type { Vendor } from '../../connectors/vendors.js';
import type { Database } from '../db/client.js';
import { ledgerConnections, type SyncProgress } from '../db/schema/index.js';

export interface ConnectionSummary {
  id: string;
  orgId: string;
  vendor: Vendor;
  companyName: string | null;
  status: 'active' | 'needs_reauth' | 'disconnected';
  lastSyncedAt: string | null;
  syncProgress: SyncProgress | null;
  problem: string | null;
}

/** The connections of the given organisations, as a page shows them (never tokens). */
export async function listConnections(db: Database, orgIds: string[]): Promise<ConnectionSummary[]> {
  if (orgIds.length === 0) return [];
  const rows = await db
    .select({
      id: ledgerConnections.id,
      orgId: ledgerConnections.orgId,
      vendor: ledgerConnections.vendor,
      companyName: ledgerConnections.tenantName,
      status: ledgerConnections.status,
      lastSyncedAt: ledgerConnections.lastSyncedAt,
      syncProgress: ledgerConnections.syncProgress,
      problem: ledgerConnections.lastError,
    })
    .from(ledgerConnections)
    .where(inArray(ledgerConnections.orgId, orgIds))
    .orderBy(asc(ledgerConnections.createdAt));
  return rows.map((row) => ({ ...row, lastSyncedAt: row.lastSyncedAt?.toISOString() ?? null }));
}
