import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { activityLog, customers, type DebtorReplyClass, debtorReplies } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { ownWords } from '../replies/reply-text.js';
import { actOffered } from './reply-acts.js';

/** The most of a reply's own words the review queue shows; the whole reply stays stored. */
const excerptLength = 1_500;

/** What the class of a reply suggests a person does, in words. */
export function suggestedAction(reply: {
  class: DebtorReplyClass;
  promisedDate: string | null;
  returnsOn: string | null;
}): string {
  switch (reply.class) {
    case 'promise':
      return reply.promisedDate
        ? 'Record their promise: chasing then waits for the date they gave, and its grace'
        : 'Ask them for a date: their page (the link in every reminder) lets them give one';
    case 'dispute':
      return 'Open a dispute with their words, so chasing stays paused while you sort it out';
    case 'plan_request':
      return 'Answer them with the plans you can offer: their page (the link in every reminder) lets them ask for one within your limits';
    case 'paid_already':
      return 'Check the payment in your books; once it is recorded there, chasing stops by itself';
    case 'out_of_office':
      return reply.returnsOn
        ? `Nothing to do: chasing waits until ${reply.returnsOn}`
        : 'Nothing to do: chasing waits three days';
    case 'unsubscribe':
      return 'Stop emails to them as they ask, and reach them another way if money is still owed';
    case 'other':
      return 'Read it and decide what happens next';
  }
}

/** An organisation's replies no person has read yet, oldest first, each once, in its own words. */
export async function repliesToRead(db: Database, orgId: string) {
  const rows = await db
    .select({
      id: debtorReplies.id,
      customerId: debtorReplies.customerId,
      customerName: customers.name,
      class: debtorReplies.class,
      why: debtorReplies.why,
      promisedDate: debtorReplies.promisedDate,
      returnsOn: debtorReplies.returnsOn,
      fromAddress: debtorReplies.fromAddress,
      subject: debtorReplies.subject,
      text: debtorReplies.text,
      receivedAt: debtorReplies.receivedAt,
    })
    .from(debtorReplies)
    .innerJoin(customers, and(eq(customers.id, debtorReplies.customerId), eq(customers.orgId, orgId)))
    .where(and(eq(debtorReplies.orgId, orgId), isNull(debtorReplies.readAt)))
    .orderBy(asc(debtorReplies.receivedAt))
    .limit(200);
  return rows.map(({ text, ...reply }) => {
    const words = ownWords(text);
    return {
      ...reply,
      excerpt: words.length > excerptLength ? `${words.slice(0, excerptLength)}…` : words,
      suggestion: suggestedAction(reply),
      act: actOffered(reply),
    };
  });
}

/**
 * A person has read a debtor's reply: it no longer holds the debtor's automatic chasing, which
 * resumes at the next evaluation (within the hour). Recorded on the debtor's timeline.
 */
export async function markReplyRead(
  db: Database,
  request: { orgId: string; replyId: string; actor: string; now: Date },
) {
  return db.transaction(async (tx) => {
    const [reply] = await tx
      .update(debtorReplies)
      .set({ readAt: request.now })
      .where(
        and(
          eq(debtorReplies.id, request.replyId),
          eq(debtorReplies.orgId, request.orgId),
          isNull(debtorReplies.readAt),
        ),
      )
      .returning({ id: debtorReplies.id, customerId: debtorReplies.customerId });
    if (!reply) throw new AppError(404, 'not_found', 'No such unread reply.');
    await tx.insert(activityLog).values({
      orgId: request.orgId,
      customerId: reply.customerId,
      kind: 'reply.read',
      actor: request.actor,
      summary: 'Read the reply; automatic chasing resumes.',
      details: { replyId: reply.id },
      occurredAt: request.now,
    });
  });
}
