import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { resolveDispute } from '../../../arrangements/disputes.js';
import { decidePaymentPlan } from '../../../arrangements/payment-plans.js';
import { openDisputes, plansAwaitingApproval } from '../../../arrangements/review.js';
import { AppError } from '../../../errors.js';
import { evidenceCsv, evidenceHtml, evidencePack } from '../../../evidence/evidence-pack.js';
import type { WebServices } from '../../services.js';
import { sessionOrg, sessionOrgIds } from '../../session.js';

const idParams = z.object({ id: z.uuid() });
const customerParams = z.object({ orgId: z.uuid(), customerId: z.uuid(), format: z.enum(['csv', 'html']) });
const planDecision = z.object({ decision: z.enum(['approved', 'rejected']) });
const disputeResolution = z.object({ resolution: z.string().trim().min(1).max(1000) });

/** A person's side of the portal: plans to approve, disputes to resolve, and the evidence pack. */
export function arrangementRoutes(services: WebServices) {
  const db = services.ledger.db;
  const now = () => services.now?.() ?? new Date();
  return async (app: FastifyInstance) => {
    app.get('/api/payment-plans', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { plans: await plansAwaitingApproval(db, sessionOrgIds(request)) };
    });

    app.get('/api/disputes', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { disputes: await openDisputes(db, sessionOrgIds(request)) };
    });

    app.post('/api/payment-plans/:id/decision', async (request) => {
      const params = idParams.safeParse(request.params);
      const body = planDecision.safeParse(request.body);
      if (!params.success || !body.success)
        throw new AppError(400, 'invalid_request', 'The decision is not valid.');
      const plan = await decidePaymentPlan(db, {
        orgIds: sessionOrgIds(request),
        planId: params.data.id,
        decision: body.data.decision,
        actor: 'session',
        now: now(),
      });
      return { id: plan?.id, status: plan?.status };
    });

    app.post('/api/disputes/:id/resolution', async (request) => {
      const params = idParams.safeParse(request.params);
      const body = disputeResolution.safeParse(request.body);
      if (!params.success || !body.success)
        throw new AppError(400, 'invalid_request', 'Say how the dispute was resolved.');
      const dispute = await resolveDispute(db, {
        orgIds: sessionOrgIds(request),
        disputeId: params.data.id,
        resolution: body.data.resolution,
        actor: 'session',
        now: now(),
      });
      return { id: dispute?.id, status: dispute?.status };
    });

    app.get('/api/organisations/:orgId/customers/:customerId/evidence.:format', async (request, reply) => {
      const orgId = sessionOrg(request);
      const params = customerParams.safeParse(request.params);
      if (!params.success) throw new AppError(404, 'not_found', 'No such customer.');
      const pack = await evidencePack(db, orgId, params.data.customerId);
      if (!pack) throw new AppError(404, 'not_found', 'No such customer.');
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
