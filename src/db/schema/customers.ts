import { sql } from 'drizzle-orm';
import {
  boolean,
  char,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { PostalAddress } from '../../domain/postal-address.js';
import { createdAt, currencyCode, id, orgId, updatedAt } from './columns.js';
import { ledgerConnections } from './ledger-connections.js';

export const customers = pgTable(
  'customers',
  {
    id: id(),
    orgId: orgId(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => ledgerConnections.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    name: text('name').notNull(),
    currency: currencyCode(),
    /** IANA zone of the debtor when known; otherwise the organisation's is used. */
    timeZone: text('time_zone'),
    /** ISO 3166-1 alpha-2 country of the debtor when known: its public holidays are not contact days. */
    country: char('country', { length: 2 }),
    /** Where letters go, as the ledger holds it (tidied); null when it holds none. */
    postalAddress: jsonb('postal_address').$type<PostalAddress>(),
    active: boolean('active').notNull().default(true),
    /** When the debtor opted out of emails (unsubscribe link, spam report); no automatic message after it. */
    optedOutAt: timestamp('opted_out_at', { withTimezone: true }),
    /** A person's choices for this customer: excluded, do-not-contact, segment, own schedule. */
    collectionOverrides: jsonb('collection_overrides').$type<Record<string, unknown>>().notNull().default({}),
    /** Set when the ledger deleted or merged the customer; rows are kept for the record. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    vendorUpdatedAt: timestamp('vendor_updated_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('customers_connection_external_key').on(table.connectionId, table.externalId),
    index('customers_org_name_idx').on(table.orgId, table.name),
  ],
);

export const contactRole = pgEnum('contact_role', ['billing', 'escalation', 'other']);
export const contactSource = pgEnum('contact_source', ['ledger', 'manual']);

export const customerContacts = pgTable(
  'customer_contacts',
  {
    id: id(),
    orgId: orgId(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    name: text('name'),
    email: text('email'),
    role: contactRole('role').notNull().default('billing'),
    source: contactSource('source').notNull().default('ledger'),
    /** Set when a message to this address bounced; it is not used again until fixed. */
    bouncedAt: timestamp('bounced_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index('customer_contacts_customer_idx').on(table.orgId, table.customerId),
    uniqueIndex('customer_contacts_email_key').on(table.customerId, table.source, table.email),
    // An email that names no reminder is matched by its sender's address, in any organisation.
    index('customer_contacts_lower_email_idx').on(sql`lower(${table.email})`),
  ],
);
