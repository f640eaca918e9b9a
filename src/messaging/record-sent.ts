import { and, eq, sql } from 'drizzle-orm';
import type { Writer } from '../db/client.js';
import { activityLog, collectionSteps, invoices, outboundMessages } from '../db/schema/index.js';
import { notesFor, queueLedgerWrites } from '../ledger-writes/queue.js';

/** A message's identity as its steps know it (they are keyed by debtor, then effect). */
export interface MessageKey {
  orgId: string;
  customerId: string | null;
  idempotencyKey: string;
}

/** What delivery reads of each invoice a message is about. */
export const messageInvoiceColumns = {
  id: invoices.id,
  externalId: invoices.externalId,
  connectionId: invoices.connectionId,
  status: invoices.status,
  balanceMinor: invoices.balanceMinor,
  balanceCheckedAt: invoices.balanceCheckedAt,
  number: invoices.number,
};

/** The invoices a message is about, with the connection each belongs to. */
export async function invoicesOfMessage(db: Writer, message: MessageKey) {
  if (!message.customerId) return [];
  return db
    .select(messageInvoiceColumns)
    .from(collectionSteps)
    .innerJoin(invoices, eq(invoices.id, collectionSteps.invoiceId))
    .where(
      and(
        eq(collectionSteps.customerId, message.customerId),
        eq(collectionSteps.orgId, message.orgId),
        eq(collectionSteps.effectKey, message.idempotencyKey),
      ),
    );
}

/**
 * When a message's latest send attempt began: what the provider is searched from, and when a message
 * a person says arrived was sent. Rows marked "sending" before that was recorded have their last change.
 */
export function sendAttemptedAt(message: { sendingSince: Date | null; updatedAt: Date }): Date {
  return message.sendingSince ?? message.updatedAt;
}

/**
 * Records that a message reached the provider, with the activity entry and the collection note on
 * every invoice it covered (keyed by the message, so recording it twice leaves one note). `actor` is
 * the person who confirmed it when the provider could not.
 */
export async function recordSent(
  db: Writer,
  message: typeof outboundMessages.$inferSelect,
  sent: {
    at: Date;
    providerMessageId: string | null;
    actor?: string;
    /** The invoices it covered, when the caller has just read them (else they are read here). */
    covered?: Array<{ id: string; connectionId: string }>;
    /** False for a reminder that went by text alone. */
    emailed?: boolean;
    /** The number its text went to, when it went by text too. */
    textedTo?: string;
    /** Why a reminder meant to go by text went by email instead. */
    notTexted?: string;
  },
) {
  const covered = sent.covered ?? (await invoicesOfMessage(db, message));
  const day = sent.at.toISOString().slice(0, 10);
  const words = sentWords(message, sent, day);
  await db.transaction(async (tx) => {
    // Need not wait for the disk: lost in a crash, the message is still "sending" (a durable mark made
    // before the provider call), and recovery looks it up at the provider and records it then.
    await tx.execute(sql`set local synchronous_commit = off`);
    await tx
      .update(outboundMessages)
      .set({ status: 'sent', sentAt: sent.at, providerMessageId: sent.providerMessageId, lastError: null })
      .where(eq(outboundMessages.id, message.id));
    // A message to the organisation's own people (the weekly summary) is not a contact with a debtor.
    if (message.customerId)
      await tx.insert(activityLog).values({
        orgId: message.orgId,
        customerId: message.customerId,
        kind: 'reminder.sent',
        actor: sent.actor ?? 'system',
        summary: words.summary,
        details: {
          messageId: message.id,
          providerMessageId: sent.providerMessageId,
          channels: words.channels,
          ...(sent.notTexted ? { notTexted: sent.notTexted } : {}),
        },
      });
    await queueLedgerWrites(
      tx,
      notesFor(
        message.orgId,
        covered.map((row) => ({ id: row.id, connectionId: row.connectionId })),
        `note:${message.idempotencyKey}`,
        words.note,
      ),
    );
  });
}

/** The timeline's words and the ledger note for a sent reminder, by the channels it went by. */
function sentWords(
  message: { subject: string | null; to: Array<{ email: string }> },
  sent: { actor?: string; emailed?: boolean; textedTo?: string; notTexted?: string },
  day: string,
) {
  const emailed = sent.emailed !== false;
  const recipients = message.to.map((address) => address.email).join(', ');
  const what = `"${message.subject}"`;
  const how = emailed
    ? `to ${recipients}${sent.textedTo ? ` and texted it to ${sent.textedTo}` : ''}`
    : `to ${sent.textedTo}`;
  const verb = emailed ? 'Sent' : 'Texted';
  const fallback = sent.notTexted ? ` (by email: not texted, ${sent.notTexted})` : '';
  return {
    summary: `${sent.actor ? `Confirmed ${verb.toLowerCase()}:` : verb} ${what} ${how}${fallback}`,
    note: `Dunwell ${day}: ${emailed ? 'emailed' : 'texted'} ${what} ${how}.`,
    channels: [...(emailed ? ['email'] : []), ...(sent.textedTo ? ['text'] : [])],
  };
}
