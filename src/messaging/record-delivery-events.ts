import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { activityLog, customerContacts, outboundMessages } from '../db/schema/index.js';
import { optOutCustomer } from './opt-out.js';
import type { DeliveryEvent } from './sendgrid-events.js';

export interface RecordedDeliveryEvents {
  /** Contact addresses newly marked bounced: they are not written to again until someone fixes them. */
  bounced: number;
  /** Customers newly opted out (unsubscribe, spam report): no automatic message after it. */
  optedOut: number;
  /** Messages whose delivery state (delivered, first opened, why it failed) this recorded. */
  tracked: number;
  /** Events that changed nothing: not about a Dunwell message, informational, or already recorded. */
  unchanged: number;
}

const messageIdShape = z.uuid();

/** Drops for these reasons are the recipient's choice, not a bad address. */
const optOutDropReason = /unsubscribe|spam/i;

function consequenceOf(event: DeliveryEvent): 'bounce' | 'opt_out' | null {
  if (event.kind === 'spam_report' || event.kind === 'unsubscribed') return 'opt_out';
  if (event.kind === 'dropped' && event.reason !== null && optOutDropReason.test(event.reason)) {
    return 'opt_out';
  }
  if (event.kind === 'bounced' || event.kind === 'dropped') return 'bounce';
  return null;
}

/**
 * Applies what SendGrid reports to the debtor's record: a permanent bounce retires that address, an
 * unsubscribe or spam report opts the customer out. Only state changes are written (and logged), so
 * SendGrid's retried posts change nothing the second time. Events are matched to the message
 * Dunwell sent through its custom arguments, and must name the same organisation.
 */
export async function recordDeliveryEvents(
  db: Database,
  events: DeliveryEvent[],
): Promise<RecordedDeliveryEvents> {
  const recorded: RecordedDeliveryEvents = { bounced: 0, optedOut: 0, tracked: 0, unchanged: 0 };
  recorded.tracked = await trackDelivery(db, events);
  const relevant = events.flatMap((event) => {
    const consequence = consequenceOf(event);
    return consequence !== null && event.orgId !== null && messageIdShape.safeParse(event.messageId).success
      ? [{ event, consequence, messageId: event.messageId as string }]
      : [];
  });
  recorded.unchanged += events.length - relevant.length;
  if (relevant.length === 0) return recorded;

  const messages = await db
    .select({
      id: outboundMessages.id,
      orgId: outboundMessages.orgId,
      customerId: outboundMessages.customerId,
      purpose: outboundMessages.purpose,
    })
    .from(outboundMessages)
    .where(inArray(outboundMessages.id, [...new Set(relevant.map((entry) => entry.messageId))]));
  const messagesById = new Map(messages.map((message) => [message.id, message]));

  for (const { event, consequence, messageId } of relevant.sort(
    (a, b) => a.event.at.getTime() - b.event.at.getTime(),
  )) {
    const message = messagesById.get(messageId);
    // Only a reminder speaks for its debtor: an unsubscribe from a notice to the organisation's own
    // people (a dispute, the weekly summary) must never opt the customer out.
    const aboutDebtor = message?.purpose === 'reminder' || consequence === 'bounce';
    if (!message || message.orgId !== event.orgId || message.customerId === null || !aboutDebtor) {
      recorded.unchanged += 1;
      continue;
    }
    const sent = { ...message, customerId: message.customerId };
    const changed =
      consequence === 'bounce' ? await retireAddress(db, sent, event) : await optOut(db, sent, event);
    if (!changed) recorded.unchanged += 1;
    else if (consequence === 'bounce') recorded.bounced += 1;
    else recorded.optedOut += 1;
  }
  return recorded;
}

/**
 * Keeps each message's delivery state for the timeline and the evidence pack: the first delivery,
 * the first open, and a bounce or drop reason. Only the first of each is written.
 */
async function trackDelivery(db: Database, events: DeliveryEvent[]): Promise<number> {
  let tracked = 0;
  for (const event of events) {
    if (event.orgId === null || !messageIdShape.safeParse(event.messageId).success) continue;
    const at = event.at;
    const mine = and(
      eq(outboundMessages.id, event.messageId as string),
      eq(outboundMessages.orgId, event.orgId),
    );
    let changed: Array<{ id: string }> = [];
    if (event.kind === 'delivered') {
      changed = await db
        .update(outboundMessages)
        .set({ deliveredAt: at })
        .where(and(mine, isNull(outboundMessages.deliveredAt)))
        .returning({ id: outboundMessages.id });
    } else if (event.kind === 'opened') {
      changed = await db
        .update(outboundMessages)
        .set({ openedAt: at })
        .where(and(mine, isNull(outboundMessages.openedAt)))
        .returning({ id: outboundMessages.id });
    } else if (event.kind === 'bounced' || event.kind === 'dropped' || event.kind === 'blocked') {
      changed = await db
        .update(outboundMessages)
        .set({ deliveryProblem: `${event.kind}: ${event.reason ?? 'no reason given'}`.slice(0, 500) })
        .where(and(mine, isNull(outboundMessages.deliveryProblem)))
        .returning({ id: outboundMessages.id });
    }
    tracked += changed.length;
  }
  return tracked;
}

interface SentMessage {
  id: string;
  orgId: string;
  customerId: string;
}

async function retireAddress(db: Database, message: SentMessage, event: DeliveryEvent) {
  return db.transaction(async (tx) => {
    const retired = await tx
      .update(customerContacts)
      .set({ bouncedAt: event.at, updatedAt: new Date() })
      .where(
        and(
          eq(customerContacts.orgId, message.orgId),
          eq(customerContacts.customerId, message.customerId),
          sql`lower(${customerContacts.email}) = lower(${event.email})`,
          isNull(customerContacts.bouncedAt),
        ),
      )
      .returning({ id: customerContacts.id });
    if (retired.length === 0) return false;
    await tx.insert(activityLog).values({
      orgId: message.orgId,
      customerId: message.customerId,
      kind: 'email.bounced',
      actor: 'system',
      summary: `Email to ${event.email} could not be delivered; the address will not be used again until it is corrected.`,
      details: { messageId: message.id, eventId: event.eventId, reason: event.reason, kind: event.kind },
      occurredAt: event.at,
    });
    return true;
  });
}

async function optOut(db: Database, message: SentMessage, event: DeliveryEvent) {
  const how =
    event.kind === 'spam_report' || /spam/i.test(event.reason ?? '')
      ? 'reported a reminder as spam'
      : 'unsubscribed';
  return optOutCustomer(db, message, {
    at: event.at,
    summary: `${event.email} ${how}; no further automatic emails will be sent to this customer.`,
    details: { messageId: message.id, eventId: event.eventId, kind: event.kind, reason: event.reason },
  });
}
