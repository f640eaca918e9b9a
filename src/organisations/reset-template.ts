import { actorKey } from '../domain/actor.js';
import { resetOrganisationTemplate } from '../messaging/organisation-templates.js';
import type { TemplateName } from '../messaging/templates/index.js';
import type { ServiceContext } from '../services/context.js';

/** Goes back to Dunwell's default for one email, noting who. */
export function resetTemplate(ctx: ServiceContext, name: TemplateName): Promise<void> {
  return resetOrganisationTemplate(ctx.db, { orgId: ctx.orgId, name, actor: actorKey(ctx.actor) });
}
