import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, updatedAt } from './columns.js';

export const messageStatus = pgEnum('message_status', [
  'awaiting_approval',
  'pending',
  'sending',
  'sent',
  'uncertain',
  'failed',
  'cancelled',
]);

/** The planned step a reminder renders from (see messaging/render/queued-message.ts). */
export interface RenderInputs {
  stepKey: string;
  tone: 'friendly' | 'neutral' | 'firm' | 'formal' | 'final';
  template: string;
  lateFeeNotice: boolean;
  brokenPromise: { promisedDate: string } | null;
  /** The journey's rung (null: off the ladder, e.g. a heads-up); absent on messages planned before journeys. */
  rung?: number | null;
  /** The debtor's statement of account goes with it as a PDF, as of the moment it is sent. */
  attachStatement?: boolean;
}

export interface MessageAddress {
  email: string;
  name?: string;
}

/**
 * A reminder is about invoices (re-checked before it goes, noted in the ledger after); a notice is
 * anything else: a settlement offer, a dispute passed on to the organisation.
 */
export const messagePurpose = pgEnum('message_purpose', ['reminder', 'notice']);

/** The email outbox: written in the planning transaction, delivered after commit, exactly once. */
export const outboundMessages = pgTable(
  'outbound_messages',
  {
    id: id(),
    // The organisation's foreign key only (see ledger_writes): customers go with their organisation.
    orgId: orgId(),
    customerId: uuid('customer_id'),
    /** Deterministic per decision (e.g. debtor + step + date), so planning twice queues one message. */
    idempotencyKey: text('idempotency_key').notNull(),
    status: messageStatus('status').notNull().default('pending'),
    purpose: messagePurpose('purpose').notNull().default('reminder'),
    /**
     * How a reminder reaches the debtor: by email, by a text to their consented number (then `to` is
     * empty), or both at once, one contact. The text goes under the key `<idempotency key>:text`.
     */
    via: text('via').$type<'email' | 'text' | 'both'>().notNull().default('email'),
    to: jsonb('to').$type<MessageAddress[]>().notNull(),
    cc: jsonb('cc').$type<MessageAddress[]>().notNull().default([]),
    /** Null until rendered: reminders are rendered when they are sent, with the balances of that moment. */
    subject: text('subject'),
    template: text('template').notNull(),
    bodyHtml: text('body_html'),
    bodyText: text('body_text'),
    /** What the planner decided, for rendering at send time (step, tone, template, notices). */
    renderInputs: jsonb('render_inputs').$type<RenderInputs>(),
    sendAfter: timestamp('send_after', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    /**
     * When the latest send attempt began (status "sending"): if that attempt's fate is unknown, the
     * moment it went, if it went: what the provider is searched from and a person's "it arrived" dates.
     */
    sendingSince: timestamp('sending_since', { withTimezone: true }),
    /**
     * The advisory-lock key of the job whose attempt claimed it (null outside a worker): while that
     * lock is held the send may be under way; once it is free the attempt is over.
     */
    sendingBy: text('sending_by'),
    lastError: text('last_error'),
    providerMessageId: text('provider_message_id'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** From SendGrid's event webhook: first delivery, first open, and why it did not arrive. */
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    deliveryProblem: text('delivery_problem'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('outbound_messages_idempotency_key').on(table.orgId, table.idempotencyKey),
    index('outbound_messages_due_idx')
      .on(table.sendAfter)
      .where(sql`${table.status} in ('pending', 'sending')`),
    // Leads with the organisation, as every query does: without statistics (a table just filled by
    // an evaluation) the planner would otherwise scan the whole organisation through the key index.
    index('outbound_messages_customer_idx').on(table.orgId, table.customerId, table.createdAt),
  ],
);
