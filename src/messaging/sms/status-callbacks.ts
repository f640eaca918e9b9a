import { and, eq, isNull, or } from 'drizzle-orm';
import { activityLog, smsMessages, smsStatusEvents } from '../../db/schema/index.js';
import type { Storage } from '../../services/context.js';
import { optOutNumber } from './phones.js';

/** How far along each provider status is: a status never moves back (callbacks may come out of order). */
const rank: Record<string, number> = {
  claimed: 0,
  accepted: 1,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  read: 5,
};
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const finals = new Set(['delivered', 'undelivered', 'failed']);

export type StatusCallbackResult =
  | { ok: true; recorded: boolean; smsId: string | null }
  | { ok: false; reason: string };

/**
 * Records a signed status callback (`MessageSid`, `MessageStatus`, `ErrorCode`): the status goes into
 * the text's history once (a replay changes nothing), the text's status moves forward only, and a
 * final status is on the timeline. A text we did not send (another app on the account) is ignored.
 */
export async function recordSmsStatus(
  storage: Storage,
  params: Record<string, string>,
  now: Date,
  /** The text's own id, from the callback URL's `sms` parameter (signed with the URL). */
  smsId?: string,
): Promise<StatusCallbackResult> {
  const sid = params['MessageSid'] ?? params['SmsSid'];
  const status = params['MessageStatus'] ?? params['SmsStatus'];
  if (!sid || !/^(SM|MM)[0-9a-f]{32}$/i.test(sid))
    return { ok: false, reason: 'MessageSid is missing or malformed' };
  if (!status || !(status in rank)) return { ok: false, reason: 'MessageStatus is missing or unknown' };
  const errorCode =
    params['ErrorCode'] && /^\d{1,6}$/.test(params['ErrorCode']) ? Number(params['ErrorCode']) : null;
  const [message] = await storage.db
    .select({
      id: smsMessages.id,
      orgId: smsMessages.orgId,
      customerId: smsMessages.customerId,
      status: smsMessages.status,
      toPhone: smsMessages.toPhone,
    })
    .from(smsMessages)
    .where(
      smsId !== undefined && uuidPattern.test(smsId)
        ? and(
            eq(smsMessages.id, smsId),
            or(isNull(smsMessages.providerSid), eq(smsMessages.providerSid, sid)),
          )
        : eq(smsMessages.providerSid, sid),
    );
  if (!message) return { ok: true, recorded: false, smsId: null };
  const recorded = await storage.db.transaction(async (tx) => {
    const [event] = await tx
      .insert(smsStatusEvents)
      .values({ orgId: message.orgId, smsId: message.id, status, errorCode, occurredAt: now })
      .onConflictDoNothing()
      .returning({ id: smsStatusEvents.id });
    if (!event) return false;
    // The callback overtook the send's answer: the SID is known from it first.
    await tx
      .update(smsMessages)
      .set({ providerSid: sid })
      .where(and(eq(smsMessages.id, message.id), isNull(smsMessages.providerSid)));
    const current = rank[message.status] ?? 0;
    if ((rank[status] ?? 0) > current && !finals.has(message.status)) {
      await tx
        .update(smsMessages)
        .set({ status: status as typeof message.status, ...(errorCode !== null ? { errorCode } : {}) })
        .where(eq(smsMessages.id, message.id));
    }
    if (finals.has(status)) {
      await tx.insert(activityLog).values({
        orgId: message.orgId,
        customerId: message.customerId,
        kind: `sms.${status}`,
        actor: 'system',
        summary:
          status === 'delivered'
            ? `Text to ${message.toPhone} delivered`
            : `Text to ${message.toPhone} ${status}${errorCode !== null ? ` (error ${errorCode})` : ''}`,
        details: { smsId: message.id, sid, errorCode },
        occurredAt: now,
      });
    }
    return true;
  });
  if (recorded && errorCode === 21610)
    await optOutNumber(storage.db, message.toPhone, {
      at: now,
      source: 'carrier',
      details: { smsId: message.id, code: errorCode },
    });
  return { ok: true, recorded, smsId: message.id };
}
