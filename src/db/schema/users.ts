import { index, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, updatedAt } from './columns.js';
import { ledgerVendor } from './ledger-connections.js';

/** A person who signs in. The email is for display and mail only: accounts are never matched by it. */
export const users = pgTable('users', {
  id: id(),
  email: text('email').notNull(),
  name: text('name'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** The OpenID subject a vendor vouches for; sign-in finds the user by this, never by email. */
export const userIdentities = pgTable(
  'user_identities',
  {
    vendor: ledgerVendor('vendor').notNull(),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email'),
    createdAt: createdAt(),
    lastSignedInAt: timestamp('last_signed_in_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.vendor, table.subject] }),
    index('user_identities_user_idx').on(table.userId),
  ],
);

/** A signed-in browser. The cookie holds a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('sessions_user_idx').on(table.userId), index('sessions_expiry_idx').on(table.expiresAt)],
);

export const membershipRole = pgEnum('membership_role', ['owner', 'admin', 'member']);

export const memberships = pgTable(
  'memberships',
  {
    orgId: orgId(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: membershipRole('role').notNull().default('member'),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.userId] }),
    index('memberships_user_idx').on(table.userId),
  ],
);
