import { organisationTemplates } from '../messaging/organisation-templates.js';
import type { TemplateName } from '../messaging/templates/index.js';
import type { ServiceContext } from '../services/context.js';
import { organisationOf } from './organisation-of.js';
import type { OrganisationSettings } from './settings.js';

/** The templates page: which emails the organisation changed, and the details every email shows. */
export async function templatesOverview(
  ctx: ServiceContext,
): Promise<{ customised: Set<TemplateName>; settings: OrganisationSettings; timeZone: string }> {
  const [own, profile] = await Promise.all([organisationTemplates(ctx.db, ctx.orgId), organisationOf(ctx)]);
  return {
    customised: new Set(Object.keys(own) as TemplateName[]),
    settings: profile.settings,
    timeZone: profile.timeZone,
  };
}
