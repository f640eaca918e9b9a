import type { FastifyInstance } from 'fastify';
import { organisationOf } from '../../../organisations/organisation-of.js';
import { saveSettings } from '../../../organisations/save-settings.js';
import { personContext } from '../../context.js';
import type { WebServices } from '../../services.js';

/** The organisation's portal branding, contact details, payment instructions and credit accounts. */
export function organisationSettingsRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/api/organisations/:orgId/settings', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const { settings } = await organisationOf(personContext(services, request));
      return { settings };
    });

    app.put('/api/organisations/:orgId/settings', async (request) => ({
      settings: await saveSettings(personContext(services, request), request.body),
    }));
  };
}
