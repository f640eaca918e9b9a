import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfTokenFor, signedInUser } from '../session.js';
import type { PageFrame, Section } from './pages/layout.js';

const notices: Record<string, PageFrame['notice']> = {
  saved: { kind: 'ok', text: 'Saved.' },
  connected: { kind: 'ok', text: 'Connected. The first sync is running; figures fill in as it goes.' },
  disconnected: {
    kind: 'info',
    text: 'Disconnected. Nothing is sent or written until you reconnect; your data is kept for 30 days.',
  },
  reset: { kind: 'ok', text: 'The template is back to Dunwell’s default.' },
  decided: { kind: 'ok', text: 'Done.' },
};

/** What every signed-in page shows around its content: navigation, organisations, the CSRF token. */
export function pageFrame(
  request: FastifyRequest,
  reply: FastifyReply,
  page: { orgId: string; section: Section; title: string },
): PageFrame {
  const user = signedInUser(request);
  const query = request.query as Record<string, unknown>;
  const done =
    typeof query['done'] === 'string'
      ? query['done']
      : typeof query['connected'] === 'string'
        ? 'connected'
        : null;
  reply.header('cache-control', 'no-store');
  return {
    ...page,
    organisations: user.organisations,
    email: user.email,
    csrfToken: csrfTokenFor(request, reply),
    notice: done ? (notices[done] ?? null) : null,
  };
}

/** Sends a page as HTML. */
export function sendPage(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('text/html; charset=utf-8').send(body);
}
