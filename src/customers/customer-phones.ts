import { and, asc, eq, inArray } from 'drizzle-orm';
import { customerPhones, customers, type SmsConsentSource, users } from '../db/schema/index.js';
import { actorOf } from '../domain/actor.js';
import { normalisePhone, recordPhoneConsent } from '../messaging/sms/phones.js';
import type { ServiceContext } from '../services/context.js';

/** One of a customer's mobile numbers as their page shows it: its consent on record and its opt-out. */
export interface CustomerPhoneView {
  id: string;
  phone: string;
  consent: { at: Date; source: SmsConsentSource; method: string; recordedBy: string } | null;
  optedOut: { at: Date; source: 'keyword' | 'carrier' | 'person' | null } | null;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A customer's mobile numbers with who recorded each consent (a person by name, else the customer). */
export async function customerPhonesOf(
  ctx: ServiceContext,
  customerId: string,
): Promise<CustomerPhoneView[]> {
  const rows = await ctx.db
    .select()
    .from(customerPhones)
    .where(and(eq(customerPhones.orgId, ctx.orgId), eq(customerPhones.customerId, customerId)))
    .orderBy(asc(customerPhones.createdAt));
  const userIds = rows.flatMap((row) => {
    const actor = row.consentRecordedBy ? actorOf(row.consentRecordedBy) : null;
    return actor?.kind === 'person' && actor.userId && uuid.test(actor.userId) ? [actor.userId] : [];
  });
  const people = new Map(
    userIds.length === 0
      ? []
      : (
          await ctx.db
            .select({ id: users.id, name: users.name, email: users.email })
            .from(users)
            .where(inArray(users.id, userIds))
        ).map((user) => [user.id, user.name ?? user.email]),
  );
  const who = (stored: string | null): string => {
    if (!stored) return 'unknown';
    const actor = actorOf(stored);
    if (actor.kind === 'debtor') return 'the customer, on their payment page';
    if (actor.kind === 'person') return (actor.userId && people.get(actor.userId)) ?? 'a person of yours';
    if (actor.kind === 'system') return 'Dunwell';
    return actor.kind === 'vendor' ? 'your books' : actor.text;
  };
  return rows.map((row) => ({
    id: row.id,
    phone: row.phone,
    consent:
      row.consentAt && row.consentSource
        ? {
            at: row.consentAt,
            source: row.consentSource,
            method: row.consentMethod ?? '',
            recordedBy: who(row.consentRecordedBy),
          }
        : null,
    optedOut: row.smsOptedOutAt ? { at: row.smsOptedOutAt, source: row.smsOptOutSource } : null,
  }));
}

/** The owner's own record of consent: how it was given (in writing or by word of mouth) and how, in words. */
export interface OwnerConsentForm {
  phone: string;
  source: string;
  how: string;
}

export type OwnerConsentResult =
  | { ok: true }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'invalid'; problems: string[] };

const ownerSources: readonly SmsConsentSource[] = ['written', 'verbal'];

/**
 * Records a mobile number with consent the organisation holds (`written` or `verbal`), with a required
 * short description of how it was given. Recording it again does not lift an opt-out: only the
 * customer's START does.
 */
export async function recordOwnerConsent(
  ctx: ServiceContext,
  customerId: string,
  form: OwnerConsentForm,
): Promise<OwnerConsentResult> {
  const problems: string[] = [];
  const how = form.how.trim();
  if (!normalisePhone(form.phone))
    problems.push('Mobile number: give it with the country code, for example +44 7700 900123.');
  if (!ownerSources.includes(form.source as SmsConsentSource))
    problems.push('Consent given: choose in writing or by word of mouth.');
  if (how.length < 3)
    problems.push(
      'How it was given: say how and when, for example “signed the credit application on 3 May”.',
    );
  if (how.length > 500) problems.push('How it was given: at most 500 characters.');
  if (problems.length > 0) return { ok: false, reason: 'invalid', problems };
  const [customer] = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.orgId, ctx.orgId), eq(customers.id, customerId)));
  if (!customer) return { ok: false, reason: 'not_found' };
  const recorded = await recordPhoneConsent(ctx, {
    customerId,
    phone: form.phone,
    source: form.source as SmsConsentSource,
    method: how,
  });
  return recorded.ok ? { ok: true } : { ok: false, reason: 'not_found' };
}
