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
    /** The one body (plain text with merge fields): both the HTML and the text email are made from it. */
    text: text('text').notNull(),
    /**
     * No longer used: the HTML body of a template saved before templates had one body, kept so the
     * editor can show it until the template is next saved (then empty).
     */
    html: text('html').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: updatedAt(),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.name] })],
);
