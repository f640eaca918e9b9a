import type { PortalLinks } from '../domain/portal-links.js';
import { type Preview, previewDebtors, previewOnDebtor } from '../messaging/template-preview.js';
import type { Template, TemplateName } from '../messaging/templates/index.js';
import type { ServiceContext } from '../services/context.js';

/** The live preview as a person types: the email on the debtor asked for, when offered, else the first. */
export async function previewTemplate(
  ctx: ServiceContext,
  links: PortalLinks,
  request: { name: TemplateName; template: Template; debtorId: string },
): Promise<Preview> {
  const debtors = await previewDebtors(ctx.db, ctx.orgId);
  const customerId = debtors.some((debtor) => debtor.id === request.debtorId)
    ? request.debtorId
    : (debtors[0]?.id ?? null);
  return previewOnDebtor(ctx.db, {
    orgId: ctx.orgId,
    name: request.name,
    template: request.template,
    customerId,
    now: ctx.now,
    links,
  });
}
