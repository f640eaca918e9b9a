import { recordOwnerEvent } from '../arrangements/owner-events.js';
import type { Transaction } from '../db/client.js';
import { activityLog, type DebtorReplyMatch, debtorReplies } from '../db/schema/index.js';
import { classifyReply, type ReplyClass, type ReplyVerdict } from './classify-reply.js';

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

/** A debtor's reply to record: who it is from, what it came as, and how it was tied to them. */
export interface ReplyToRecord {
  orgId: string;
  customerId: string;
  customerName: string;
  /** The organisation's zone, for the dates a reply names ("by Friday"). */
  timeZone: string;
  /** The email or the text it came as. */
  source: { inboundEmailId: string } | { inboundSmsId: string };
  /** The reminder it answers, when its reply address named one. */
  messageId: string | null;
  matchedBy: DebtorReplyMatch;
  /** The actor key of the person who assigned it (`matchedBy: 'person'`). */
  assignedBy?: string;
  fromAddress: string;
  subject: string;
  text: string;
  receivedAt: Date;
  now: Date;
}

/** How the timeline says a reply was tied to its debtor when its reply address did not. */
const matchNotes: Record<DebtorReplyMatch, string> = {
  token: '',
  sender: " (matched by the sender's address, not by the reminder's reply address)",
  person: ' (assigned to them by a person, from the unmatched messages)',
};

/**
 * Records a debtor's reply in the caller's transaction: classified, a `debtor_replies` row (unread,
 * so it holds their automatic chasing until a person reads it), `reply.received` on their timeline
 * (its class in words, never the body) and an owner event for the digest. Every way a reply is
 * matched goes through here.
 */
export async function recordReply(tx: Transaction, reply: ReplyToRecord): Promise<{ replyId: string }> {
  const verdict = classifyReply({
    subject: reply.subject,
    text: reply.text,
    receivedAt: reply.receivedAt,
    timeZone: reply.timeZone,
  });
  const summary = replySummary(verdict);
  const [row] = await tx
    .insert(debtorReplies)
    .values({
      orgId: reply.orgId,
      customerId: reply.customerId,
      messageId: reply.messageId,
      inboundEmailId: 'inboundEmailId' in reply.source ? reply.source.inboundEmailId : null,
      inboundSmsId: 'inboundSmsId' in reply.source ? reply.source.inboundSmsId : null,
      matchedBy: reply.matchedBy,
      class: verdict.class,
      confidence: verdict.confidence,
      why: verdict.why,
      promisedDate: verdict.promisedDate ?? null,
      returnsOn: verdict.returnsOn ?? null,
      fromAddress: reply.fromAddress,
      subject: reply.subject,
      text: reply.text,
      receivedAt: reply.receivedAt,
    })
    .returning({ id: debtorReplies.id });
  if (!row) throw new Error('the reply was not stored');
  await tx.insert(activityLog).values({
    orgId: reply.orgId,
    customerId: reply.customerId,
    kind: 'reply.received',
    actor: 'debtor',
    summary: `${reply.customerName} ${summary}${matchNotes[reply.matchedBy]}`,
    details: {
      replyId: row.id,
      ...(reply.messageId ? { messageId: reply.messageId } : {}),
      class: verdict.class,
      ...(reply.matchedBy === 'token' ? {} : { matchedBy: reply.matchedBy }),
      ...(reply.assignedBy ? { assignedBy: reply.assignedBy } : {}),
      ...('inboundSmsId' in reply.source ? { inboundSmsId: reply.source.inboundSmsId } : {}),
      ...(verdict.promisedDate ? { promisedDate: verdict.promisedDate } : {}),
      ...(verdict.returnsOn ? { returnsOn: verdict.returnsOn } : {}),
    },
    occurredAt: reply.receivedAt,
  });
  await recordOwnerEvent(tx, {
    orgId: reply.orgId,
    customerId: reply.customerId,
    kind: 'reply',
    summary,
    now: reply.now,
  });
  return { replyId: row.id };
}
