import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, currencyCode, id, minorUnits, orgId, updatedAt } from './columns.js';

/** What the owner hears about: a debtor disputed, promised, asked for a plan, set one up, replied. */
export type OwnerEventKind = 'dispute' | 'promise' | 'plan_request' | 'plan' | 'reply';

/**
 * Something a debtor did that the organisation's people should hear about, written in the same
 * transaction as the thing itself, and gathered into at most one digest per organisation per window.
 */
export const ownerEvents = pgTable(
  'owner_events',
  {
    id: id(),
    orgId: orgId(),
    // No foreign key: events go with their organisation, and a digest names the customer as it is then.
    customerId: uuid('customer_id'),
    kind: text('kind').$type<OwnerEventKind>().notNull(),
    /** One line for the email ("disputed INV-12: The amount is wrong"); never posted to Slack. */
    summary: text('summary').notNull(),
    /** What the event is about, in one currency (a plan or promise may span invoices of one currency). */
    amountMinor: minorUnits('amount_minor'),
    currency: currencyCode('currency'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** The digest that carried it; null until one did. */
    digestId: uuid('digest_id'),
    createdAt: createdAt(),
  },
  (table) => [
    index('owner_events_waiting_idx').on(table.orgId, table.occurredAt).where(sql`digest_id is null`),
    index('owner_events_digest_idx').on(table.digestId),
  ],
);

export type SlackStatus = 'none' | 'pending' | 'sending' | 'sent' | 'failed' | 'uncertain';

/** One digest of owner events: its email goes through the outbox, its Slack post is claimed here. */
export const ownerDigests = pgTable(
  'owner_digests',
  {
    id: id(),
    orgId: orgId(),
    events: integer('events').notNull(),
    /** The email in the outbox (null when nobody is chosen to hear by email). */
    messageId: uuid('message_id'),
    slackStatus: text('slack_status').$type<SlackStatus>().notNull().default('none'),
    /** The Slack message, names and amounts only. */
    slackText: text('slack_text'),
    slackAttempts: integer('slack_attempts').notNull().default(0),
    slackError: text('slack_error'),
    slackSentAt: timestamp('slack_sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [index('owner_digests_org_idx').on(table.orgId, table.createdAt)],
);

/**
 * Where else the owner hears: a Slack incoming webhook. Kept apart from the settings JSON, which the
 * settings API returns: the URL is a secret (anyone holding it can post to the channel).
 */
export const ownerNotificationSettings = pgTable('owner_notification_settings', {
  orgId: orgId().primaryKey(),
  slackWebhookUrl: text('slack_webhook_url'),
  updatedAt: updatedAt(),
});
