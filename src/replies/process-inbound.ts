import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.js';
import { inboundEmails } from '../db/schema/index.js';
import type { ReplyAddresses } from '../domain/reply-address.js';
import { recordReply } from './record-reply.js';
import { whoseReply } from './whose-reply.js';

/** Stored inbound emails taken per pass; what is left waits for the next. */
const batch = 100;

/**
 * Routes the stored inbound emails: each one's reply address names the reminder it answers (its HMAC
 * checked), or else its sender's address is held by one customer of one organisation only
 * (`whoseReply`); the reply is classified and recorded for that debtor (`recordReply`) in one
 * transaction with the email marked matched. Any other email is marked unmatched and kept, with the
 * organisation whose Unmatched messages page shows it when one can be told, never routed.
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
  const owner = await whoseReply(db, addresses, email);
  if (owner.kind === 'unmatched') {
    await db
      .update(inboundEmails)
      .set({ status: 'unmatched', orgId: owner.orgId, processedAt: now })
      .where(and(eq(inboundEmails.id, email.id), eq(inboundEmails.status, 'received')));
    return false;
  }
  await db.transaction(async (tx) => {
    const taken = await tx
      .update(inboundEmails)
      .set({ status: 'matched', orgId: owner.orgId, processedAt: now })
      .where(and(eq(inboundEmails.id, email.id), eq(inboundEmails.status, 'received')))
      .returning({ id: inboundEmails.id });
    // Another pass took it meanwhile: it is recorded once.
    if (taken.length === 0) return;
    if (await matchedBefore(tx, owner.orgId, email)) {
      await tx.update(inboundEmails).set({ status: 'duplicate' }).where(eq(inboundEmails.id, email.id));
      return;
    }
    await recordReply(tx, {
      orgId: owner.orgId,
      customerId: owner.customerId,
      customerName: owner.customerName,
      timeZone: owner.timeZone,
      source: { inboundEmailId: email.id },
      messageId: owner.messageId,
      matchedBy: owner.matchedBy,
      fromAddress: email.fromAddress,
      subject: email.subject,
      text: email.text,
      receivedAt: email.receivedAt,
      now,
    });
  });
  return true;
}
