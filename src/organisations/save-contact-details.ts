import type { ServiceContext } from '../services/context.js';
import { problemsInWords } from '../words/problems.js';
import { settingsFieldWords } from '../words/settings-fields.js';
import { organisationOf } from './organisation-of.js';
import { organisationSettingsSchema, saveOrganisationSettings } from './settings.js';

/**
 * Saves the details every email and the portal show (contact address and phone, who hears about
 * disputes, logo, colour, payment instructions), on top of the other settings. A field left empty is
 * cleared, except the colour, which keeps its value. Every problem by field, and nothing saved, when refused.
 */
export async function saveContactDetails(
  ctx: ServiceContext,
  details: Record<string, string | null>,
): Promise<{ ok: true } | { ok: false; problems: Map<string, string[]> }> {
  const profile = await organisationOf(ctx);
  const parsed = organisationSettingsSchema.safeParse({
    ...profile.settings,
    ...details,
    brandColour: details['brandColour'] ?? profile.settings.brandColour,
  });
  if (!parsed.success)
    return { ok: false, problems: problemsInWords(parsed.error.issues, settingsFieldWords) };
  await saveOrganisationSettings(ctx.db, ctx.orgId, parsed.data);
  return { ok: true };
}
