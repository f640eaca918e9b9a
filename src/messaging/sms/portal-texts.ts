import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { activityLog, customerPhones, organisations } from '../../db/schema/index.js';
import { type DebtorContext, debtorScope } from '../../services/context.js';
import { lastFourDigits, portalConsentMethod } from './consent-words.js';
import { optOutNumber, recordPhoneConsent, textableNumber } from './phones.js';

/** Texts as the debtor's page shows them: none asked for, going to a number, or stopped. */
export type PortalTexts =
  | { state: 'none' }
  | { state: 'on'; number: string }
  | { state: 'stopped'; number: string };

/** Where the debtor's texts go (the last four digits only), or that they were stopped. */
export async function portalTexts(ctx: DebtorContext): Promise<PortalTexts> {
  const textable = await textableNumber(ctx.db, debtorScope(ctx));
  if (textable.ok) return { state: 'on', number: lastFourDigits(textable.phone) };
  if (textable.reason !== 'opted_out') return { state: 'none' };
  const [stopped] = await ctx.db
    .select({ phone: customerPhones.phone })
    .from(customerPhones)
    .where(
      and(
        eq(customerPhones.orgId, ctx.orgId),
        eq(customerPhones.customerId, ctx.actor.customerId),
        isNotNull(customerPhones.consentAt),
        isNotNull(customerPhones.smsOptedOutAt),
      ),
    )
    .orderBy(desc(customerPhones.smsOptedOutAt))
    .limit(1);
  return stopped ? { state: 'stopped', number: lastFourDigits(stopped.phone) } : { state: 'none' };
}

export type TextMeResult =
  | { ok: true }
  | { ok: false; reason: 'not_agreed' | 'invalid_phone' | 'opted_out' | 'no_customer' };

/**
 * "Text me" on the debtor's page: their mobile number, with the box ticked, is recorded as consent
 * from the portal, in words saying when and what they agreed to. A number they stopped on this page
 * may be asked for again here; one that texted STOP stays stopped (`opted_out`) until their START.
 */
export async function textMeFromPortal(
  ctx: DebtorContext,
  form: { phone: string; agreed: boolean },
): Promise<TextMeResult> {
  if (!form.agreed) return { ok: false, reason: 'not_agreed' };
  const [organisation] = await ctx.db
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, ctx.orgId));
  if (!organisation) return { ok: false, reason: 'no_customer' };
  const recorded = await recordPhoneConsent(ctx, {
    customerId: ctx.actor.customerId,
    phone: form.phone,
    source: 'portal',
    method: portalConsentMethod(organisation.name, ctx.now),
  });
  if (!recorded.ok) return recorded;
  const [row] = await ctx.db
    .select({ optedOutAt: customerPhones.smsOptedOutAt, source: customerPhones.smsOptOutSource })
    .from(customerPhones)
    .where(eq(customerPhones.id, recorded.phoneId));
  if (!row?.optedOutAt) return { ok: true };
  // Stopped on this page, asked for again on this page: their choice both times. A STOP (or the
  // carrier) stays until their START: the provider refuses the number until then.
  if (row.source !== 'person') return { ok: false, reason: 'opted_out' };
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(customerPhones)
      .set({ smsOptedOutAt: null, smsOptOutSource: null, updatedAt: ctx.now })
      .where(eq(customerPhones.id, recorded.phoneId));
    await tx.insert(activityLog).values({
      orgId: ctx.orgId,
      customerId: ctx.actor.customerId,
      kind: 'sms.opted_in',
      actor: 'debtor',
      summary: 'Asked for texts again on their payment page',
      details: { phoneId: recorded.phoneId, via: 'portal' },
      occurredAt: ctx.now,
    });
  });
  return { ok: true };
}

/**
 * "Stop texts" on the debtor's page: each number texts to them may go to is opted out for this
 * organisation (`optOutNumber`, source `person`): another business holding the same number keeps
 * its own consent, unlike a STOP, which the provider applies to the shared sending number. Returns
 * how many numbers were stopped.
 */
export async function stopTextsFromPortal(ctx: DebtorContext): Promise<number> {
  const open = await ctx.db
    .select({ id: customerPhones.id, phone: customerPhones.phone })
    .from(customerPhones)
    .where(
      and(
        eq(customerPhones.orgId, ctx.orgId),
        eq(customerPhones.customerId, ctx.actor.customerId),
        isNotNull(customerPhones.consentAt),
        isNull(customerPhones.smsOptedOutAt),
      ),
    );
  for (const number of open)
    await optOutNumber(ctx.db, number.phone, {
      at: ctx.now,
      source: 'person',
      details: { via: 'portal', phoneId: number.id },
      only: { orgId: ctx.orgId, customerId: ctx.actor.customerId },
    });
  return open.length;
}
