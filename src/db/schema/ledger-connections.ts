import { index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { vendorIds } from '../../../connectors/vendors.js';
import { createdAt, id, orgId, updatedAt } from './columns.js';

/** What a page shows about a running or finished sync. */
export interface SyncProgress {
  phase: 'customers' | 'invoices' | 'payments' | 'changes' | 'done' | 'failed';
  kind: 'full' | 'incremental';
  startedAt: string;
  finishedAt?: string;
  customers: number;
  invoices: number;
  payments: number;
  error?: string;
}

export const ledgerVendor = pgEnum('ledger_vendor', vendorIds);
export const connectionStatus = pgEnum('connection_status', ['active', 'needs_reauth', 'disconnected']);

export const ledgerConnections = pgTable(
  'ledger_connections',
  {
    id: id(),
    orgId: orgId(),
    vendor: ledgerVendor('vendor').notNull(),
    /** QuickBooks realm id or Xero tenant id. */
    tenantId: text('tenant_id').notNull(),
    tenantName: text('tenant_name'),
    status: connectionStatus('status').notNull().default('active'),
    /** Sealed with the token cipher (AES-256-GCM, key id inside); never stored or logged in clear. */
    accessTokenSealed: text('access_token_sealed'),
    refreshTokenSealed: text('refresh_token_sealed'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
    /** Where incremental sync resumes (QuickBooks CDC time, Xero If-Modified-Since), per entity. */
    syncCursor: jsonb('sync_cursor').$type<Record<string, string>>().notNull().default({}),
    lastSyncedAt: timestamp('last_synced_at', { withTimezone: true }),
    /** When the last full sync finished; incremental syncs build on it. */
    fullSyncedAt: timestamp('full_synced_at', { withTimezone: true }),
    syncProgress: jsonb('sync_progress').$type<SyncProgress>(),
    lastError: text('last_error'),
    disconnectedAt: timestamp('disconnected_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('ledger_connections_vendor_tenant_key').on(table.orgId, table.vendor, table.tenantId),
    // Webhooks arrive addressed by vendor tenant, not by organisation.
    index('ledger_connections_tenant_idx').on(table.vendor, table.tenantId),
  ],
);
