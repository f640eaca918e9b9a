import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { id } from './columns.js';
import { ledgerVendor } from './ledger-connections.js';
import { organisations } from './organisations.js';

export const webhookStatus = pgEnum('webhook_status', ['received', 'processed', 'ignored', 'failed']);

/**
 * Verified webhook events, stored before they are answered and processed after. The organisation
 * is unknown on receipt (events name a vendor tenant, and one delivery may mix tenants), so it is
 * filled in when the event is routed.
 */
export const webhookInbox = pgTable(
  'webhook_inbox',
  {
    id: id(),
    vendor: ledgerVendor('vendor').notNull(),
    /** The vendor's event id, or a digest of the event when it has none; duplicates are dropped. */
    eventId: text('event_id').notNull(),
    tenantId: text('tenant_id'),
    orgId: uuid('org_id').references(() => organisations.id, { onDelete: 'cascade' }),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: webhookStatus('status').notNull().default('received'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('webhook_inbox_event_key').on(table.vendor, table.eventId),
    index('webhook_inbox_pending_idx').on(table.receivedAt).where(sql`${table.status} = 'received'`),
    // Events arrive with no organisation: leaving them out makes each stored event one index write fewer.
    index('webhook_inbox_org_idx').on(table.orgId, table.receivedAt).where(sql`${table.orgId} is not null`),
  ],
);
