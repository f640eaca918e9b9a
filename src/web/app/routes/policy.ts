import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { currentPolicy } from '../../../collections/current-policy.js';
import { policyHistoryOf } from '../../../collections/policy-history-of.js';
import { savePolicyVersion } from '../../../collections/save-policy-version.js';
import { AppError } from '../../../errors.js';
import { personContext } from '../../context.js';
import type { WebServices } from '../../services.js';

const saveBody = z.object({ basedOnVersion: z.number().int().min(0), policy: z.unknown() });

/** The collection policy setting: read it, save a new version of it, list its versions. */
export function policyRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/api/organisations/:orgId/policy', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return currentPolicy(personContext(services, request));
    });

    app.put('/api/organisations/:orgId/policy', async (request) => {
      const ctx = personContext(services, request);
      const body = saveBody.safeParse(request.body);
      if (!body.success) {
        throw new AppError(
          400,
          'invalid_request',
          'Send { basedOnVersion, policy }: the version you edited and the new policy.',
        );
      }
      return savePolicyVersion(ctx, { basedOnVersion: body.data.basedOnVersion, policy: body.data.policy });
    });

    app.get('/api/organisations/:orgId/policy/versions', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { versions: await policyHistoryOf(personContext(services, request)) };
    });
  };
}
