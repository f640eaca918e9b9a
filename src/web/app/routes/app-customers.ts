import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { customerPage } from '../../../customers/customer-page.js';
import { customerPhonesOf } from '../../../customers/customer-phones.js';
import { customersPage } from '../../../customers/customers-page.js';
import { invoicePage } from '../../../customers/invoice-page.js';
import { saveCustomerChoices } from '../../../customers/save-customer-choices.js';
import { notFound } from '../../../errors.js';
import type { ServiceContext } from '../../../services/context.js';
import { personContext } from '../../context.js';
import { parseOr400 } from '../../parse.js';
import type { WebServices } from '../../services.js';
import { fieldText } from '../forms/form-fields.js';
import { stepsFromLines } from '../forms/own-schedule.js';
import type { FormBody } from '../forms/schedule-form.js';
import { pageFrame, sendPage } from '../frame.js';
import type { PhoneFormState } from '../pages/customer-phones.js';
import * as pages from '../pages/customers.js';

const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  search: z.string().max(100).catch(''),
  sort: z.enum(['overdue', 'balance', 'name']).catch('overdue'),
});
const customerParams = z.object({ orgId: z.uuid(), customerId: z.uuid() });
const invoiceParams = z.object({ orgId: z.uuid(), invoiceId: z.uuid() });
const timelineQuery = z.object({ before: z.string().max(300).optional() });

const text = fieldText;

/** A customer's choices as the form states them: the overrides, and up to five escalation contacts. */
function choicesFromForm(body: FormBody, steps: Array<Record<string, unknown>>) {
  return {
    overrides: {
      excluded: body['excluded'] !== undefined,
      doNotContact: body['doNotContact'] !== undefined,
      pausedUntil: text(body, 'pausedUntil') || null,
      segment: text(body, 'segment') || null,
      steps: steps.length > 0 ? steps : null,
      recipients: text(body, 'recipients')
        .split(/[\s,;]+/)
        .filter((email) => email !== ''),
    },
    escalationContacts: [0, 1, 2, 3, 4]
      .map((index) => ({
        name: text(body, `contacts.${index}.name`) || null,
        email: text(body, `contacts.${index}.email`),
      }))
      .filter((contact) => contact.email !== '' || contact.name !== null),
  };
}

/**
 * A customer's page, as asked for or with a refused form kept: the choices form (`form`) or the
 * phone-consent form (`phoneForm`). The caller sets the status (400 for a refused form).
 */
export async function sendCustomerPage(
  ctx: ServiceContext,
  request: FastifyRequest,
  reply: FastifyReply,
  refused: { form?: { values: Record<string, string>; problems: string[] }; phoneForm?: PhoneFormState } = {},
) {
  const { customerId } = parseOr400(customerParams, request.params);
  const { before } = timelineQuery.parse(request.query ?? {});
  const [data, list] = await Promise.all([
    customerPage(ctx, customerId, { before }),
    customerPhonesOf(ctx, customerId),
  ]);
  const frame = pageFrame(request, reply, {
    orgId: ctx.orgId,
    section: 'customers',
    title: data.header.name,
  });
  return sendPage(
    reply,
    pages.customerPage(frame, {
      ...data,
      phones: { list, ...(refused.phoneForm ? { form: refused.phoneForm } : {}) },
      ...(refused.form ? { form: refused.form } : {}),
    }),
  );
}

/** The customers list, a customer's page (history and your choices for them), and an invoice's history. */
export function appCustomerRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/app/:orgId/customers', async (request, reply) => {
      const ctx = personContext(services, request);
      const query = listQuery.parse(request.query ?? {});
      const data = await customersPage(ctx, query);
      const frame = pageFrame(request, reply, { orgId: ctx.orgId, section: 'customers', title: 'Customers' });
      return sendPage(
        reply,
        pages.customersPage(frame, data.overview, query, data.locale, {
          policy: data.policy,
          timeZone: data.timeZone,
        }),
      );
    });

    app.get('/app/:orgId/customers/:customerId', async (request, reply) =>
      sendCustomerPage(personContext(services, request), request, reply),
    );

    app.post('/app/:orgId/customers/:customerId', async (request, reply) => {
      const ctx = personContext(services, request);
      const { customerId } = parseOr400(customerParams, request.params);
      const body = (request.body ?? {}) as FormBody;
      const own = stepsFromLines(text(body, 'ownSchedule'));
      const saved =
        own.problems.length > 0
          ? ({ ok: false, reason: 'invalid', problems: own.problems } as const)
          : await saveCustomerChoices(ctx, customerId, choicesFromForm(body, own.steps));
      if (saved.ok) return reply.redirect(`/app/${ctx.orgId}/customers/${customerId}?done=saved`, 303);
      if (saved.reason === 'not_found') throw notFound('customer');
      const values: Record<string, string> = {};
      for (const [name, value] of Object.entries(body))
        values[name] = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
      return sendCustomerPage(ctx, request, reply.status(400), {
        form: { values, problems: saved.problems },
      });
    });

    app.get('/app/:orgId/invoices/:invoiceId', async (request, reply) => {
      const ctx = personContext(services, request);
      const { invoiceId } = parseOr400(invoiceParams, request.params);
      const { before } = timelineQuery.parse(request.query ?? {});
      const data = await invoicePage(ctx, invoiceId, { before });
      const frame = pageFrame(request, reply, {
        orgId: ctx.orgId,
        section: 'customers',
        title: `Invoice ${data.invoice.number ?? ''}`,
      });
      return sendPage(reply, pages.invoicePage(frame, data));
    });
  };
}
