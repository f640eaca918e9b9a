import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { recordOwnerEvent } from '../arrangements/owner-events.js';
import type { Database, Transaction } from '../db/client.js';
import {
  activityLog,
  customers,
  debtorReplies,
  inboundEmails,
  organisations,
  outboundMessages,
} from '../db/schema/index.js';
import type { ReplyAddresses } from '../domain/reply-address.js';
import { classifyReply, type ReplyClass, type ReplyVerdict } from './classify-reply.js';

/** Stored inbound emails taken per pass; what is left waits for the next. */
const batch = 100;

/** What a reply says, in words for the timeline and the owner's digest (never its body). */
export function replySummary(verdict: Pick<ReplyVerdict, 'class' | 'promisedDate' | 'returnsOn'>): string {
  const words: Record<ReplyClass, string> = {
    paid_already: 'replied that it is paid already',
    promise: verdict.promisedDate
      ? `replied promising to pay by ${verdict.promisedDate}`
      : 'replied promising to pay',
    dispute: 'replied disputing the invoice',
    plan_request: 'replied asking for a payment plan',
    out_of_office: verdict.returnsOn
      ? `sent an out-of-office reply (back on ${verdict.returnsOn})`
      : 'sent an out-of-office reply',
    unsubscribe: 'replied asking for no more emails',
    other: 'replied; a person should read it',
  };
  return words[verdict.class];
}

/**
 * Routes the stored inbound emails: each one's reply address names the reminder it answers (its HMAC
 * checked), the reply is classified and recorded for that debtor (a `debtor_replies` row, a
 * `reply.received` entry on their timeline, an owner event for the digest) in one transaction with
 * the email marked matched. An email naming no reply address of ours, a forged one, or a message that
 * is not a debtor's is marked unmatched and kept, never routed.
 */
export async function processInboundEmails(
  db: Database,
  addresses: ReplyAddresses | undefined,
  now: () => Date = () => new Date(),
): Promise<{ matched: number; unmatched: number }> {
  const counts = { matched: 0, unmatched: 0 };
  for (;;) {
    const waiting = await db
      .select()
      .from(inboundEmails)
      .where(eq(inboundEmails.status, 'received'))
      .orderBy(asc(inboundEmails.receivedAt))
      .limit(batch);
    for (const email of waiting) {
      const matched = await processOne(db, addresses, email, now());
      counts[matched ? 'matched' : 'unmatched'] += 1;
    }
    if (waiting.length < batch) return counts;
  }
}

/**
 * Whether the same email was matched already: by its Message-ID, else by every field, under a lock on
 * that key so two posts of one email processed at once are not both recorded.
 */
async function matchedBefore(
  tx: Transaction,
  orgId: string,
  email: typeof inboundEmails.$inferSelect,
): Promise<boolean> {
  const key = email.messageId ?? `${email.fromAddress}|${email.toAddress}|${email.subject}|${email.text}`;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`inbound:${key}`}, 0))`);
  const same = email.messageId
    ? eq(inboundEmails.messageId, email.messageId)
    : and(
        isNull(inboundEmails.messageId),
        eq(inboundEmails.fromAddress, email.fromAddress),
        eq(inboundEmails.toAddress, email.toAddress),
        eq(inboundEmails.subject, email.subject),
        eq(inboundEmails.text, email.text),
      );
  const [earlier] = await tx
    .select({ id: inboundEmails.id })
    .from(inboundEmails)
    .where(
      and(
        eq(inboundEmails.orgId, orgId),
        eq(inboundEmails.status, 'matched'),
        ne(inboundEmails.id, email.id),
        same,
      ),
    )
    .limit(1);
  return earlier !== undefined;
}

async function processOne(
  db: Database,
  addresses: ReplyAddresses | undefined,
  email: typeof inboundEmails.$inferSelect,
  now: Date,
): Promise<boolean> {
  const named = addresses?.messageIdIn(email.toAddress);
  const message = named?.ok
    ? (
        await db
          .select({
            id: outboundMessages.id,
            orgId: outboundMessages.orgId,
            customerId: outboundMessages.customerId,
            customerName: customers.name,
            timeZone: organisations.timeZone,
          })
          .from(outboundMessages)
          .innerJoin(organisations, eq(organisations.id, outboundMessages.orgId))
          .innerJoin(
            customers,
            and(eq(customers.id, outboundMessages.customerId), eq(customers.orgId, outboundMessages.orgId)),
          )
          .where(eq(outboundMessages.id, named.messageId))
      )[0]
    : undefined;
  if (!message?.customerId) {
    await db
      .update(inboundEmails)
      .set({ status: 'unmatched', processedAt: now })
      .where(and(eq(inboundEmails.id, email.id), eq(inboundEmails.status, 'received')));
    return false;
  }
  const customerId = message.customerId;
  const verdict = classifyReply({
    subject: email.subject,
    text: email.text,
    receivedAt: email.receivedAt,
    timeZone: message.timeZone,
  });
  const summary = replySummary(verdict);
  await db.transaction(async (tx) => {
    const taken = await tx
      .update(inboundEmails)
      .set({ status: 'matched', orgId: message.orgId, processedAt: now })
      .where(and(eq(inboundEmails.id, email.id), eq(inboundEmails.status, 'received')))
      .returning({ id: inboundEmails.id });
    // Another pass took it meanwhile: it is recorded once.
    if (taken.length === 0) return;
    if (await matchedBefore(tx, message.orgId, email)) {
      await tx.update(inboundEmails).set({ status: 'duplicate' }).where(eq(inboundEmails.id, email.id));
      return;
    }
    const [reply] = await tx
      .insert(debtorReplies)
      .values({
        orgId: message.orgId,
        customerId,
        messageId: message.id,
        inboundEmailId: email.id,
        class: verdict.class,
        confidence: verdict.confidence,
        why: verdict.why,
        promisedDate: verdict.promisedDate ?? null,
        returnsOn: verdict.returnsOn ?? null,
        fromAddress: email.fromAddress,
        subject: email.subject,
        text: email.text,
        receivedAt: email.receivedAt,
      })
      .returning({ id: debtorReplies.id });
    if (!reply) throw new Error('the reply was not stored');
    await tx.insert(activityLog).values({
      orgId: message.orgId,
      customerId,
      kind: 'reply.received',
      actor: 'debtor',
      summary: `${message.customerName} ${summary}`,
      details: {
        replyId: reply.id,
        messageId: message.id,
        class: verdict.class,
        ...(verdict.promisedDate ? { promisedDate: verdict.promisedDate } : {}),
        ...(verdict.returnsOn ? { returnsOn: verdict.returnsOn } : {}),
      },
      occurredAt: email.receivedAt,
    });
    await recordOwnerEvent(tx, { orgId: message.orgId, customerId, kind: 'reply', summary, now });
  });
  return true;
}
