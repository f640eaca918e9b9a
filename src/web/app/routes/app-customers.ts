import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { policyOf } from '../../../collections/policy-versions.js';
import { localeOf } from '../../../collections/render-reminder.js';
import { invoiceHeader, openInvoicesOfCustomer } from '../../../customers/customer-invoices.js';
import { customerOverridesOf, saveCustomerOverrides } from '../../../customers/customer-overrides.js';
import { customersOverview } from '../../../customers/customers-overview.js';
import { AppError } from '../../../errors.js';
import { organisationProfile } from '../../../organisations/settings.js';
import { customerHeader, debtorTimeline, invoiceTimeline } from '../../../timeline/timeline.js';
import { parseOr400 } from '../../parse.js';
import type { WebServices } from '../../services.js';
import { sessionOrg } from '../../session.js';
import { fieldText } from '../forms/form-fields.js';
import { stepsFromLines } from '../forms/own-schedule.js';
import type { FormBody } from '../forms/schedule-form.js';
import { pageFrame, sendPage } from '../frame.js';
import { customerPage, customersPage, invoicePage } from '../pages/customers.js';

const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  search: z.string().max(100).catch(''),
  sort: z.enum(['overdue', 'balance', 'name']).catch('overdue'),
});
const customerParams = z.object({ orgId: z.uuid(), customerId: z.uuid() });
const invoiceParams = z.object({ orgId: z.uuid(), invoiceId: z.uuid() });
const timelineQuery = z.object({ before: z.string().max(300).optional() });

const text = fieldText;

/** The customers list, a customer's page (history and your choices for them), and an invoice's history. */
export function appCustomerRoutes(services: WebServices) {
  const db = services.ledger.db;
  const now = () => services.now?.() ?? new Date();

  const profileOf = async (orgId: string) => {
    const profile = await organisationProfile(db, orgId);
    if (!profile) throw new AppError(404, 'not_found', 'No such organisation.');
    return profile;
  };

  const showCustomer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form?: { values: Record<string, string>; problems: string[] },
  ) => {
    const orgId = sessionOrg(request);
    const { customerId } = parseOr400(customerParams, request.params);
    const { before } = timelineQuery.parse(request.query ?? {});
    const [profile, header, overrides, timeline, open] = await Promise.all([
      profileOf(orgId),
      customerHeader(db, { orgId, customerId }),
      customerOverridesOf(db, orgId, customerId),
      debtorTimeline(db, { orgId, customerId, limit: 50, ...(before ? { before } : {}) }),
      openInvoicesOfCustomer(db, orgId, customerId),
    ]);
    if (!header || !overrides) throw new AppError(404, 'not_found', 'No such customer.');
    const frame = await pageFrame(db, request, reply, { orgId, section: 'customers', title: header.name });
    return sendPage(
      reply,
      customerPage(frame, {
        header,
        overrides,
        timeline,
        invoices: open,
        timeZone: profile.timeZone,
        locale: localeOf(profile.country),
        ...(form ? { form } : {}),
      }),
    );
  };

  return async (app: FastifyInstance) => {
    app.get('/app/:orgId/customers', async (request, reply) => {
      const orgId = sessionOrg(request);
      const query = listQuery.parse(request.query ?? {});
      const [profile, policy, overview] = await Promise.all([
        profileOf(orgId),
        policyOf(db, orgId),
        customersOverview(db, orgId, {
          now: now(),
          page: query.page,
          search: query.search,
          sort: query.sort,
        }),
      ]);
      const frame = await pageFrame(db, request, reply, { orgId, section: 'customers', title: 'Customers' });
      return sendPage(
        reply,
        customersPage(frame, overview, query, localeOf(profile.country), {
          policy,
          timeZone: profile.timeZone,
        }),
      );
    });

    app.get('/app/:orgId/customers/:customerId', async (request, reply) => showCustomer(request, reply));

    app.post('/app/:orgId/customers/:customerId', async (request, reply) => {
      const orgId = sessionOrg(request);
      const { customerId } = parseOr400(customerParams, request.params);
      const body = (request.body ?? {}) as FormBody;
      const own = stepsFromLines(text(body, 'ownSchedule'));
      const escalationContacts = [0, 1, 2, 3, 4]
        .map((index) => ({
          name: text(body, `contacts.${index}.name`) || null,
          email: text(body, `contacts.${index}.email`),
        }))
        .filter((contact) => contact.email !== '' || contact.name !== null);
      const saved =
        own.problems.length > 0
          ? ({ ok: false, reason: 'invalid', problems: own.problems } as const)
          : await saveCustomerOverrides(db, {
              orgId,
              customerId,
              overrides: {
                excluded: body['excluded'] !== undefined,
                doNotContact: body['doNotContact'] !== undefined,
                segment: text(body, 'segment') || null,
                steps: own.steps.length > 0 ? own.steps : null,
              },
              escalationContacts,
              actor: `user:${request.signedIn?.userId}`,
            });
      if (saved.ok) return reply.redirect(`/app/${orgId}/customers/${customerId}?done=saved`, 303);
      if (saved.reason === 'not_found') throw new AppError(404, 'not_found', 'No such customer.');
      const values: Record<string, string> = {};
      for (const [name, value] of Object.entries(body))
        values[name] = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
      return showCustomer(request, reply.status(400), { values, problems: saved.problems });
    });

    app.get('/app/:orgId/invoices/:invoiceId', async (request, reply) => {
      const orgId = sessionOrg(request);
      const { invoiceId } = parseOr400(invoiceParams, request.params);
      const { before } = timelineQuery.parse(request.query ?? {});
      const invoice = await invoiceHeader(db, orgId, invoiceId);
      if (!invoice) throw new AppError(404, 'not_found', 'No such invoice.');
      const [profile, timeline] = await Promise.all([
        profileOf(orgId),
        invoiceTimeline(db, { orgId, invoiceId, limit: 50, ...(before ? { before } : {}) }),
      ]);
      const frame = await pageFrame(db, request, reply, {
        orgId,
        section: 'customers',
        title: `Invoice ${invoice.number ?? ''}`,
      });
      return sendPage(reply, invoicePage(frame, invoice, timeline, profile.timeZone));
    });
  };
}
