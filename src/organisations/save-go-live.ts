import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { organisations } from '../db/schema/index.js';
import { isTimeZone } from '../domain/local-time.js';
import type { ServiceContext } from '../services/context.js';
import { organisationOf } from './organisation-of.js';
import { organisationSettingsSchema, saveOrganisationSettings } from './settings.js';

export type Problems = Map<string, string[]>;

/** The checklist's time zone: the one chosen (or kept) by the owner, who has now confirmed it. */
export async function confirmTimeZone(
  ctx: ServiceContext,
  timeZone: string,
): Promise<{ ok: true } | { ok: false; problems: Problems }> {
  const zone = timeZone.trim();
  if (!isTimeZone(zone))
    return {
      ok: false,
      problems: new Map([['timeZone', ['must be a time zone such as America/Los_Angeles']]]),
    };
  const profile = await organisationOf(ctx);
  await ctx.db.transaction(async (tx) => {
    await tx.update(organisations).set({ timeZone: zone }).where(eq(organisations.id, ctx.orgId));
    await saveOrganisationSettings(tx, ctx.orgId, { ...profile.settings, timeZoneConfirmed: true });
  });
  return { ok: true };
}

const addressList = z
  .string()
  .max(4000)
  .transform((text) =>
    text
      .split(/[\s,;]+/)
      .map((part) => part.trim())
      .filter(Boolean),
  );

/**
 * The checklist's addresses: where customers' replies go (the reply-to of every email, shown on the
 * portal), who hears about disputes and promises, and who gets the weekly summary. All or nothing;
 * every problem by field.
 */
export async function saveGoLiveAddresses(
  ctx: ServiceContext,
  form: { replyTo: string; notifyEmail: string; summaryRecipients: string },
): Promise<{ ok: true } | { ok: false; problems: Problems }> {
  const profile = await organisationOf(ctx);
  const recipients = addressList.parse(form.summaryRecipients);
  const parsed = organisationSettingsSchema.safeParse({
    ...profile.settings,
    contactEmail: form.replyTo.trim() || null,
    notifyEmail: form.notifyEmail.trim() || null,
    weeklySummary: { ...profile.settings.weeklySummary, recipients },
  });
  const problems: Problems = new Map();
  if (!form.replyTo.trim()) problems.set('replyTo', ['Customers’ replies need somewhere to go']);
  if (!form.notifyEmail.trim()) problems.set('notifyEmail', ['Someone needs to hear about disputes']);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const [head] = issue.path;
      const field =
        head === 'contactEmail' ? 'replyTo' : head === 'notifyEmail' ? 'notifyEmail' : 'summaryRecipients';
      problems.set(field, [
        ...(problems.get(field) ?? []),
        field === 'summaryRecipients' ? 'each must be an email address' : 'must be an email address',
      ]);
    }
  if (problems.size > 0 || !parsed.success) return { ok: false, problems };
  await saveOrganisationSettings(ctx.db, ctx.orgId, parsed.data);
  return { ok: true };
}
