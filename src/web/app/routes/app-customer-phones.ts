import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { recordOwnerConsent } from '../../../customers/customer-phones.js';
import { notFound } from '../../../errors.js';
import { personContext } from '../../context.js';
import { parseOr400 } from '../../parse.js';
import type { WebServices } from '../../services.js';
import { fieldText } from '../forms/form-fields.js';
import type { FormBody } from '../forms/schedule-form.js';
import { sendCustomerPage } from './app-customers.js';

const customerParams = z.object({ orgId: z.uuid(), customerId: z.uuid() });

/** The owner records a customer's mobile number with the consent they hold (in writing or by word of mouth). */
export function appCustomerPhoneRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    app.post('/app/:orgId/customers/:customerId/phones', async (request, reply) => {
      const ctx = personContext(services, request);
      const { customerId } = parseOr400(customerParams, request.params);
      const body = (request.body ?? {}) as FormBody;
      const values = {
        phone: fieldText(body, 'phone'),
        source: fieldText(body, 'source'),
        how: fieldText(body, 'how'),
      };
      const recorded = await recordOwnerConsent(ctx, customerId, values);
      if (recorded.ok) return reply.redirect(`/app/${ctx.orgId}/customers/${customerId}#texts`, 303);
      if (recorded.reason === 'not_found') throw notFound('customer');
      return sendCustomerPage(ctx, request, reply.status(400), {
        phoneForm: { values, problems: recorded.problems },
      });
    });
  };
}
