import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ArrangementRequest } from '../../arrangements/arrangement-request.js';
import { type DebtorScope, openInvoicesOf } from '../../arrangements/debtor-invoices.js';
import { disputeReasons, openDispute } from '../../arrangements/disputes.js';
import { requestPaymentPlan } from '../../arrangements/payment-plans.js';
import { makePromise } from '../../arrangements/promises.js';
import { ArrangementInputError } from '../../arrangements/proposals.js';
import { acceptSettlement } from '../../arrangements/settlements.js';
import type { PortalLinkCheck } from '../../domain/portal-links.js';
import { optOutCustomer } from '../../messaging/opt-out.js';
import { organisationProfile } from '../../organisations/settings.js';
import { paymentLinkOf } from '../../portal/payment-link.js';
import { loadPortal } from '../../portal/portal-data.js';
import type { WebServices } from '../services.js';
import { type Confirmation, confirmations, linkProblemPage, optOutPage, portalPage } from './page.js';

const invoiceList = z
  .union([z.uuid(), z.array(z.uuid())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
const promiseForm = z.object({ promisedDate: z.string().max(10), invoice: invoiceList });
const planForm = z.object({
  installments: z.coerce.number().int(),
  firstDate: z.string().max(10),
  invoice: invoiceList,
});
const disputeForm = z.object({
  reason: z.enum(Object.keys(disputeReasons) as [keyof typeof disputeReasons]),
  message: z.string().max(5000),
  invoice: invoiceList,
});
const tokenParams = z.object({ token: z.string().min(20).max(600) });
const settlementParams = tokenParams.extend({ id: z.uuid() });
const payParams = tokenParams.extend({ invoiceId: z.uuid() });

type FormName = 'promise' | 'plan' | 'dispute' | 'settlement';
type ActionContext = Omit<ArrangementRequest, 'invoiceIds'> & { notifyEmail: string | null };

/**
 * The debtor portal: one page per signed link, no login. Every read and write is scoped to the
 * organisation and debtor the signature names. Forms post back to the same signed path, so a forged
 * cross-site form would need the secret link itself (it is the credential, and it never leaves in a
 * Referer: helmet's policy is no-referrer).
 */
export function portalRoutes(services: WebServices) {
  const db = services.ledger.db;
  const now = () => services.now?.() ?? new Date();
  return async (app: FastifyInstance) => {
    // RFC 8058 one-click unsubscribes may arrive as multipart/form-data; only the path matters.
    app.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'string', bodyLimit: 4_096 },
      (_request, _body, done) => done(null, {}),
    );
    await app.register(rateLimit, { global: false });
    const config = { rateLimit: { max: services.portalRequestsPerMinute ?? 60, timeWindow: '1 minute' } };

    const pageHeaders = (reply: FastifyReply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex')
        .header(
          'content-security-policy',
          "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        );

    /** The debtor the link names, or null once the page for a bad link has been sent. */
    async function open(request: FastifyRequest, reply: FastifyReply) {
      const params = tokenParams.safeParse(request.params);
      const checked: PortalLinkCheck = params.success
        ? await services.portal.check(params.data.token, now())
        : { ok: false, reason: 'invalid' };
      if (checked.ok && params.success)
        return {
          token: params.data.token,
          scope: { orgId: checked.orgId, customerId: checked.customerId },
          expiresAt: checked.expiresAt,
        };
      if (checked.ok) return null;
      const organisation = checked.reason === 'expired' ? await organisationProfile(db, checked.orgId) : null;
      await pageHeaders(reply)
        .code(checked.reason === 'expired' ? 410 : 403)
        .send(linkProblemPage(checked.reason, organisation));
      return null;
    }

    async function render(
      reply: FastifyReply,
      link: { token: string; scope: DebtorScope; expiresAt: Date },
      state: {
        done: Confirmation | null;
        error: { form: FormName; message: string; status: 400 | 409 } | null;
      },
    ) {
      const data = await loadPortal(db, link.scope, now());
      if (!data) return pageHeaders(reply).code(410).send(linkProblemPage('expired', null));
      return pageHeaders(reply)
        .code(state.error ? state.error.status : 200)
        .send(portalPage(data, { token: link.token, expiresAt: link.expiresAt, ...state }));
    }

    /** Runs a portal action: on success back to the page with a confirmation (303), else the page with the problem. */
    async function act(
      request: FastifyRequest,
      reply: FastifyReply,
      form: FormName,
      run: (link: { scope: DebtorScope }, context: ActionContext) => Promise<Confirmation>,
    ) {
      const link = await open(request, reply);
      if (!link) return reply;
      const context = await actionContext(link.scope);
      if (!context) return pageHeaders(reply).code(410).send(linkProblemPage('expired', null));
      try {
        const done = await run(link, context);
        return reply
          .code(303)
          .header('cache-control', 'no-store')
          .redirect(`/portal/${link.token}?done=${done}`, 303);
      } catch (error) {
        if (error instanceof ArrangementInputError)
          return render(reply, link, {
            done: null,
            error: { form, message: error.message, status: error.status },
          });
        if (error instanceof z.ZodError)
          return render(reply, link, {
            done: null,
            error: { form, message: 'Please check the form and try again.', status: 400 },
          });
        throw error;
      }
    }

    async function actionContext(scope: DebtorScope): Promise<ActionContext | null> {
      const data = await loadPortal(db, scope, now());
      if (!data) return null;
      return {
        ...scope,
        source: 'portal' as const,
        actor: 'debtor',
        now: now(),
        today: data.today,
        limits: data.limits,
        notifyEmail: data.organisation.settings.notifyEmail,
      };
    }

    app.get('/portal/:token', { config }, async (request, reply) => {
      const link = await open(request, reply);
      if (!link) return reply;
      const done = z
        .enum(Object.keys(confirmations) as [Confirmation])
        .safeParse((request.query as { done?: string }).done);
      return render(reply, link, { done: done.success ? done.data : null, error: null });
    });

    // "Pay now": to the ledger's own payment page for the invoice, or to how to pay when it has none.
    app.get('/portal/:token/pay/:invoiceId', { config }, async (request, reply) => {
      const link = await open(request, reply);
      if (!link) return reply;
      const params = payParams.safeParse(request.params);
      const invoice = params.success
        ? (await openInvoicesOf(db, link.scope)).find((candidate) => candidate.id === params.data.invoiceId)
        : undefined;
      const url = invoice ? await paymentLinkOf(services.ledger, invoice) : null;
      reply.header('cache-control', 'no-store');
      return url
        ? reply.redirect(url, 303)
        : reply.redirect(`/portal/${link.token}?done=no-link#how-to-pay`, 303);
    });

    // The List-Unsubscribe link of every reminder (RFC 8058 one-click posts to it too).
    app.get('/portal/:token/opt-out', { config }, async (request, reply) => {
      const link = await open(request, reply);
      if (!link) return reply;
      const data = await loadPortal(db, link.scope, now());
      if (!data) return pageHeaders(reply).code(410).send(linkProblemPage('expired', null));
      return pageHeaders(reply).send(
        optOutPage(data.organisation, data.customer.name, {
          action: `/portal/${link.token}/opt-out`,
          done: false,
        }),
      );
    });

    app.post('/portal/:token/opt-out', { config }, async (request, reply) => {
      const link = await open(request, reply);
      if (!link) return reply;
      const data = await loadPortal(db, link.scope, now());
      if (!data) return pageHeaders(reply).code(410).send(linkProblemPage('expired', null));
      await optOutCustomer(db, link.scope, {
        at: now(),
        summary: `${data.customer.name} stopped reminder emails from the link in a reminder; no further automatic emails will be sent.`,
        details: { via: 'unsubscribe link' },
      });
      return pageHeaders(reply).send(
        optOutPage(data.organisation, data.customer.name, {
          action: `/portal/${link.token}/opt-out`,
          done: true,
        }),
      );
    });

    app.post('/portal/:token/promise', { config }, (request, reply) =>
      act(request, reply, 'promise', async (_link, context) => {
        const form = promiseForm.parse(request.body);
        await makePromise(db, { ...context, invoiceIds: form.invoice, promisedDate: form.promisedDate });
        return 'promise';
      }),
    );

    app.post('/portal/:token/plan', { config }, (request, reply) =>
      act(request, reply, 'plan', async (_link, context) => {
        const form = planForm.parse(request.body);
        const plan = await requestPaymentPlan(db, {
          ...context,
          invoiceIds: form.invoice,
          installmentCount: form.installments,
          firstDate: form.firstDate,
        });
        return plan.status === 'active' ? 'plan' : 'plan-requested';
      }),
    );

    app.post('/portal/:token/dispute', { config }, (request, reply) =>
      act(request, reply, 'dispute', async (_link, context) => {
        const form = disputeForm.parse(request.body);
        await openDispute(db, {
          ...context,
          invoiceIds: form.invoice,
          reason: form.reason,
          message: form.message,
        });
        return 'dispute';
      }),
    );

    app.post('/portal/:token/settlements/:id/accept', { config }, (request, reply) =>
      act(request, reply, 'settlement', async (link, context) => {
        const { id } = settlementParams.parse(request.params);
        await acceptSettlement(db, { ...link.scope, settlementId: id, actor: 'debtor', now: context.now });
        return 'settlement';
      }),
    );
  };
}
