import { and, asc, desc, eq, gt, inArray, ne, notInArray } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import {
  activityLog,
  customerPhones,
  inboundSms,
  organisations,
  smsMessages,
} from '../../db/schema/index.js';
import { parseOrganisationSettings } from '../../organisations/settings.js';
import type { Storage } from '../../services/context.js';
import { helpAnswer, smsKeyword } from './keywords.js';
import { normalisePhone, optInNumber, optOutNumber } from './phones.js';

export type InboundTextResult =
  | {
      ok: true;
      id: string;
      keyword: string | null;
      /** The text to answer with (HELP), or null for no answer. */
      reply: string | null;
      duplicate: boolean;
      /**
       * `now`: acted on by this request; `before`: by an earlier one (or the job); `failed`: stored but
       * not acted on (`failure` says why): the `sms.process-inbound` job acts on it later.
       */
      processed: 'now' | 'before' | 'failed';
      failure?: unknown;
    }
  | { ok: false; reason: string };

/**
 * An incoming text (the provider's webhook, signature already checked): stored first, once per
 * MessageSid, then acted on. STOP words opt the number out of texts for every customer holding it
 * (emails unchanged), START words opt it back in, HELP words answer with the contact details of the
 * organisation that last texted the number; other text is kept on the timeline of the debtor last
 * texted from there. What fails after the text is stored is not lost: the text waits as `received`
 * and a replay of its MessageSid, or the minutely job, acts on it, once.
 */
export async function receiveInboundText(
  storage: Storage,
  params: Record<string, string>,
  now: Date,
): Promise<InboundTextResult> {
  const sid = params['MessageSid'] ?? params['SmsMessageSid'];
  if (!sid || !/^(SM|MM)[0-9a-f]{32}$/i.test(sid))
    return { ok: false, reason: 'MessageSid is missing or malformed' };
  const from = normalisePhone(params['From'] ?? '');
  const to = params['To'] ?? '';
  const body = params['Body'];
  if (!from) return { ok: false, reason: 'From is not a phone number' };
  if (body === undefined) return { ok: false, reason: 'Body is missing' };
  if (body.length > 1600 || body.includes('\u0000'))
    return { ok: false, reason: 'Body is not a text message' };
  const keyword = smsKeyword(body);

  // Whose text it answers: the organisation and debtor that last texted this number, else one holding it.
  const sender = await lastSenderTo(storage.db, from);
  const [known] = sender
    ? [sender]
    : await storage.db
        .select({ orgId: customerPhones.orgId, customerId: customerPhones.customerId })
        .from(customerPhones)
        .where(eq(customerPhones.phone, from))
        .orderBy(desc(customerPhones.updatedAt))
        .limit(1);

  const [stored] = await storage.db
    .insert(inboundSms)
    .values({
      providerSid: sid,
      fromPhone: from,
      toPhone: to.slice(0, 40),
      body,
      keyword,
      orgId: known?.orgId ?? null,
      customerId: known?.customerId ?? null,
      receivedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: inboundSms.id });
  const [earlier] = stored
    ? []
    : await storage.db.select({ id: inboundSms.id }).from(inboundSms).where(eq(inboundSms.providerSid, sid));
  const id = stored?.id ?? earlier?.id ?? '';
  const result = { ok: true as const, id, keyword, duplicate: !stored };
  try {
    const reply = keyword === 'help' ? await helpReply(storage.db, sender?.orgId ?? null) : null;
    const processed = (await processInboundText(storage.db, id, now)) ? 'now' : 'before';
    return { ...result, reply, processed };
  } catch (failure) {
    return { ...result, reply: null, processed: 'failed', failure };
  }
}

/** The organisation and debtor that last texted a number (a text the provider refused was never sent). */
async function lastSenderTo(db: Database, phone: string) {
  const [last] = await db
    .select({ orgId: smsMessages.orgId, customerId: smsMessages.customerId })
    .from(smsMessages)
    .where(and(eq(smsMessages.toPhone, phone), ne(smsMessages.status, 'refused')))
    .orderBy(desc(smsMessages.createdAt))
    .limit(1);
  return last;
}

/** The HELP answer, from the organisation's profile; the generic one when no organisation texted the number. */
async function helpReply(db: Database, orgId: string | null): Promise<string> {
  const [organisation] = orgId
    ? await db
        .select({ name: organisations.name, settings: organisations.settings })
        .from(organisations)
        .where(eq(organisations.id, orgId))
    : [];
  if (!organisation) return helpAnswer(null);
  const settings = parseOrganisationSettings(organisation.settings);
  return helpAnswer({
    name: organisation.name,
    contactPhone: settings.contactPhone,
    contactEmail: settings.contactEmail,
  });
}

/**
 * Acts on one stored text still `received`, and marks it processed, in one transaction holding the
 * row: the webhook and the job never both act on it, and a failure leaves it `received` to try again.
 * Returns false when there was nothing to do (processed already, or being processed).
 */
export async function processInboundText(db: Database, id: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [text] = await tx
      .select()
      .from(inboundSms)
      .where(and(eq(inboundSms.id, id), eq(inboundSms.status, 'received')))
      .for('update', { skipLocked: true });
    if (!text) return false;
    await actOn(tx, text);
    await tx.update(inboundSms).set({ status: 'processed', processedAt: now }).where(eq(inboundSms.id, id));
    return true;
  });
}

async function actOn(tx: Transaction, text: typeof inboundSms.$inferSelect): Promise<void> {
  const details = { inboundSmsId: text.id, sid: text.providerSid };
  const at = text.receivedAt;
  if (text.keyword === 'stop' || text.keyword === 'start') {
    // A STOP acted on late must not undo a START sent after it (nor the other way round).
    if (await supersededByLaterKeyword(tx, text)) return;
    if (text.keyword === 'stop') await optOutNumber(tx, text.fromPhone, { at, source: 'keyword', details });
    else await optInNumber(tx, text.fromPhone, { at, details });
    return;
  }
  if (!text.orgId || !text.customerId) return;
  await tx.insert(activityLog).values({
    orgId: text.orgId,
    customerId: text.customerId,
    kind: text.keyword === 'help' ? 'sms.help' : 'sms.received',
    actor: 'debtor',
    summary:
      text.keyword === 'help'
        ? `Texted HELP from ${text.fromPhone}: sent the contact details`
        : `Text received from ${text.fromPhone}`,
    details,
    occurredAt: at,
  });
}

async function supersededByLaterKeyword(tx: Transaction, text: typeof inboundSms.$inferSelect) {
  const [later] = await tx
    .select({ id: inboundSms.id })
    .from(inboundSms)
    .where(
      and(
        eq(inboundSms.fromPhone, text.fromPhone),
        inArray(inboundSms.keyword, ['stop', 'start']),
        gt(inboundSms.receivedAt, text.receivedAt),
      ),
    )
    .limit(1);
  return later !== undefined;
}

/** Stored texts taken per page of the catch-up. */
const batch = 100;

/**
 * The catch-up (the `sms.process-inbound` job): acts on every stored text still `received`, oldest
 * first, each in its own transaction. One that fails again stays waiting and the others go on; the
 * failures are counted, and the first is returned for the job to report.
 */
export async function processWaitingInboundTexts(
  db: Database,
  now: () => Date = () => new Date(),
): Promise<{ processed: number; failed: number; failure?: unknown }> {
  const counts: { processed: number; failed: number; failure?: unknown } = { processed: 0, failed: 0 };
  // What failed in this run (or another holds) stays `received`: left out of the next pages.
  const left: string[] = [];
  for (;;) {
    const waiting = await db
      .select({ id: inboundSms.id })
      .from(inboundSms)
      .where(
        and(eq(inboundSms.status, 'received'), left.length > 0 ? notInArray(inboundSms.id, left) : undefined),
      )
      .orderBy(asc(inboundSms.receivedAt), asc(inboundSms.id))
      .limit(batch);
    for (const text of waiting) {
      try {
        if (await processInboundText(db, text.id, now())) counts.processed += 1;
        else left.push(text.id);
      } catch (failure) {
        left.push(text.id);
        counts.failed += 1;
        counts.failure ??= failure;
      }
    }
    if (waiting.length < batch) return counts;
  }
}
