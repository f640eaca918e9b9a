import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decidePlan } from '../../../arrangements/decide-plan.js';
import { disputesToResolve } from '../../../arrangements/disputes-to-resolve.js';
import { plansToApprove } from '../../../arrangements/plans-to-approve.js';
import { settleDispute } from '../../../arrangements/settle-dispute.js';
import { AppError, notFound } from '../../../errors.js';
import { evidenceOf } from '../../../evidence/evidence-of.js';
import { evidenceCsv, evidenceHtml } from '../../../evidence/evidence-pack.js';
import { accountOf, personContext } from '../../context.js';
import type { WebServices } from '../../services.js';

const idParams = z.object({ id: z.uuid() });
const customerParams = z.object({ orgId: z.uuid(), customerId: z.uuid(), format: z.enum(['csv', 'html']) });
const planDecision = z.object({ decision: z.enum(['approved', 'rejected']) });
const disputeResolution = z.object({ resolution: z.string().trim().min(1).max(1000) });

/** A person's side of the portal: plans to approve, disputes to resolve, and the evidence pack. */
export function arrangementRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/api/payment-plans', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { plans: await plansToApprove(accountOf(services, request)) };
    });

    app.get('/api/disputes', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { disputes: await disputesToResolve(accountOf(services, request)) };
    });

    app.post('/api/payment-plans/:id/decision', async (request) => {
      const params = idParams.safeParse(request.params);
      const body = planDecision.safeParse(request.body);
      if (!params.success || !body.success)
        throw new AppError(400, 'invalid_request', 'The decision is not valid.');
      const plan = await decidePlan(accountOf(services, request), {
        planId: params.data.id,
        decision: body.data.decision,
      });
      return { id: plan?.id, status: plan?.status };
    });

    app.post('/api/disputes/:id/resolution', async (request) => {
      const params = idParams.safeParse(request.params);
      const body = disputeResolution.safeParse(request.body);
      if (!params.success || !body.success)
        throw new AppError(400, 'invalid_request', 'Say how the dispute was resolved.');
      const dispute = await settleDispute(accountOf(services, request), {
        disputeId: params.data.id,
        resolution: body.data.resolution,
      });
      return { id: dispute?.id, status: dispute?.status };
    });

    app.get('/api/organisations/:orgId/customers/:customerId/evidence.:format', async (request, reply) => {
      const ctx = personContext(services, request);
      const params = customerParams.safeParse(request.params);
      if (!params.success) throw notFound('customer');
      const pack = await evidenceOf(ctx, params.data.customerId);
      reply.header('cache-control', 'no-store');
      if (params.data.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="evidence-${params.data.customerId}.csv"`)
          .send(evidenceCsv(pack));
      }
      return reply.type('text/html; charset=utf-8').send(evidenceHtml(pack));
    });
  };
}
