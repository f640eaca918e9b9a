import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, updatedAt } from './columns.js';
import { customers } from './customers.js';
import { organisations } from './organisations.js';

/** Where a phone number's consent to texts came from. */
export type SmsConsentSource = 'portal' | 'written' | 'verbal' | 'imported';

/**
 * A customer's mobile numbers (E.164) and the consent to text each, on record: texts go only to a
 * number with consent and without an SMS opt-out. The opt-out is this channel's alone: an SMS STOP
 * leaves emails (customers.opted_out_at) as they were, and an email unsubscribe leaves texts.
 */
export const customerPhones = pgTable(
  'customer_phones',
  {
    id: id(),
    orgId: orgId(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** E.164, e.g. +447700900123. */
    phone: text('phone').notNull(),
    /** When consent was given; null: the number is known but may not be texted. */
    consentAt: timestamp('consent_at', { withTimezone: true }),
    consentSource: text('consent_source').$type<SmsConsentSource>(),
    /** How, in words: "ticked 'text me' on the portal", "signed the credit application of 3 May". */
    consentMethod: text('consent_method'),
    /** Who recorded it (an actor key: `user:<id>`, `debtor`). */
    consentRecordedBy: text('consent_recorded_by'),
    /** Texted STOP (or the carrier refused the number as unsubscribed); START clears it. */
    smsOptedOutAt: timestamp('sms_opted_out_at', { withTimezone: true }),
    smsOptOutSource: text('sms_opt_out_source').$type<'keyword' | 'carrier' | 'person'>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('customer_phones_customer_phone_key').on(table.orgId, table.customerId, table.phone),
    // Incoming texts name only the number.
    index('customer_phones_phone_idx').on(table.phone),
  ],
);

/**
 * What a text is at: `claimed` while the provider is being asked (a crash there leaves it, and it is
 * never sent again: `uncertain`), `refused` when the provider would not take it, then the provider's
 * own statuses as its answer and status callbacks report them.
 */
export type SmsStatus =
  | 'claimed'
  | 'uncertain'
  | 'refused'
  | 'accepted'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed';

/** Texts sent to debtors, once per idempotency key, with the provider's SID. */
export const smsMessages = pgTable(
  'sms_messages',
  {
    id: id(),
    orgId: orgId(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    phoneId: uuid('phone_id').references(() => customerPhones.id, { onDelete: 'set null' }),
    idempotencyKey: text('idempotency_key').notNull(),
    toPhone: text('to_phone').notNull(),
    body: text('body').notNull(),
    segments: integer('segments').notNull(),
    status: text('status').$type<SmsStatus>().notNull().default('claimed'),
    /** The provider's Message SID once it took the text. */
    providerSid: text('provider_sid'),
    errorCode: integer('error_code'),
    errorMessage: text('error_message'),
    /** Why it was sent (what the engine decided), for the timeline. */
    context: jsonb('context').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('sms_messages_idempotency_key').on(table.orgId, table.idempotencyKey),
    uniqueIndex('sms_messages_provider_sid_key').on(table.providerSid),
    index('sms_messages_customer_idx').on(table.orgId, table.customerId, table.createdAt),
  ],
);

/** Every status a text took, from the send's answer and the signed status callbacks; a replay adds nothing. */
export const smsStatusEvents = pgTable(
  'sms_status_events',
  {
    id: id(),
    orgId: orgId(),
    smsId: uuid('sms_id')
      .notNull()
      .references(() => smsMessages.id, { onDelete: 'cascade' }),
    status: text('status').notNull(),
    errorCode: integer('error_code'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('sms_status_events_key').on(table.orgId, table.smsId, table.status)],
);

/**
 * What was done with an incoming text: a keyword acted on, or free text kept for a person; a text
 * from a number no customer holds any more, once on the Unmatched messages page, is `assigned` to a
 * customer as their reply or `dismissed` by a person.
 */
export type InboundSmsStatus = 'received' | 'processed' | 'assigned' | 'dismissed';

/**
 * Texts debtors send to the sending number, stored before the webhook is answered. The organisation
 * is the one that last texted the number (null when none did); a keyword acts on every customer with
 * the number, as the provider's own opt-out does.
 */
export const inboundSms = pgTable(
  'inbound_sms',
  {
    id: id(),
    providerSid: text('provider_sid').notNull(),
    fromPhone: text('from_phone').notNull(),
    toPhone: text('to_phone').notNull(),
    body: text('body').notNull(),
    /** 'stop', 'start', 'help', or null for free text. */
    keyword: text('keyword'),
    orgId: uuid('org_id').references(() => organisations.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id'),
    status: text('status').$type<InboundSmsStatus>().notNull().default('received'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('inbound_sms_provider_sid_key').on(table.providerSid),
    index('inbound_sms_org_idx').on(table.orgId, table.receivedAt),
  ],
);
