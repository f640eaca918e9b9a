import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { customerForecastPage, forecastPage } from '../../../forecast/forecast-page.js';
import { personContext } from '../../context.js';
import { parseOr400 } from '../../parse.js';
import type { WebServices } from '../../services.js';
import { pageFrame, sendPage } from '../frame.js';
import * as pages from '../pages/forecast.js';

const customerParams = z.object({ orgId: z.uuid(), customerId: z.uuid() });

/** The 30-day forecast: the organisation's, and one customer's. */
export function appForecastRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/app/:orgId/forecast', async (request, reply) => {
      const ctx = personContext(services, request);
      const data = await forecastPage(ctx);
      const frame = pageFrame(request, reply, { orgId: ctx.orgId, section: 'forecast', title: 'Forecast' });
      return sendPage(reply, pages.forecastPage(frame, data));
    });

    app.get('/app/:orgId/customers/:customerId/forecast', async (request, reply) => {
      const ctx = personContext(services, request);
      const { customerId } = parseOr400(customerParams, request.params);
      const data = await customerForecastPage(ctx, customerId);
      const frame = pageFrame(request, reply, {
        orgId: ctx.orgId,
        section: 'customers',
        title: `Forecast for ${data.customer?.name ?? ''}`,
      });
      return sendPage(reply, pages.forecastPage(frame, data));
    });
  };
}
