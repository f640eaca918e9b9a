import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { reviewLinkPath, unsubscribePath, weeklySummaryLinks } from '../../../reports/summary-links.js';
import {
  resubscribeToSummary,
  unsubscribeFromSummary,
  unsubscribeLinkTarget,
} from '../../../reports/weekly-summary-settings.js';
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
  const db = services.ledger.db;
  const links = weeklySummaryLinks(services.sessionSecret, services.publicUrl);
  const now = () => services.now?.() ?? new Date();

  const page = (reply: FastifyReply, status: number, body: string) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-robots-tag', 'noindex')
      .send(body);

  /** The organisation and address a signed unsubscribe link names, or null once a page was sent. */
  async function recipientOf(request: FastifyRequest, reply: FastifyReply) {
    const params = tokenParams.safeParse(request.params);
    const target = params.success ? await unsubscribeLinkTarget(db, links, params.data.token) : null;
    if (!params.success || !target?.ok) {
      const gone = target?.ok === false && target.reason === 'gone';
      await page(reply, gone ? 410 : 403, summaryLinkProblemPage(gone ? 'gone' : 'invalid'));
      return null;
    }
    return { ...target, action: `${unsubscribePath}${params.data.token}` };
  }

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
      const checked = params.success ? await links.checkReview(params.data.token, now()) : null;
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
      const found = await recipientOf(request, reply);
      if (!found) return reply;
      const { organisationName, email, unsubscribed, action } = found;
      const state = email === null ? 'not_on_list' : unsubscribed ? 'unsubscribed' : 'confirm';
      return page(reply, 200, unsubscribePage(organisationName, email, state, action));
    });

    app.post(`${unsubscribePath}:token`, { config }, async (request, reply) => {
      const found = await recipientOf(request, reply);
      if (!found) return reply;
      const { orgId, organisationName, email, action } = found;
      if (email === null)
        return page(reply, 200, unsubscribePage(organisationName, null, 'not_on_list', action));
      const body = unsubscribeBody.safeParse(request.body);
      if (body.success && body.data?.action === 'resubscribe') {
        await resubscribeToSummary(db, orgId, email, now());
        return page(reply, 200, unsubscribePage(organisationName, email, 'resubscribed', action));
      }
      await unsubscribeFromSummary(db, orgId, email, now());
      return page(reply, 200, unsubscribePage(organisationName, email, 'unsubscribed', action));
    });
  };
}
