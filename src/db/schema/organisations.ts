import { sql } from 'drizzle-orm';
import { char, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Whether the organisation's emails go out: `preview` (a newly connected organisation: everything is
 * planned, nothing is sent), `live`, or `paused` by the owner. Organisations from before this column
 * were sending, so the column defaults to live; connecting a company creates its organisation in preview.
 */
export const organisationSending = pgEnum('organisation_sending', ['preview', 'live', 'paused']);

export const organisations = pgTable('organisations', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  name: text('name').notNull(),
  /** IANA zone; days overdue and sending windows are computed in it. */
  timeZone: text('time_zone').notNull().default('UTC'),
  /** Home (base) currency of the books. */
  currency: char('currency', { length: 3 }).notNull(),
  /** ISO 3166-1 alpha-2; collection rules differ by country. */
  country: char('country', { length: 2 }),
  /** Portal branding, contact details, payment instructions and credit accounts (see organisation-settings.ts). */
  sending: organisationSending('sending').notNull().default('live'),
  /** When `sending` last changed (null: never since the organisation was created). */
  sendingChangedAt: timestamp('sending_changed_at', { withTimezone: true }),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});
