import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { activityLog, memberships, organisations, userIdentities, users } from '../db/schema/index.js';
import {
  type OrganisationSettings,
  organisationProfile,
  parseOrganisationSettings,
  type WeeklySummarySettings,
  weeklySummarySettingsSchema,
} from '../organisations/settings.js';
import type { WeeklySummaryLinks } from './summary-links.js';

/**
 * Who the weekly summary goes to: the chosen recipients, or (none chosen) the notification address,
 * else the contact address; lower case, once each, without those who unsubscribed.
 */
export function summaryRecipients(settings: OrganisationSettings): string[] {
  const { recipients, unsubscribed } = settings.weeklySummary;
  const fallback = settings.notifyEmail ?? settings.contactEmail;
  const chosen = recipients.length > 0 ? recipients : fallback ? [fallback] : [];
  const stopped = new Set(unsubscribed.map((email) => email.toLowerCase()));
  return [...new Set(chosen.map((email) => email.toLowerCase()))].filter((email) => !stopped.has(email));
}

/**
 * The organisation's verified people: the addresses of its members, each of which a vendor vouched
 * for at sign-in (src/accounts/users.ts refuses a sign-in without a verified email), lower case.
 */
export async function verifiedPeople(db: Database, orgId: string): Promise<string[]> {
  const rows = await db
    .select({ email: users.email, identityEmail: userIdentities.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(userIdentities, eq(userIdentities.userId, users.id))
    .where(eq(memberships.orgId, orgId));
  const emails = rows.flatMap((row) => [row.email, row.identityEmail ?? '']).filter(Boolean);
  return [...new Set(emails.map((email) => email.toLowerCase()))].sort();
}

/** How many times an hour an organisation may use "send now": each use mails every verified recipient. */
export const sendNowPerHour = 3;

/**
 * Whom "send now" mails: the summary's recipients who are the organisation's verified people. Any
 * other address (typed into the list, or the notify or contact address) gets the weekly summary
 * only, never a test copy on a click.
 */
export function sendNowRecipients(settings: OrganisationSettings, verified: string[]): string[] {
  const people = new Set(verified.map((email) => email.toLowerCase()));
  return summaryRecipients(settings).filter((email) => people.has(email));
}

/** Everyone the summary would go to without unsubscribes: whom an unsubscribe link can name. */
export function summaryAudience(settings: OrganisationSettings): string[] {
  return summaryRecipients({ ...settings, weeklySummary: { ...settings.weeklySummary, unsubscribed: [] } });
}

/** Changes the weekly summary's settings, locked against an unsubscribe arriving at the same time. */
async function updateWeeklySummary(
  db: Database,
  orgId: string,
  change: (current: WeeklySummarySettings) => WeeklySummarySettings | null,
): Promise<WeeklySummarySettings | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ settings: organisations.settings })
      .from(organisations)
      .where(eq(organisations.id, orgId))
      .for('update');
    if (!row) return null;
    const settings = parseOrganisationSettings(row.settings);
    const changed = change(settings.weeklySummary);
    if (!changed) return settings.weeklySummary;
    const weeklySummary = weeklySummarySettingsSchema.parse(changed);
    await tx
      .update(organisations)
      .set({ settings: { ...settings, weeklySummary } })
      .where(eq(organisations.id, orgId));
    return weeklySummary;
  });
}

/**
 * The settings page's part: day, hour, recipients, on or off. The unsubscribed list is left as
 * it is. Throws a ZodError for values outside the schema.
 */
export async function saveWeeklySummarySchedule(
  db: Database,
  orgId: string,
  schedule: Pick<WeeklySummarySettings, 'enabled' | 'weekday' | 'hour' | 'recipients'>,
): Promise<WeeklySummarySettings | null> {
  const parsed = weeklySummarySettingsSchema
    .pick({ enabled: true, weekday: true, hour: true, recipients: true })
    .parse(schedule);
  return updateWeeklySummary(db, orgId, (current) => ({ ...current, ...parsed }));
}

/** Stops the summary to one address (its own unsubscribe link); false when it had stopped already. */
export async function unsubscribeFromSummary(
  db: Database,
  orgId: string,
  email: string,
  at: Date,
): Promise<boolean> {
  const address = email.toLowerCase();
  let changed = false;
  await updateWeeklySummary(db, orgId, (current) => {
    if (current.unsubscribed.includes(address)) return null;
    changed = true;
    return { ...current, unsubscribed: [...current.unsubscribed, address] };
  });
  if (changed)
    await db.insert(activityLog).values({
      orgId,
      kind: 'summary.unsubscribed',
      actor: 'system',
      summary: `${address} unsubscribed from the weekly summary`,
      details: { via: 'unsubscribe link' },
      occurredAt: at,
    });
  return changed;
}

/** Starts the summary to an address again (the "subscribe again" button); false when it was not stopped. */
export async function resubscribeToSummary(
  db: Database,
  orgId: string,
  email: string,
  at: Date,
): Promise<boolean> {
  const address = email.toLowerCase();
  let changed = false;
  await updateWeeklySummary(db, orgId, (current) => {
    if (!current.unsubscribed.includes(address)) return null;
    changed = true;
    return { ...current, unsubscribed: current.unsubscribed.filter((entry) => entry !== address) };
  });
  if (changed)
    await db.insert(activityLog).values({
      orgId,
      kind: 'summary.resubscribed',
      actor: 'system',
      summary: `${address} subscribed to the weekly summary again`,
      details: { via: 'unsubscribe page' },
      occurredAt: at,
    });
  return changed;
}

export type UnsubscribeLinkTarget =
  | {
      ok: true;
      orgId: string;
      organisationName: string;
      /** The address the link names, when it is (or was, before unsubscribing) a recipient. */
      email: string | null;
      unsubscribed: boolean;
    }
  | { ok: false; reason: 'invalid' | 'gone' };

/** Whom an unsubscribe link names: checked signature, the organisation, and the address among its recipients. */
export async function unsubscribeLinkTarget(
  db: Database,
  links: WeeklySummaryLinks,
  token: string,
): Promise<UnsubscribeLinkTarget> {
  const checked = await links.checkUnsubscribe(token);
  if (!checked.ok) return { ok: false, reason: 'invalid' };
  const profile = await organisationProfile(db, checked.orgId);
  if (!profile) return { ok: false, reason: 'gone' };
  const { unsubscribed } = profile.settings.weeklySummary;
  const email = links.recipientNamed(checked.recipientTag, [
    ...summaryAudience(profile.settings),
    ...unsubscribed,
  ]);
  return {
    ok: true,
    orgId: profile.id,
    organisationName: profile.name,
    email,
    unsubscribed: email !== null && unsubscribed.includes(email),
  };
}
