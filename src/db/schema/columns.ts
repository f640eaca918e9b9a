import { sql } from 'drizzle-orm';
import { bigint, char, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations.js';

export const id = () => uuid('id').primaryKey().default(sql`gen_random_uuid()`);

/** The tenant column every organisation-owned row carries; deleting an organisation erases its rows. */
export const orgId = () =>
  uuid('org_id')
    .notNull()
    .references(() => organisations.id, { onDelete: 'cascade' });

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

/** Money is an integer count of the currency's minor units (cents, pence) beside an ISO 4217 code. */
export const minorUnits = (name: string) => bigint(name, { mode: 'number' });
export const currencyCode = (name = 'currency') => char(name, { length: 3 });
