import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decideFlagFor } from '../../../collections/decide-flag-for.js';
import { flagsWaiting } from '../../../collections/flags-waiting.js';
import { AppError } from '../../../errors.js';
import { accountOf } from '../../context.js';
import type { WebServices } from '../../services.js';

const flagParams = z.object({ id: z.uuid() });
const decisionBody = z.object({
  decision: z.enum(['approved', 'rejected']),
  choice: z.enum(['keep_chasing', 'agency_referral', 'settlement_offer', 'write_off']).optional(),
  /** Why, for the audit trail. */
  reason: z.string().trim().max(500).optional(),
  /** For a settlement: the share to forgive (0.3 is 30 %), instead of the policy's; at most its limit. */
  settlementDiscount: z.number().min(0).max(0.9).optional(),
});

/** Flags waiting for a person, and their decisions; only for the organisations of this session. */
export function flagRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/api/flags', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { flags: await flagsWaiting(accountOf(services, request)) };
    });

    app.post('/api/flags/:id/decision', async (request) => {
      const params = flagParams.safeParse(request.params);
      const body = decisionBody.safeParse(request.body);
      if (!params.success || !body.success)
        throw new AppError(400, 'invalid_request', 'The decision is not valid.');
      const decided = await decideFlagFor(accountOf(services, request), {
        flagId: params.data.id,
        decision: body.data.decision,
        ...(body.data.choice ? { choice: body.data.choice } : {}),
        ...(body.data.reason ? { reason: body.data.reason } : {}),
        ...(body.data.settlementDiscount !== undefined
          ? { settlementDiscount: body.data.settlementDiscount }
          : {}),
      });
      return { id: decided?.id, status: decided?.status, decision: decided?.decision };
    });
  };
}
