import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { changeSummarySubscription } from '../../../reports/change-subscription.js';
import { reviewLinkPath, unsubscribePath, weeklySummaryLinks } from '../../../reports/summary-links.js';
import { summaryUnsubscribeLink } from '../../../reports/unsubscribe-link.js';
import { clock } from '../../context.js';
import type { WebServices } from '../../services.js';
import { summaryLinkProblemPage, unsubscribePage } from '../pages/weekly-summary-pages.js';

const tokenParams = z.object({ token: z.string().min(20).max(600) });
/** RFC 8058 one-click posts `List-Unsubscribe=One-Click`; the page's own forms post `action`. */
const unsubscribeBody = z
  .object({ action: z.enum(['unsubscribe', 'resubscribe']).optional() })
  .loose()
  .optional();

/**
 * The weekly summary's signed links: `/r/<token>` opens the review queue (through sign-in when
 * signed out), and the per-recipient unsubscribe link shows a confirmation on GET and unsubscribes
 * on POST, which is also what a mail client's one-click List-Unsubscribe does (RFC 8058). The
 * unsubscribe path is under /portal/, so its signature, not a session's CSRF token, protects it.
 */
export function weeklySummaryRoutes(services: WebServices) {
  const links = weeklySummaryLinks(services.sessionSecret, services.publicUrl);

  const page = (reply: FastifyReply, status: number, body: string) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex')
      .send(body);

  const linkProblem = (reply: FastifyReply, reason: 'invalid' | 'gone') =>
    page(reply, reason === 'gone' ? 410 : 403, summaryLinkProblemPage(reason));

  return async (app: FastifyInstance) => {
    await app.register(rateLimit, { global: false });
    const config = { rateLimit: { max: 30, timeWindow: '1 minute' } };
    // Some mail clients send the one-click POST as multipart/form-data; its content is not needed.
    app.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'string', bodyLimit: 4_096 },
      (_request, _body, done) => done(null, {}),
    );

    app.get(`${reviewLinkPath}:token`, { config }, async (request, reply) => {
      const params = tokenParams.safeParse(request.params);
      const checked = params.success ? await links.checkReview(params.data.token, clock(services)) : null;
      if (!checked?.ok)
        return page(
          reply,
          checked?.reason === 'expired' ? 410 : 403,
          summaryLinkProblemPage(checked?.reason ?? 'invalid'),
        );
      const target = `/app/${checked.orgId}/review`;
      reply.header('cache-control', 'no-store');
      return request.signedIn
        ? reply.redirect(target, 302)
        : reply.redirect(`/signin?returnTo=${encodeURIComponent(target)}`, 302);
    });

    app.get(`${unsubscribePath}:token`, { config }, async (request, reply) => {
      const params = tokenParams.safeParse(request.params);
      if (!params.success) return linkProblem(reply, 'invalid');
      const found = await summaryUnsubscribeLink(services.ledger, links, params.data.token);
      if (!found.ok) return linkProblem(reply, found.reason);
      const { organisationName, email, unsubscribed } = found;
      const state = email === null ? 'not_on_list' : unsubscribed ? 'unsubscribed' : 'confirm';
      const action = `${unsubscribePath}${params.data.token}`;
      return page(reply, 200, unsubscribePage(organisationName, email, state, action));
    });

    app.post(`${unsubscribePath}:token`, { config }, async (request, reply) => {
      const params = tokenParams.safeParse(request.params);
      if (!params.success) return linkProblem(reply, 'invalid');
      const body = unsubscribeBody.safeParse(request.body);
      const changed = await changeSummarySubscription(services.ledger, links, {
        token: params.data.token,
        action: body.success && body.data?.action === 'resubscribe' ? 'resubscribe' : 'unsubscribe',
        now: clock(services),
      });
      if (!changed.ok) return linkProblem(reply, changed.reason);
      const action = `${unsubscribePath}${params.data.token}`;
      return page(
        reply,
        200,
        unsubscribePage(changed.organisationName, changed.email, changed.state, action),
      );
    });
  };
}
