import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../errors.js';
import {
  isEditableTemplate,
  organisationTemplates,
  resetOrganisationTemplate,
  saveOrganisationTemplate,
} from '../../../messaging/organisation-templates.js';
import { previewDebtors, previewOnDebtor } from '../../../messaging/template-preview.js';
import { defaultTemplate, type Template, type TemplateName } from '../../../messaging/templates/index.js';
import {
  organisationProfile,
  organisationSettingsSchema,
  saveOrganisationSettings,
} from '../../../organisations/settings.js';
import type { WebServices } from '../../services.js';
import { sessionOrg } from '../../session.js';
import { pageFrame, sendPage } from '../frame.js';
import { detailFields, detailsSection } from '../pages/details.js';
import { templateEditPage, templatesListPage } from '../pages/templates.js';

const templateForm = z.object({
  subject: z.string().max(20_000).default(''),
  text: z.string().max(200_000).default(''),
  html: z.string().max(200_000).default(''),
  debtor: z.union([z.uuid(), z.literal('')]).default(''),
  op: z.string().optional(),
});

/** The templates page: the emails, each edited with a live preview on a real debtor. */
export function appTemplateRoutes(services: WebServices) {
  const db = services.ledger.db;
  const now = () => services.now?.() ?? new Date();

  const nameOf = (request: FastifyRequest): TemplateName => {
    const name = (request.params as { name?: string }).name ?? '';
    if (!isEditableTemplate(name)) throw new AppError(404, 'not_found', 'No such template.');
    return name;
  };
  const formOf = (request: FastifyRequest) => {
    const parsed = templateForm.safeParse(request.body ?? {});
    if (!parsed.success) throw new AppError(400, 'invalid_request', 'The template form is not valid.');
    return parsed.data;
  };

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    orgId: string,
    name: TemplateName,
    edited: { template: Template; debtorId: string | null; saveProblems: string[] } | null,
  ) => {
    const [own, debtors] = await Promise.all([organisationTemplates(db, orgId), previewDebtors(db, orgId)]);
    const template = edited?.template ?? own[name] ?? defaultTemplate(name);
    const debtorId =
      edited?.debtorId ?? (request.query as { debtor?: string }).debtor ?? debtors[0]?.id ?? null;
    const chosen = debtors.some((debtor) => debtor.id === debtorId) ? debtorId : (debtors[0]?.id ?? null);
    const preview = await previewOnDebtor(db, {
      orgId,
      name,
      template,
      customerId: chosen,
      now: now(),
      links: services.portal,
    });
    const frame = await pageFrame(db, request, reply, { orgId, section: 'templates', title: 'Templates' });
    return sendPage(
      reply,
      templateEditPage(frame, {
        name,
        template,
        customised: own[name] !== undefined,
        debtors,
        debtorId: chosen,
        preview,
        saveProblems: edited?.saveProblems ?? [],
      }),
    );
  };

  return async (app: FastifyInstance) => {
    const showList = async (
      request: FastifyRequest,
      reply: FastifyReply,
      form?: { values: Record<string, string>; problems: Map<string, string[]> },
    ) => {
      const orgId = sessionOrg(request);
      const [own, profile] = await Promise.all([
        organisationTemplates(db, orgId),
        organisationProfile(db, orgId),
      ]);
      if (!profile) throw new AppError(404, 'not_found', 'No such organisation.');
      const frame = await pageFrame(db, request, reply, { orgId, section: 'templates', title: 'Templates' });
      const stored = profile.settings;
      const values = form?.values ?? {
        contactEmail: stored.contactEmail ?? '',
        contactPhone: stored.contactPhone ?? '',
        notifyEmail: stored.notifyEmail ?? '',
        logoUrl: stored.logoUrl ?? '',
        brandColour: stored.brandColour,
        paymentInstructions: stored.paymentInstructions ?? '',
      };
      const details = detailsSection(
        `/app/${orgId}/details`,
        frame.csrfToken,
        values,
        form?.problems ?? new Map(),
      );
      return sendPage(reply, templatesListPage(frame, new Set(Object.keys(own)), details));
    };

    app.get('/app/:orgId/templates', async (request, reply) => showList(request, reply));

    app.post('/app/:orgId/details', async (request, reply) => {
      const orgId = sessionOrg(request);
      const profile = await organisationProfile(db, orgId);
      if (!profile) throw new AppError(404, 'not_found', 'No such organisation.');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values: Record<string, string> = {};
      const typed: Record<string, string | null> = {};
      for (const name of [...detailFields.map((field) => field.name), 'paymentInstructions']) {
        const value = typeof body[name] === 'string' ? (body[name] as string).trim() : '';
        values[name] = value;
        typed[name] = value === '' ? null : value;
      }
      const parsed = organisationSettingsSchema.safeParse({
        ...profile.settings,
        ...typed,
        brandColour: typed['brandColour'] ?? profile.settings.brandColour,
      });
      if (!parsed.success) {
        const problems = new Map<string, string[]>();
        for (const issue of parsed.error.issues) {
          const path = issue.path.join('.');
          problems.set(path, [...(problems.get(path) ?? []), issue.message]);
        }
        reply.status(400);
        return showList(request, reply, { values, problems });
      }
      await saveOrganisationSettings(db, orgId, parsed.data);
      return reply.redirect(`/app/${orgId}/templates?done=saved`, 303);
    });

    app.get('/app/:orgId/templates/:name', async (request, reply) =>
      render(request, reply, sessionOrg(request), nameOf(request), null),
    );

    app.post('/app/:orgId/templates/:name', async (request, reply) => {
      const orgId = sessionOrg(request);
      const name = nameOf(request);
      const form = formOf(request);
      const template = { subject: form.subject, text: form.text, html: form.html };
      const debtorId = form.debtor || null;
      if (form.op !== 'save')
        return render(request, reply, orgId, name, { template, debtorId, saveProblems: [] });
      const saved = await saveOrganisationTemplate(db, {
        orgId,
        name,
        template,
        actor: `user:${request.signedIn?.userId}`,
      });
      if (saved.ok) return reply.redirect(`/app/${orgId}/templates/${name}?done=saved`, 303);
      reply.status(400);
      return render(request, reply, orgId, name, { template, debtorId, saveProblems: saved.problems });
    });

    // The live preview the page's script asks for as the person types.
    app.post('/app/:orgId/templates/:name/preview', async (request, reply) => {
      const orgId = sessionOrg(request);
      const name = nameOf(request);
      const form = formOf(request);
      const debtors = await previewDebtors(db, orgId);
      const customerId = debtors.some((debtor) => debtor.id === form.debtor)
        ? form.debtor
        : (debtors[0]?.id ?? null);
      const preview = await previewOnDebtor(db, {
        orgId,
        name,
        template: { subject: form.subject, text: form.text, html: form.html },
        customerId,
        now: now(),
        links: services.portal,
      });
      reply.header('cache-control', 'no-store');
      return preview.ok ? { ...preview.email, debtor: preview.debtor } : { problems: preview.problems };
    });

    app.post('/app/:orgId/templates/:name/reset', async (request, reply) => {
      const orgId = sessionOrg(request);
      const name = nameOf(request);
      await resetOrganisationTemplate(db, { orgId, name, actor: `user:${request.signedIn?.userId}` });
      return reply.redirect(`/app/${orgId}/templates/${name}?done=reset`, 303);
    });
  };
}
