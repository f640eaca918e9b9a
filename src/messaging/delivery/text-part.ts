import { eq, inArray } from 'drizzle-orm';
import { policyOf } from '../../collections/policy-versions.js';
import { customers, invoices } from '../../db/schema/index.js';
import { localMoment } from '../../domain/local-time.js';
import { localeOf } from '../../domain/locale.js';
import { formatPlainMoney } from '../../domain/money.js';
import { organisationProfile } from '../../organisations/settings.js';
import { sendText } from '../sms/send.js';
import { renderShortText } from '../sms/short-text.js';
import type { DeliveryDeps, Message } from './deps.js';

/** What became of a reminder's text, for the email that may go with it or instead of it. */
export type TextPart =
  /** The reminder goes by email only. */
  | { kind: 'none' }
  /** The text reached the provider (now, or on an earlier attempt). */
  | { kind: 'sent'; phone: string }
  /** It cannot go: by email instead, when the reminder has addresses. */
  | { kind: 'not_possible'; reason: string }
  /** The debtor's quiet hours: the whole reminder waits until then. */
  | { kind: 'later'; notBefore: Date }
  /** The provider could not be asked; nothing went: the reminder is tried again. */
  | { kind: 'retry'; reason: string };

const dayMs = 86_400_000;

const reasons = {
  no_phone: 'no mobile number on record',
  no_consent: 'no consent to texts on record',
  opted_out: 'the number opted out of texts',
  too_long: 'the text would be too long',
  quiet_hours: 'no texting hours ahead',
} as const;

/** A reminder's text's own key: one text per reminder, however often delivery is tried. */
export const textKeyOf = (message: { idempotencyKey: string }) => `${message.idempotencyKey}:text`;

/**
 * Sends the text of a reminder that goes by text (or by email and text): the amount owed on the
 * invoices it still covers, since when, and the debtor's portal link, to their consented number,
 * inside their texting hours (their zone, the organisation's closed days, their public holidays).
 */
export async function textPart(
  deps: DeliveryDeps,
  message: Message,
  coveredIds: string[] | undefined,
): Promise<TextPart> {
  if (message.via === 'email' || !message.customerId) return { kind: 'none' };
  if (!deps.sms) return { kind: 'not_possible', reason: 'texts are not set up' };
  const customerId = message.customerId;
  const [profile, policy, [customer], owed] = await Promise.all([
    organisationProfile(deps.db, message.orgId),
    policyOf(deps.db, message.orgId),
    deps.db
      .select({ timeZone: customers.timeZone, country: customers.country })
      .from(customers)
      .where(eq(customers.id, customerId)),
    coveredIds && coveredIds.length > 0
      ? deps.db
          .select({
            currency: invoices.currency,
            balanceMinor: invoices.balanceMinor,
            dueDate: invoices.dueDate,
          })
          .from(invoices)
          .where(inArray(invoices.id, coveredIds))
      : Promise.resolve([]),
  ]);
  if (!profile || owed.length === 0) return { kind: 'not_possible', reason: 'nothing to text about' };
  const now = deps.now();
  const timeZone = customer?.timeZone ?? profile.timeZone;
  const country = customer?.country ?? profile.country;
  const text = renderShortText({
    organisationName: profile.name,
    amount: amountOwed(owed),
    when: since(owed, localMoment(now, timeZone).date, localeOf(country)),
    portalUrl: deps.links.urlFor(
      { orgId: message.orgId, customerId },
      new Date(now.getTime() + policy.arrangements.portalLinkDays * dayMs),
    ),
  });
  const outcome = await sendText(deps.sms, {
    orgId: message.orgId,
    customerId,
    idempotencyKey: textKeyOf(message),
    body: text.body,
    now,
    hours: { timeZone, closedDays: policy.closedDays, country },
    context: { messageId: message.id },
  });
  switch (outcome.status) {
    case 'sent':
      return { kind: 'sent', phone: outcome.to };
    case 'duplicate':
      return outcome.smsStatus === 'refused'
        ? { kind: 'not_possible', reason: 'the provider refused the text' }
        : { kind: 'sent', phone: outcome.to };
    case 'not_allowed':
      return outcome.reason === 'quiet_hours' && outcome.notBefore
        ? { kind: 'later', notBefore: outcome.notBefore }
        : { kind: 'not_possible', reason: reasons[outcome.reason] };
    case 'refused':
      return { kind: 'not_possible', reason: `the provider refused the text: ${outcome.reason}` };
    case 'unavailable':
      // Not retried when it may have gone: counted as sent, never sent twice.
      return outcome.retry
        ? { kind: 'retry', reason: outcome.reason }
        : { kind: 'sent', phone: 'their number (the provider may have it)' };
  }
}

function amountOwed(owed: Array<{ currency: string; balanceMinor: number }>): string {
  const totals = new Map<string, number>();
  for (const row of owed) totals.set(row.currency, (totals.get(row.currency) ?? 0) + row.balanceMinor);
  return [...totals]
    .map(([currency, amountMinor]) => formatPlainMoney({ currency, amountMinor }))
    .join(' + ');
}

/** "overdue since 3 May", "due today", "due on 12 Jun": from the oldest due date, in the debtor's words. */
function since(owed: Array<{ dueDate: string }>, today: string, locale: string): string {
  const oldest = owed.map((row) => String(row.dueDate).slice(0, 10)).sort()[0] ?? today;
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${oldest}T00:00:00Z`),
  );
  return oldest < today ? `overdue since ${date}` : oldest === today ? 'due today' : `due on ${date}`;
}
