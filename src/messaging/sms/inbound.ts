import { and, desc, eq } from 'drizzle-orm';
import {
  activityLog,
  customerPhones,
  inboundSms,
  organisations,
  smsMessages,
} from '../../db/schema/index.js';
import { parseOrganisationSettings } from '../../organisations/settings.js';
import type { Storage } from '../../services/context.js';
import { smsKeyword } from './keywords.js';
import { normalisePhone, optInNumber, optOutNumber } from './phones.js';
import { gsmSafe } from './short-text.js';

export type InboundTextResult =
  /** `reply`: the text to answer with (HELP), or null for no answer. */
  | { ok: true; id: string; keyword: string | null; reply: string | null; duplicate: boolean }
  | { ok: false; reason: string };

/**
 * An incoming text (the provider's webhook, signature already checked): stored first, once per
 * MessageSid, then acted on. STOP words opt the number out of texts for every customer holding it
 * (emails unchanged), START words opt it back in, HELP words answer with the organisation's contact
 * details; other text is kept on the timeline of the debtor last texted from there. A replay of the
 * same MessageSid acts on nothing again (HELP is answered again).
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

  // Whose text it answers: the organisation and debtor that last texted this number.
  const [last] = await storage.db
    .select({ orgId: smsMessages.orgId, customerId: smsMessages.customerId })
    .from(smsMessages)
    .where(eq(smsMessages.toPhone, from))
    .orderBy(desc(smsMessages.createdAt))
    .limit(1);
  const [known] = last
    ? [last]
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
  const reply = keyword === 'help' ? await helpReply(storage, known?.orgId ?? null) : null;
  if (!stored) {
    const [earlier] = await storage.db
      .select({ id: inboundSms.id })
      .from(inboundSms)
      .where(eq(inboundSms.providerSid, sid));
    return { ok: true, id: earlier?.id ?? '', keyword, reply, duplicate: true };
  }

  const details = { inboundSmsId: stored.id, sid };
  if (keyword === 'stop') await optOutNumber(storage.db, from, { at: now, source: 'keyword', details });
  else if (keyword === 'start') await optInNumber(storage.db, from, { at: now, details });
  else if (known) {
    await storage.db.insert(activityLog).values({
      orgId: known.orgId,
      customerId: known.customerId,
      kind: keyword === 'help' ? 'sms.help' : 'sms.received',
      actor: 'debtor',
      summary:
        keyword === 'help'
          ? `Texted HELP from ${from}: sent the contact details`
          : `Text received from ${from}`,
      details,
      occurredAt: now,
    });
  }
  await storage.db
    .update(inboundSms)
    .set({ status: 'processed', processedAt: now })
    .where(and(eq(inboundSms.id, stored.id), eq(inboundSms.status, 'received')));
  return { ok: true, id: stored.id, keyword, reply, duplicate: false };
}

/** The HELP answer: who is texting, how to reach a person, and how to stop. One GSM-7 segment when it fits. */
async function helpReply(storage: Storage, orgId: string | null): Promise<string> {
  const [organisation] = orgId
    ? await storage.db
        .select({ name: organisations.name, settings: organisations.settings })
        .from(organisations)
        .where(eq(organisations.id, orgId))
    : [];
  if (!organisation) return 'Payment reminders. Reply STOP to opt out, START to opt back in.';
  const settings = parseOrganisationSettings(organisation.settings);
  const reach = [settings.contactPhone, settings.contactEmail].filter((part): part is string =>
    Boolean(part),
  );
  const contact = reach.length > 0 ? ` Questions: ${reach.join(' or ')}.` : '';
  return gsmSafe(`${organisation.name}: payment reminders.${contact} Reply STOP to opt out.`);
}
