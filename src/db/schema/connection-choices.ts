import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.js';
import { ledgerVendor } from './ledger-connections.js';

/**
 * A grant that covers several companies (a Xero login with several organisations), waiting for the
 * person to choose which to connect. Short-lived; no organisation exists for it yet.
 */
export const connectionChoices = pgTable('connection_choices', {
  id: id(),
  vendor: ledgerVendor('vendor').notNull(),
  /** The grant's tokens, sealed as a connection's are. */
  accessTokenSealed: text('access_token_sealed').notNull(),
  refreshTokenSealed: text('refresh_token_sealed').notNull(),
  accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }).notNull(),
  refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
  tenants: jsonb('tenants')
    .$type<Array<{ tenantId: string; name: string | null; grantRef?: string }>>()
    .notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
});
