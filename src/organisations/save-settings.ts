import { AppError } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import {
  type OrganisationSettings,
  organisationSettingsSchema,
  saveOrganisationSettings,
} from './settings.js';

/** Saves the organisation's settings as sent (the JSON API); 400 with every problem, nothing saved, when not valid. */
export async function saveSettings(ctx: ServiceContext, settings: unknown): Promise<OrganisationSettings> {
  const parsed = organisationSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new AppError(400, 'invalid_settings', 'The settings are not valid; nothing was saved.', {
      problems: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  await saveOrganisationSettings(ctx.db, ctx.orgId, parsed.data);
  return parsed.data;
}
