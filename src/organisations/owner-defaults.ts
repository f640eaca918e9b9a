import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { users } from '../db/schema/index.js';
import { organisationProfile, saveOrganisationSettings } from './settings.js';

/**
 * Fills what nobody chose yet with the address of the person who connected the books (verified by
 * the vendor at sign-in): where debtors' replies go, who hears about disputes and promises, and who
 * gets the weekly summary. Anything already set stays. The go-live checklist shows each for the owner
 * to keep or change.
 */
export async function offerOwnerDefaults(db: Database, orgId: string, userId: string): Promise<void> {
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  const profile = await organisationProfile(db, orgId);
  if (!user?.email || !profile) return;
  const email = user.email.toLowerCase();
  const { settings } = profile;
  if (settings.contactEmail && settings.notifyEmail && settings.weeklySummary.recipients.length > 0) return;
  await saveOrganisationSettings(db, orgId, {
    ...settings,
    contactEmail: settings.contactEmail ?? email,
    notifyEmail: settings.notifyEmail ?? email,
    weeklySummary: {
      ...settings.weeklySummary,
      recipients: settings.weeklySummary.recipients.length > 0 ? settings.weeklySummary.recipients : [email],
    },
  });
}
