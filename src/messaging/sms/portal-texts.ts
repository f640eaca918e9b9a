import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { customerPhones, organisations } from '../../db/schema/index.js';
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
 * from the portal, in words saying when and what they agreed to. A number they stopped stays stopped
 * (`opted_out`): only their START to a text lifts it.
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
    .select({ optedOutAt: customerPhones.smsOptedOutAt })
    .from(customerPhones)
    .where(eq(customerPhones.id, recorded.phoneId));
  return row?.optedOutAt ? { ok: false, reason: 'opted_out' } : { ok: true };
}

/**
 * "Stop texts" on the debtor's page: each number texts to them may go to is opted out as a STOP
 * would (`optOutNumber`, source `person`). Returns how many numbers were stopped.
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
    });
  return open.length;
}
