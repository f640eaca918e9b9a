import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { activityLog, smsMessages, smsStatusEvents } from '../../db/schema/index.js';
import { optOutNumber, textableNumber } from './phones.js';
import { mayTextAt, nextTextingTime, type TextingHours } from './quiet-hours.js';
import { countSegments } from './segments.js';
import { type SmsTransport, TextUnavailableError } from './transport.js';

/** What sending texts needs: the database, the transport, and where status callbacks are to be posted. */
export interface SmsDeps {
  db: Database;
  transport: SmsTransport;
  /** `$PUBLIC_URL/webhooks/twilio/status`; absent: no status callbacks are asked for. */
  statusCallbackUrl?: string | undefined;
}

export interface TextRequest {
  orgId: string;
  customerId: string;
  /** One text per key in the organisation: a retry with the same key sends nothing again. */
  idempotencyKey: string;
  body: string;
  now: Date;
  /** The debtor's texting hours; checked when given (the engine's own window comes first). */
  hours?: TextingHours;
  /** Longest text allowed, in segments (default 3). */
  maxSegments?: number;
  /** Why it is sent (the engine's decision), kept with it. */
  context?: Record<string, unknown>;
}

export type TextOutcome =
  /** The provider took it: its SID and first status. */
  | { status: 'sent'; smsId: string; sid: string; providerStatus: string; segments: number; to: string }
  /** This key was sent (or tried) before: nothing was sent now. */
  | { status: 'duplicate'; smsId: string; sid: string | null; smsStatus: string; to: string }
  /** Not to be sent, and nothing was: no number, no consent, opted out, quiet hours, too long. */
  | {
      status: 'not_allowed';
      reason: 'no_phone' | 'no_consent' | 'opted_out' | 'quiet_hours' | 'too_long';
      /** For quiet hours: the first time it may go. */
      notBefore?: Date | null;
    }
  /** The provider refused it for good (`code`: its error code; 21610: the number texted STOP, now recorded). */
  | { status: 'refused'; smsId: string; code: number | null; reason: string }
  /**
   * The provider could not be asked or failed for now: `retry` true means nothing went and the same
   * key may be tried later; false means it may have gone (kept as `uncertain`, never sent again).
   */
  | { status: 'unavailable'; retry: boolean; reason: string };

/**
 * Sends one text to a debtor, at most once per idempotency key: to a number with consent on record
 * and no SMS opt-out, inside their texting hours when given. The text is claimed (stored) before the
 * provider is asked, and its SID and first status recorded after; the send is on the timeline.
 */
export async function sendText(deps: SmsDeps, request: TextRequest): Promise<TextOutcome> {
  const debtor = { orgId: request.orgId, customerId: request.customerId };
  const [before] = await deps.db
    .select({
      id: smsMessages.id,
      sid: smsMessages.providerSid,
      status: smsMessages.status,
      to: smsMessages.toPhone,
    })
    .from(smsMessages)
    .where(and(eq(smsMessages.orgId, request.orgId), eq(smsMessages.idempotencyKey, request.idempotencyKey)));
  if (before)
    return {
      status: 'duplicate',
      smsId: before.id,
      sid: before.sid,
      smsStatus: before.status,
      to: before.to,
    };

  const counted = countSegments(request.body);
  if (counted.segments === 0 || counted.segments > (request.maxSegments ?? 3))
    return { status: 'not_allowed', reason: 'too_long' };
  if (request.hours && !mayTextAt(request.now, request.hours).allowed)
    return {
      status: 'not_allowed',
      reason: 'quiet_hours',
      notBefore: nextTextingTime(request.now, request.hours),
    };
  const number = await textableNumber(deps.db, debtor);
  if (!number.ok) return { status: 'not_allowed', reason: number.reason };

  const [claimed] = await deps.db
    .insert(smsMessages)
    .values({
      ...debtor,
      phoneId: number.phoneId,
      idempotencyKey: request.idempotencyKey,
      toPhone: number.phone,
      body: request.body,
      segments: counted.segments,
      status: 'claimed',
      context: request.context ?? {},
    })
    .onConflictDoNothing()
    .returning({ id: smsMessages.id });
  if (!claimed) {
    // Another run claimed the same key between the read and the claim.
    const [other] = await deps.db
      .select({
        id: smsMessages.id,
        sid: smsMessages.providerSid,
        status: smsMessages.status,
        to: smsMessages.toPhone,
      })
      .from(smsMessages)
      .where(
        and(eq(smsMessages.orgId, request.orgId), eq(smsMessages.idempotencyKey, request.idempotencyKey)),
      );
    return {
      status: 'duplicate',
      smsId: other?.id ?? '',
      sid: other?.sid ?? null,
      smsStatus: other?.status ?? 'claimed',
      to: other?.to ?? number.phone,
    };
  }

  let result: Awaited<ReturnType<SmsTransport['send']>>;
  try {
    // The callback URL names the text, so a callback that overtakes this answer still finds it.
    result = await deps.transport.send({
      to: number.phone,
      body: request.body,
      statusCallback: deps.statusCallbackUrl ? `${deps.statusCallbackUrl}?sms=${claimed.id}` : undefined,
    });
  } catch (error) {
    const unavailable = error instanceof TextUnavailableError ? error : undefined;
    const mayHaveGone = unavailable?.mayHaveBeenAccepted ?? true;
    const reason = unavailable?.message ?? 'the text could not be handed to the provider';
    if (mayHaveGone) {
      await deps.db
        .update(smsMessages)
        .set({ status: 'uncertain', errorMessage: reason })
        .where(eq(smsMessages.id, claimed.id));
    } else {
      // Nothing went: the claim is withdrawn, so the same key may be tried again.
      await deps.db.delete(smsMessages).where(eq(smsMessages.id, claimed.id));
    }
    return { status: 'unavailable', retry: !mayHaveGone, reason };
  }

  if (result.status === 'rejected') {
    await deps.db.transaction(async (tx) => {
      await tx
        .update(smsMessages)
        .set({ status: 'refused', errorCode: result.code, errorMessage: result.reason })
        .where(eq(smsMessages.id, claimed.id));
      await tx.insert(smsStatusEvents).values({
        orgId: request.orgId,
        smsId: claimed.id,
        status: 'refused',
        errorCode: result.code,
        occurredAt: request.now,
      });
      await tx.insert(activityLog).values({
        ...debtor,
        kind: 'sms.refused',
        actor: 'system',
        summary: `Text to ${number.phone} refused by the provider${result.code ? ` (${result.code})` : ''}`,
        details: { smsId: claimed.id, code: result.code, reason: result.reason },
        occurredAt: request.now,
      });
    });
    if (result.optedOut)
      await optOutNumber(deps.db, number.phone, {
        at: request.now,
        source: 'carrier',
        details: { smsId: claimed.id, code: result.code },
      });
    return { status: 'refused', smsId: claimed.id, code: result.code, reason: result.reason };
  }

  await deps.db.transaction(async (tx) => {
    await tx
      .update(smsMessages)
      .set({
        // A status callback may have come first and moved it on already.
        status: sql`case when ${smsMessages.status} = 'claimed' then ${result.providerStatus === 'accepted' ? 'accepted' : 'queued'} else ${smsMessages.status} end`,
        providerSid: result.sid,
      })
      .where(eq(smsMessages.id, claimed.id));
    await tx
      .insert(smsStatusEvents)
      .values({
        orgId: request.orgId,
        smsId: claimed.id,
        status: result.providerStatus,
        occurredAt: request.now,
      })
      .onConflictDoNothing();
    await tx.insert(activityLog).values({
      ...debtor,
      kind: 'sms.sent',
      actor: 'system',
      summary: `Text sent to ${number.phone} (${counted.segments} segment${counted.segments === 1 ? '' : 's'})`,
      details: { smsId: claimed.id, sid: result.sid, segments: counted.segments, ...(request.context ?? {}) },
      occurredAt: request.now,
    });
  });
  return {
    status: 'sent',
    smsId: claimed.id,
    sid: result.sid,
    providerStatus: result.providerStatus,
    segments: counted.segments,
    to: number.phone,
  };
}
