import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../errors.js';
import {
  organisationProfile,
  organisationSettingsSchema,
  saveOrganisationSettings,
} from '../../../organisations/settings.js';
import type { WebServices } from '../../services.js';
import { sessionOrg } from '../../session.js';

/** The organisation's portal branding, contact details, payment instructions and credit accounts. */
export function organisationSettingsRoutes(services: WebServices) {
  const db = services.ledger.db;
  return async (app: FastifyInstance) => {
    app.get('/api/organisations/:orgId/settings', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const profile = await organisationProfile(db, sessionOrg(request));
      if (!profile) throw new AppError(404, 'not_found', 'No such organisation.');
      return { settings: profile.settings };
    });

    app.put('/api/organisations/:orgId/settings', async (request) => {
      const orgId = sessionOrg(request);
      const parsed = organisationSettingsSchema.safeParse(request.body);
      if (!parsed.success) {
        throw new AppError(400, 'invalid_settings', 'The settings are not valid; nothing was saved.', {
          problems: parsed.error.issues.map((issue) => ({
            path: issue.path.join('.'),
            message: issue.message,
          })),
        });
      }
      await saveOrganisationSettings(db, orgId, parsed.data);
      return { settings: parsed.data };
    });
  };
}
