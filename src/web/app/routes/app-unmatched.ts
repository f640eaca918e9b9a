import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../errors.js';
import { assignUnmatched, dismissUnmatched } from '../../../replies/resolve-unmatched.js';
import { unmatchedPage } from '../../../replies/unmatched-page.js';
import { personContext } from '../../context.js';
import { parseOr400 } from '../../parse.js';
import type { WebServices } from '../../services.js';
import { pageFrame, sendPage } from '../frame.js';
import { unmatchedPageView } from '../pages/unmatched.js';

const pageQuery = z.object({ q: z.string().max(100).default('') });
const decision = z.object({
  message: z.string().regex(/^(email|text):[0-9a-f-]{36}$/, 'the message is not one of the list'),
  act: z.string().regex(/^(assign|dismiss|likely:[0-9a-f-]{36})$/, 'no such choice'),
  customerId: z.string().max(36).default(''),
});

/**
 * The organisation's unmatched messages (emails and texts Dunwell could not tie to a customer): each
 * recorded as a customer's reply in one click, or dismissed. Every message and customer is looked up
 * within the path's organisation: another's is the same 404 as a missing one.
 */
export function appUnmatchedRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/app/:orgId/unmatched', async (request, reply) => {
      const ctx = personContext(services, request);
      const query = parseOr400(pageQuery, request.query ?? {});
      const data = await unmatchedPage(ctx, query.q);
      const frame = pageFrame(request, reply, {
        orgId: ctx.orgId,
        section: 'review',
        title: 'Unmatched messages',
      });
      return sendPage(reply, unmatchedPageView(frame, data));
    });

    app.post('/app/:orgId/unmatched', async (request, reply) => {
      const ctx = personContext(services, request);
      const body = parseOr400(decision, request.body ?? {});
      const [kind, id = ''] = body.message.split(':') as ['email' | 'text', string];
      if (body.act === 'dismiss') {
        await dismissUnmatched(ctx, { kind, id });
        return reply.redirect(`/app/${ctx.orgId}/unmatched?done=decided`, 303);
      }
      const customerId = body.act.startsWith('likely:') ? body.act.slice('likely:'.length) : body.customerId;
      if (!customerId) throw new AppError(400, 'invalid_request', 'Choose the customer it is from.');
      await assignUnmatched(ctx, { kind, id, customerId });
      // The reply holds their chasing: the organisation is planned again now, not within the hour.
      await services.requests.evaluate?.(ctx.orgId);
      return reply.redirect(`/app/${ctx.orgId}/unmatched?done=decided`, 303);
    });
  };
}
