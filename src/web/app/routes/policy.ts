import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { policyHistory, policyInForce, savePolicy } from '../../../collections/policy-versions.js';
import { AppError } from '../../../errors.js';
import type { WebServices } from '../../services.js';
import { sessionOrg } from '../../session.js';

const saveBody = z.object({ basedOnVersion: z.number().int().min(0), policy: z.unknown() });

/** The collection policy setting: read it, save a new version of it, list its versions. */
export function policyRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/api/organisations/:orgId/policy', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return policyInForce(services.ledger.db, sessionOrg(request));
    });

    app.put('/api/organisations/:orgId/policy', async (request) => {
      const orgId = sessionOrg(request);
      const body = saveBody.safeParse(request.body);
      if (!body.success) {
        throw new AppError(
          400,
          'invalid_request',
          'Send { basedOnVersion, policy }: the version you edited and the new policy.',
        );
      }
      return savePolicy(services.ledger.db, {
        orgId,
        basedOnVersion: body.data.basedOnVersion,
        policy: body.data.policy,
        actor: 'session',
      });
    });

    app.get('/api/organisations/:orgId/policy/versions', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { versions: await policyHistory(services.ledger.db, sessionOrg(request)) };
    });
  };
}
