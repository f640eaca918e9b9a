import { policyOf } from '../../collections/policy-versions.js';
import type { Database } from '../../db/client.js';
import type { PortalLinks } from '../../domain/portal-links.js';
import { organisationProfile } from '../../organisations/settings.js';
import { organisationTemplates } from '../organisation-templates.js';
import type { Template, TemplateName } from '../templates/index.js';
import { type RenderReminder, reminderRenderer } from './reminder.js';

const dayMs = 86_400_000;

/**
 * The renderer of one organisation's reminders as they are sent: its name, contact details, payment
 * instructions and brand, its policy, its own templates, and portal links that work for the policy's
 * `portalLinkDays`. The template editor's preview renders with it too, with the template being edited
 * in place of the saved one (`editing`), so the preview is the email delivery would send.
 */
export async function organisationRenderer(
  db: Database,
  orgId: string,
  options: { now: Date; links: PortalLinks; editing?: { name: TemplateName; template: Template } },
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
      brandColour: organisation.settings.brandColour,
      logoUrl: organisation.settings.logoUrl,
    },
    policy,
    now: options.now,
    portalUrl: (debtor) => options.links.urlFor(debtor, expiresAt),
    templates: options.editing
      ? { ...templates, [options.editing.name]: options.editing.template }
      : templates,
  });
}
