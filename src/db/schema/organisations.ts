import { sql } from 'drizzle-orm';
import { char, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});
