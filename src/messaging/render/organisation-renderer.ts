import { policyOf } from '../../collections/policy-versions.js';
import type { Database } from '../../db/client.js';
import type { PortalLinks } from '../../domain/portal-links.js';
import { organisationProfile } from '../../organisations/settings.js';
import { organisationTemplates } from '../organisation-templates.js';
import { type RenderReminder, reminderRenderer } from './reminder.js';

const dayMs = 86_400_000;

/**
 * The renderer of one organisation's reminders as they are sent: its name, contact details and payment
 * instructions, its policy, its own templates, and portal links that work for the policy's `portalLinkDays`.
 */
export async function organisationRenderer(
  db: Database,
  orgId: string,
  options: { now: Date; links: PortalLinks },
): Promise<RenderReminder | null> {
  const [organisation, policy, templates] = await Promise.all([
    organisationProfile(db, orgId),
    policyOf(db, orgId),
    organisationTemplates(db, orgId),
  ]);
  if (!organisation) return null;
  const expiresAt = new Date(options.now.getTime() + policy.arrangements.portalLinkDays * dayMs);
  return reminderRenderer({
    organisation: {
      name: organisation.name,
      email: organisation.settings.contactEmail,
      phone: organisation.settings.contactPhone,
      country: organisation.country,
      paymentInstructions: organisation.settings.paymentInstructions,
    },
    policy,
    now: options.now,
    portalUrl: (debtor) => options.links.urlFor(debtor, expiresAt),
    templates,
  });
}
