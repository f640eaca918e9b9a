import { and, eq, ne, sql } from 'drizzle-orm';
import { outboundMessages, smsMessages } from '../../db/schema/index.js';
import { mayGoNow } from '../../organisations/sending.js';
import { recordSent, sendAttemptedAt } from '../record-sent.js';
import type { DeliveryDeps, DeliveryOutcome, Message } from './deps.js';
import { textKeyOf } from './text-part.js';

async function textWent(deps: DeliveryDeps, message: Message): Promise<boolean> {
  const [text] = await deps.db
    .select({ id: smsMessages.id })
    .from(smsMessages)
    .where(
      and(
        eq(smsMessages.orgId, message.orgId),
        eq(smsMessages.idempotencyKey, textKeyOf(message)),
        ne(smsMessages.status, 'refused'),
      ),
    );
  return text !== undefined;
}

/**
 * How long a message marked "sending" is taken to be in flight: longer than any provider call (the
 * SendGrid transport gives up after 30 s). Only after it is one found "sending" looked up and, if
 * the provider never had it, sent again; so two deliveries of one message (a run and a retry) never
 * both send it, with no lock held across the provider call.
 */
export const inFlightMs = 120_000;

/**
 * Whether a message found "sending" may still be on its way to the provider. Not when its attempt
 * reported how it ended (an attempt that saw its call fail records why; a crashed one records
 * nothing). Claimed under a job's lock, it is in flight while that lock is held by another session:
 * our own job's lock means the claim is from an earlier attempt of this job, which is over. Claimed
 * with no lock, it is in flight for `inFlightMs`.
 */
export async function inFlight(deps: DeliveryDeps, message: Message): Promise<boolean> {
  if (message.lastError !== null) return false;
  if (message.sendingBy !== null && deps.claimant) {
    if (message.sendingBy === deps.claimant.key) return false;
    return deps.claimant.isHeld(message.sendingBy);
  }
  return deps.now().getTime() - sendAttemptedAt(message).getTime() < inFlightMs;
}

/**
 * A message found "sending" (a crash between marking it and hearing back): looked up at the
 * provider, never blindly sent again. `resend` when the provider never had it.
 */
export async function recover(deps: DeliveryDeps, message: Message): Promise<DeliveryOutcome | 'resend'> {
  // A reminder by text whose text went: sending again finds the text under its key and sends nothing.
  // One whose text could not go may have gone by email instead: looked up like any email.
  if (message.via === 'text' && (await textWent(deps, message))) return 'resend';
  const found = await deps.transport.lookup(message.id, sendAttemptedAt(message));
  if (found.status === 'sent') {
    await recordSent(deps.db, message, {
      at: deps.now(),
      providerMessageId: found.providerMessageId ?? null,
    });
    return 'sent';
  }
  if (found.status === 'unknown') {
    await deps.db
      .update(outboundMessages)
      .set({
        status: 'uncertain',
        lastError: 'the provider cannot tell whether it was sent; a person decides',
      })
      .where(eq(outboundMessages.id, message.id));
    return 'uncertain';
  }
  return 'resend';
}

/**
 * Claims a message for this delivery: marks it "sending" (the moment, the job's lock, one more
 * attempt) only if no one changed it since it was read, so two deliveries of it never both act on it,
 * and only if it may go now: to a debtor only while its organisation is live (read in this statement,
 * so a pause or an organisation still in preview holds it at the last moment; it stays pending).
 */
export async function claim(deps: DeliveryDeps, message: Message): Promise<boolean> {
  const claimed = await deps.db
    .update(outboundMessages)
    .set({
      status: 'sending',
      sendingSince: deps.now(),
      sendingBy: deps.claimant?.key ?? null,
      attempts: sql`${outboundMessages.attempts} + 1`,
      lastError: null,
    })
    .where(
      and(
        eq(outboundMessages.id, message.id),
        eq(outboundMessages.status, message.status),
        eq(outboundMessages.attempts, message.attempts),
        mayGoNow,
      ),
    )
    .returning({ id: outboundMessages.id });
  return claimed.length > 0;
}

/** Whether a message can be delivered at all (a reminder is always to a debtor). */
export const deliverable = (message: Message) =>
  (message.status === 'pending' || message.status === 'sending') &&
  (message.customerId !== null || message.purpose !== 'reminder');
