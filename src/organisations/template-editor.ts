import type { PortalLinks } from '../domain/portal-links.js';
import { legacyHtmlOf, organisationTemplates } from '../messaging/organisation-templates.js';
import {
  type Preview,
  type PreviewDebtor,
  previewDebtors,
  previewOnDebtor,
} from '../messaging/template-preview.js';
import { defaultTemplate, type Template, type TemplateName } from '../messaging/templates/index.js';
import type { ServiceContext } from '../services/context.js';

export interface TemplateEditor {
  template: Template;
  /** Whether the organisation has its own version of this email. */
  customised: boolean;
  /** Real debtors to preview on, and the one chosen. */
  debtors: PreviewDebtor[];
  debtorId: string | null;
  preview: Preview;
  /** The HTML body the organisation wrote before templates had one body: no longer sent, shown once. */
  legacyHtml: string | null;
}

/**
 * One email's editor: the template (as edited, else the organisation's, else Dunwell's default) and
 * its preview on a real debtor (the one asked for when it is among those offered, else the first).
 */
export async function templateEditor(
  ctx: ServiceContext,
  links: PortalLinks,
  request: { name: TemplateName; edited: Template | null; debtorId: string | null },
): Promise<TemplateEditor> {
  const [own, debtors, legacyHtml] = await Promise.all([
    organisationTemplates(ctx.db, ctx.orgId),
    previewDebtors(ctx.db, ctx.orgId),
    legacyHtmlOf(ctx.db, ctx.orgId, request.name),
  ]);
  const template = request.edited ?? own[request.name] ?? defaultTemplate(request.name);
  const wanted = request.debtorId ?? debtors[0]?.id ?? null;
  const debtorId = debtors.some((debtor) => debtor.id === wanted) ? wanted : (debtors[0]?.id ?? null);
  const preview = await previewOnDebtor(ctx.db, {
    orgId: ctx.orgId,
    name: request.name,
    template,
    customerId: debtorId,
    now: ctx.now,
    links,
  });
  return {
    template,
    customised: own[request.name] !== undefined,
    debtors,
    debtorId,
    preview,
    legacyHtml,
  };
}
