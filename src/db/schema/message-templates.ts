import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgId, updatedAt } from './columns.js';

/** An organisation's own version of one email (Liquid sources); without a row the default is used. */
export const messageTemplates = pgTable(
  'message_templates',
  {
    orgId: orgId(),
    /** A tone of the schedule (`friendly` … `final`) or a special email (`installment`, `settlement`). */
    name: text('name').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: updatedAt(),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.name] })],
);
