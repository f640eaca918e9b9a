import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { disputeReasons } from '../../arrangements/disputes.js';
import { ArrangementInputError } from '../../arrangements/proposals.js';
import { statementFileName, statementPdf } from '../../documents/statement-pdf.js';
import type { PortalLinkCheck } from '../../domain/portal-links.js';
import { AppError } from '../../errors.js';
import { portalTexts, stopTextsFromPortal, textMeFromPortal } from '../../messaging/sms/portal-texts.js';
import { acceptOffer } from '../../portal/accept-offer.js';
import { askForPlan } from '../../portal/ask-for-plan.js';
import { linkOrganisation } from '../../portal/link-organisation.js';
import { paymentLinkFor } from '../../portal/payment-link-for.js';
import { portalOf } from '../../portal/portal-of.js';
import { promiseToPay } from '../../portal/promise-to-pay.js';
import { raiseDispute } from '../../portal/raise-dispute.js';
import { stopReminders } from '../../portal/stop-reminders.js';
import type { DebtorContext } from '../../services/context.js';
import { debtorStatement } from '../../statements/statement-of.js';
import { clock, debtorContextOf } from '../context.js';
import type { WebServices } from '../services.js';
import { type Confirmation, confirmations, linkProblemPage, optOutPage, portalPage } from './page.js';
import { portalStatementPage } from './statement-page.js';
import { textMeProblems } from './text-me.js';

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
const textMeForm = z.object({ phone: z.string().max(40).catch(''), agree: z.string().max(10).optional() });
const payParams = tokenParams.extend({ invoiceId: z.uuid() });

type FormName = 'promise' | 'plan' | 'dispute' | 'settlement';
/** A checked link: its token, the debtor acting (read at the moment it was checked), and its expiry. */
type OpenLink = { token: string; ctx: DebtorContext; expiresAt: Date };

/**
 * The debtor portal: one page per signed link, no login. Every read and write is scoped to the
 * organisation and debtor the signature names. Forms post back to the same signed path, so a forged
 * cross-site form would need the secret link itself (it is the credential, and it never leaves in a
 * Referer: helmet's policy is no-referrer).
 */
export function portalRoutes(services: WebServices) {
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
    const gone = (reply: FastifyReply) => pageHeaders(reply).code(410).send(linkProblemPage('expired', null));

    /** The debtor the link names, or null once the page for a bad link has been sent. */
    async function open(request: FastifyRequest, reply: FastifyReply): Promise<OpenLink | null> {
      const now = clock(services);
      const params = tokenParams.safeParse(request.params);
      const checked: PortalLinkCheck = params.success
        ? await services.portal.check(params.data.token, now)
        : { ok: false, reason: 'invalid' };
      if (checked.ok && params.success)
        return {
          token: params.data.token,
          ctx: debtorContextOf(services, checked, now),
          expiresAt: checked.expiresAt,
        };
      if (checked.ok) return null;
      const organisation =
        checked.reason === 'expired' ? await linkOrganisation(debtorContextOf(services, checked, now)) : null;
      await pageHeaders(reply)
        .code(checked.reason === 'expired' ? 410 : 403)
        .send(linkProblemPage(checked.reason, organisation));
      return null;
    }

    async function render(
      reply: FastifyReply,
      link: OpenLink,
      state: {
        done: Confirmation | null;
        error: { form: FormName; message: string; status: 400 | 409 } | null;
        /** A refused "text me": what was typed and why. */
        textMe?: { typed: string; error: string };
      },
    ) {
      const data = await portalOf(link.ctx);
      if (!data) return gone(reply);
      const { textMe, ...rest } = state;
      const texts = services.sms ? { texts: await portalTexts(link.ctx), ...textMe } : null;
      return pageHeaders(reply)
        .code(state.error ? state.error.status : textMe ? 400 : 200)
        .send(portalPage(data, { token: link.token, expiresAt: link.expiresAt, ...rest, texts }));
    }

    /** Runs a portal action: on success back to the page with a confirmation (303), else the page with the problem. */
    async function act(
      request: FastifyRequest,
      reply: FastifyReply,
      form: FormName,
      run: (ctx: DebtorContext) => Promise<Confirmation>,
    ) {
      const link = await open(request, reply);
      if (!link) return reply;
      try {
        const done = await run(link.ctx);
        return reply
          .code(303)
          .header('cache-control', 'no-store')
          .redirect(`/portal/${link.token}?done=${done}`, 303);
      } catch (error) {
        if (error instanceof AppError && error.code === 'debtor_gone') return gone(reply);
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

    app.get('/portal/:token', { config }, async (request, reply) => {
      const link = await open(request, reply);
      if (!link) return reply;
      const done = z
        .enum(Object.keys(confirmations) as [Confirmation])
        .safeParse((request.query as { done?: string }).done);
      return render(reply, link, { done: done.success ? done.data : null, error: null });
    });

    // The debtor's statement of account, as a page and as a PDF copy.
    app.get('/portal/:token/statement', { config }, async (request, reply) => {
      const link = await open(request, reply);
      if (!link) return reply;
      const statement = await debtorStatement(link.ctx);
      if (!statement) return gone(reply);
      return pageHeaders(reply).send(portalStatementPage(statement, link));
    });

    app.get('/portal/:token/statement.pdf', { config }, async (request, reply) => {
      const link = await open(request, reply);
      if (!link) return reply;
      const statement = await debtorStatement(link.ctx);
      if (!statement) return gone(reply);
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex')
        .header('content-disposition', `attachment; filename="${statementFileName(statement)}"`)
        .send(await statementPdf(statement));
    });

    // "Pay now": to the ledger's own payment page for the invoice, or to how to pay when it has none.
    app.get('/portal/:token/pay/:invoiceId', { config }, async (request, reply) => {
      const link = await open(request, reply);
      if (!link) return reply;
      const params = payParams.safeParse(request.params);
      const url = params.success
        ? await paymentLinkFor(link.ctx, services.ledger, params.data.invoiceId)
        : null;
      reply.header('cache-control', 'no-store');
      return url
        ? reply.redirect(url, 303)
        : reply.redirect(`/portal/${link.token}?done=no-link#how-to-pay`, 303);
    });

    // The List-Unsubscribe link of every reminder (RFC 8058 one-click posts to it too).
    app.get('/portal/:token/opt-out', { config }, async (request, reply) => {
      const link = await open(request, reply);
      if (!link) return reply;
      const data = await portalOf(link.ctx);
      if (!data) return gone(reply);
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
      const stopped = await stopReminders(link.ctx);
      if (!stopped) return gone(reply);
      return pageHeaders(reply).send(
        optOutPage(stopped.organisation, stopped.customerName, {
          action: `/portal/${link.token}/opt-out`,
          done: true,
        }),
      );
    });

    // "Text me": the debtor's mobile number with their consent; a refusal keeps what they typed.
    app.post('/portal/:token/texts', { config }, async (request, reply) => {
      if (!services.sms) throw new AppError(404, 'not_found', 'Text messages are not offered here.');
      const link = await open(request, reply);
      if (!link) return reply;
      const form = textMeForm.parse(request.body ?? {});
      const result = await textMeFromPortal(link.ctx, { phone: form.phone, agreed: form.agree === 'yes' });
      if (result.ok)
        return reply.header('cache-control', 'no-store').redirect(`/portal/${link.token}?done=texts-on`, 303);
      if (result.reason === 'no_customer') return gone(reply);
      return render(reply, link, {
        done: null,
        error: null,
        textMe: { typed: form.phone, error: textMeProblems[result.reason] },
      });
    });

    app.post('/portal/:token/texts/stop', { config }, async (request, reply) => {
      if (!services.sms) throw new AppError(404, 'not_found', 'Text messages are not offered here.');
      const link = await open(request, reply);
      if (!link) return reply;
      await stopTextsFromPortal(link.ctx);
      return reply.header('cache-control', 'no-store').redirect(`/portal/${link.token}?done=texts-off`, 303);
    });

    app.post('/portal/:token/promise', { config }, (request, reply) =>
      act(request, reply, 'promise', async (ctx) => {
        const form = promiseForm.parse(request.body);
        await promiseToPay(ctx, { invoiceIds: form.invoice, promisedDate: form.promisedDate });
        return 'promise';
      }),
    );

    app.post('/portal/:token/plan', { config }, (request, reply) =>
      act(request, reply, 'plan', async (ctx) => {
        const form = planForm.parse(request.body);
        const plan = await askForPlan(ctx, {
          invoiceIds: form.invoice,
          installmentCount: form.installments,
          firstDate: form.firstDate,
        });
        return plan.status === 'active' ? 'plan' : 'plan-requested';
      }),
    );

    app.post('/portal/:token/dispute', { config }, (request, reply) =>
      act(request, reply, 'dispute', async (ctx) => {
        const form = disputeForm.parse(request.body);
        await raiseDispute(ctx, { invoiceIds: form.invoice, reason: form.reason, message: form.message });
        return 'dispute';
      }),
    );

    app.post('/portal/:token/settlements/:id/accept', { config }, (request, reply) =>
      act(request, reply, 'settlement', async (ctx) => {
        const { id } = settlementParams.parse(request.params);
        await acceptOffer(ctx, id);
        return 'settlement';
      }),
    );
  };
}
