import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { html } from '../../../domain/html.js';
import { AppError, notFound } from '../../../errors.js';
import { isEditableTemplate } from '../../../messaging/organisation-templates.js';
import type { Template, TemplateName } from '../../../messaging/templates/index.js';
import { previewTemplate } from '../../../organisations/preview-template.js';
import { resetTemplate } from '../../../organisations/reset-template.js';
import { saveContactDetails } from '../../../organisations/save-contact-details.js';
import { saveTemplate } from '../../../organisations/save-template.js';
import { templateEditor } from '../../../organisations/template-editor.js';
import { templatesOverview } from '../../../organisations/templates-overview.js';
import type { ServiceContext } from '../../../services/context.js';
import { saveMonthlyStatement } from '../../../statements/monthly-statement-settings.js';
import { personContext } from '../../context.js';
import type { WebServices } from '../../services.js';
import { pageFrame, sendPage } from '../frame.js';
import { detailFields, detailsSection } from '../pages/details.js';
import { type MonthlyStatementValues, monthlyStatementSection } from '../pages/monthly-statement.js';
import { templateEditPage, templatesListPage } from '../pages/templates.js';

const templateForm = z.object({
  subject: z.string().max(20_000).default(''),
  /** The one body; a browser sends a textarea's line breaks as CRLF, stored as LF. */
  text: z
    .string()
    .max(200_000)
    .default('')
    .transform((text) => text.replace(/\r\n?/g, '\n')),
  debtor: z.union([z.uuid(), z.literal('')]).default(''),
  op: z.string().optional(),
});

/** The templates page: the emails, each edited with a live preview on a real debtor. */
export function appTemplateRoutes(services: WebServices) {
  const nameOf = (request: FastifyRequest): TemplateName => {
    const name = (request.params as { name?: string }).name ?? '';
    if (!isEditableTemplate(name)) throw notFound('template');
    return name;
  };
  const formOf = (request: FastifyRequest) => {
    const parsed = templateForm.safeParse(request.body ?? {});
    if (!parsed.success) throw new AppError(400, 'invalid_request', 'The template form is not valid.');
    return parsed.data;
  };

  const render = async (
    ctx: ServiceContext,
    request: FastifyRequest,
    reply: FastifyReply,
    name: TemplateName,
    edited: { template: Template; debtorId: string | null; saveProblems: string[] } | null,
  ) => {
    const data = await templateEditor(ctx, services.portal, {
      name,
      edited: edited?.template ?? null,
      debtorId: edited?.debtorId ?? (request.query as { debtor?: string }).debtor ?? null,
    });
    const frame = pageFrame(request, reply, { orgId: ctx.orgId, section: 'templates', title: 'Templates' });
    return sendPage(
      reply,
      templateEditPage(frame, { name, ...data, saveProblems: edited?.saveProblems ?? [] }),
    );
  };

  return async (app: FastifyInstance) => {
    const showList = async (
      ctx: ServiceContext,
      request: FastifyRequest,
      reply: FastifyReply,
      form?: { values: Record<string, string>; problems: Map<string, string[]> },
      statementForm?: { values: MonthlyStatementValues; problems: Map<string, string[]> },
    ) => {
      const { customised, settings, timeZone } = await templatesOverview(ctx);
      const frame = pageFrame(request, reply, { orgId: ctx.orgId, section: 'templates', title: 'Templates' });
      const values = form?.values ?? {
        contactEmail: settings.contactEmail ?? '',
        contactPhone: settings.contactPhone ?? '',
        notifyEmail: settings.notifyEmail ?? '',
        logoUrl: settings.logoUrl ?? '',
        brandColour: settings.brandColour,
        paymentInstructions: settings.paymentInstructions ?? '',
      };
      const details = detailsSection(
        `/app/${ctx.orgId}/details`,
        frame.csrfToken,
        values,
        form?.problems ?? new Map(),
      );
      const statement = monthlyStatementSection(
        `/app/${ctx.orgId}/monthly-statement`,
        frame.csrfToken,
        statementForm?.values ?? {
          enabled: settings.monthlyStatement.enabled,
          day: String(settings.monthlyStatement.day),
        },
        statementForm?.problems ?? new Map(),
        timeZone,
      );
      return sendPage(reply, templatesListPage(frame, customised, html`${details}${statement}`));
    };

    app.get('/app/:orgId/templates', async (request, reply) =>
      showList(personContext(services, request), request, reply),
    );

    app.post('/app/:orgId/details', async (request, reply) => {
      const ctx = personContext(services, request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values: Record<string, string> = {};
      const typed: Record<string, string | null> = {};
      for (const name of [...detailFields.map((field) => field.name), 'paymentInstructions']) {
        const value = typeof body[name] === 'string' ? (body[name] as string).trim() : '';
        values[name] = value;
        typed[name] = value === '' ? null : value;
      }
      const saved = await saveContactDetails(ctx, typed);
      if (saved.ok) return reply.redirect(`/app/${ctx.orgId}/templates?done=saved`, 303);
      reply.status(400);
      return showList(ctx, request, reply, { values, problems: saved.problems });
    });

    app.post('/app/:orgId/monthly-statement', async (request, reply) => {
      const ctx = personContext(services, request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = {
        enabled: typeof body['enabled'] === 'string' && body['enabled'] !== '',
        day: typeof body['day'] === 'string' ? body['day'].trim() : '',
      };
      const saved = await saveMonthlyStatement(ctx, values);
      if (saved.ok) return reply.redirect(`/app/${ctx.orgId}/templates?done=saved#monthly-statement`, 303);
      reply.status(400);
      return showList(ctx, request, reply, undefined, { values, problems: saved.problems });
    });

    app.get('/app/:orgId/templates/:name', async (request, reply) =>
      render(personContext(services, request), request, reply, nameOf(request), null),
    );

    app.post('/app/:orgId/templates/:name', async (request, reply) => {
      const ctx = personContext(services, request);
      const name = nameOf(request);
      const form = formOf(request);
      const template = { subject: form.subject, text: form.text };
      const debtorId = form.debtor || null;
      if (form.op !== 'save')
        return render(ctx, request, reply, name, { template, debtorId, saveProblems: [] });
      const saved = await saveTemplate(ctx, name, template);
      if (saved.ok) return reply.redirect(`/app/${ctx.orgId}/templates/${name}?done=saved`, 303);
      reply.status(400);
      return render(ctx, request, reply, name, { template, debtorId, saveProblems: saved.problems });
    });

    // The live preview the page's script asks for as the person types.
    app.post('/app/:orgId/templates/:name/preview', async (request, reply) => {
      const ctx = personContext(services, request);
      const name = nameOf(request);
      const form = formOf(request);
      const preview = await previewTemplate(ctx, services.portal, {
        name,
        template: { subject: form.subject, text: form.text },
        debtorId: form.debtor,
      });
      reply.header('cache-control', 'no-store');
      return preview.ok ? { ...preview.email, debtor: preview.debtor } : { problems: preview.problems };
    });

    app.post('/app/:orgId/templates/:name/reset', async (request, reply) => {
      const ctx = personContext(services, request);
      const name = nameOf(request);
      await resetTemplate(ctx, name);
      return reply.redirect(`/app/${ctx.orgId}/templates/${name}?done=reset`, 303);
    });
  };
}
