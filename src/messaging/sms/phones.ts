import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Database, Writer } from '../../db/client.js';
import { activityLog, customerPhones, customers, type SmsConsentSource } from '../../db/schema/index.js';
import { actorKey } from '../../domain/actor.js';
import type { ServiceContext } from '../../services/context.js';

/** A phone number as E.164 (+ and 7–15 digits), spaces, dots, dashes and brackets dropped; null if it is not one. */
export function normalisePhone(given: string): string | null {
  const compact = given.trim().replace(/[\s().-]/g, '');
  const plus = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  return /^\+[1-9]\d{6,14}$/.test(plus) ? plus : null;
}

export interface ConsentRecord {
  customerId: string;
  phone: string;
  source: SmsConsentSource;
  /** How, in words ("ticked 'text me' on the portal", "signed the credit application of 3 May"). */
  method: string;
}

/**
 * Records a customer's mobile number with their consent to texts (who recorded it, when, how), on the
 * timeline. Consent given again after an SMS opt-out does not clear the opt-out: only the debtor's
 * START does (the provider keeps refusing until then).
 */
export async function recordPhoneConsent(
  ctx: ServiceContext,
  record: ConsentRecord,
): Promise<{ ok: true; phoneId: string } | { ok: false; reason: 'invalid_phone' | 'no_customer' }> {
  const phone = normalisePhone(record.phone);
  if (!phone) return { ok: false, reason: 'invalid_phone' };
  return ctx.db.transaction(async (tx) => {
    const [customer] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.orgId, ctx.orgId), eq(customers.id, record.customerId)));
    if (!customer) return { ok: false as const, reason: 'no_customer' as const };
    const consent = {
      consentAt: ctx.now,
      consentSource: record.source,
      consentMethod: record.method.trim().slice(0, 500),
      consentRecordedBy: actorKey(ctx.actor),
    };
    const [row] = await tx
      .insert(customerPhones)
      .values({ orgId: ctx.orgId, customerId: record.customerId, phone, ...consent })
      .onConflictDoUpdate({
        target: [customerPhones.orgId, customerPhones.customerId, customerPhones.phone],
        set: { ...consent, updatedAt: ctx.now },
      })
      .returning({ id: customerPhones.id });
    if (!row) throw new Error('the phone number was not stored');
    await tx.insert(activityLog).values({
      orgId: ctx.orgId,
      customerId: record.customerId,
      kind: 'sms.consent_recorded',
      actor: actorKey(ctx.actor),
      summary: `Consent to texts recorded for ${phone} (${record.source})`,
      details: { phoneId: row.id, source: record.source, method: consent.consentMethod },
      occurredAt: ctx.now,
    });
    return { ok: true as const, phoneId: row.id };
  });
}

export type TextableNumber =
  | { ok: true; phoneId: string; phone: string }
  | { ok: false; reason: 'no_phone' | 'no_consent' | 'opted_out' };

/**
 * The number a text to this customer goes to: the most recently consented one not opted out. Says
 * why not otherwise: no number at all, none with consent, or every consented one opted out.
 */
export async function textableNumber(
  db: Database,
  debtor: { orgId: string; customerId: string },
): Promise<TextableNumber> {
  const phones = await db
    .select({
      id: customerPhones.id,
      phone: customerPhones.phone,
      consentAt: customerPhones.consentAt,
      optedOutAt: customerPhones.smsOptedOutAt,
    })
    .from(customerPhones)
    .where(and(eq(customerPhones.orgId, debtor.orgId), eq(customerPhones.customerId, debtor.customerId)));
  if (phones.length === 0) return { ok: false, reason: 'no_phone' };
  const consented = phones.filter((row) => row.consentAt !== null);
  if (consented.length === 0) return { ok: false, reason: 'no_consent' };
  const open = consented
    .filter((row) => row.optedOutAt === null)
    .sort((a, b) => (b.consentAt?.getTime() ?? 0) - (a.consentAt?.getTime() ?? 0));
  const chosen = open[0];
  return chosen ? { ok: true, phoneId: chosen.id, phone: chosen.phone } : { ok: false, reason: 'opted_out' };
}

const optOutSummaries = {
  keyword: (phone: string) => `Texted STOP from ${phone}: no more texts to this number (emails unchanged)`,
  carrier: (phone: string) =>
    `The provider refused ${phone} as unsubscribed: no more texts to it (emails unchanged)`,
  person: (phone: string) =>
    `Asked on a payment page to stop texts to ${phone}: no more texts to this number (emails unchanged)`,
};

/**
 * Opts a number out of texts (STOP, the provider refusing it as unsubscribed, or the debtor asking on
 * their page: `person`) for every customer holding it, in every organisation: the provider's opt-out
 * is of the sending number, which all share. Each change is on that customer's timeline; emails are
 * untouched. Returns the customers changed.
 */
export function optOutNumber(
  db: Writer,
  phone: string,
  change: {
    at: Date;
    source: 'keyword' | 'carrier' | 'person';
    details: Record<string, unknown>;
    /**
     * Only this customer of this organisation (a person stopping texts on one organisation's page);
     * absent, every holder of the number, as the provider's opt-out of the shared sender is.
     */
    only?: { orgId: string; customerId: string };
  },
): Promise<Array<{ orgId: string; customerId: string }>> {
  return changeNumber(db, phone, change.at, true, {
    kind: 'sms.opted_out',
    summary: optOutSummaries[change.source](phone),
    details: { source: change.source, ...change.details },
    source: change.source,
    ...(change.only ? { only: change.only } : {}),
  });
}

/** START: the number may be texted again, for every customer holding it (those with consent on record). */
export function optInNumber(
  db: Writer,
  phone: string,
  change: { at: Date; details: Record<string, unknown> },
): Promise<Array<{ orgId: string; customerId: string }>> {
  return changeNumber(db, phone, change.at, false, {
    kind: 'sms.opted_in',
    summary: `Texted START from ${phone}: texts to this number may resume`,
    details: change.details,
    source: null,
  });
}

/** Opts a number out (or back in) for every customer holding it, each change on that customer's timeline. */
function changeNumber(
  db: Writer,
  phone: string,
  at: Date,
  optOut: boolean,
  entry: {
    kind: string;
    summary: string;
    details: Record<string, unknown>;
    source: 'keyword' | 'carrier' | 'person' | null;
    only?: { orgId: string; customerId: string };
  },
): Promise<Array<{ orgId: string; customerId: string }>> {
  return db.transaction(async (tx) => {
    const changed = await tx
      .update(customerPhones)
      .set({ smsOptedOutAt: optOut ? at : null, smsOptOutSource: entry.source, updatedAt: at })
      .where(
        and(
          eq(customerPhones.phone, phone),
          optOut ? isNull(customerPhones.smsOptedOutAt) : isNotNull(customerPhones.smsOptedOutAt),
          entry.only ? eq(customerPhones.orgId, entry.only.orgId) : undefined,
          entry.only ? eq(customerPhones.customerId, entry.only.customerId) : undefined,
        ),
      )
      .returning({
        orgId: customerPhones.orgId,
        customerId: customerPhones.customerId,
        id: customerPhones.id,
      });
    for (const row of changed) {
      await tx.insert(activityLog).values({
        orgId: row.orgId,
        customerId: row.customerId,
        kind: entry.kind,
        actor: 'debtor',
        summary: entry.summary,
        details: { phoneId: row.id, ...entry.details },
        occurredAt: at,
      });
    }
    return changed.map(({ orgId, customerId }) => ({ orgId, customerId }));
  });
}
