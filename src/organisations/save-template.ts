import { actorKey } from '../domain/actor.js';
import { saveOrganisationTemplate } from '../messaging/organisation-templates.js';
import type { Template, TemplateName } from '../messaging/templates/index.js';
import type { ServiceContext } from '../services/context.js';

/** Saves the organisation's version of one email when it is valid (else every problem), noting who. */
export function saveTemplate(
  ctx: ServiceContext,
  name: TemplateName,
  template: Template,
): Promise<{ ok: true } | { ok: false; problems: string[] }> {
  return saveOrganisationTemplate(ctx.db, { orgId: ctx.orgId, name, template, actor: actorKey(ctx.actor) });
}
