import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { letterFileName, letterPdf } from '../../../documents/letter-pdf.js';
import { statementFileName, statementPdf } from '../../../documents/statement-pdf.js';
import type { LetterKind } from '../../../statements/letter.js';
import { letterFor } from '../../../statements/letter-for.js';
import { statementOf } from '../../../statements/statement-of.js';
import { personContext } from '../../context.js';
import { parseOr400 } from '../../parse.js';
import type { WebServices } from '../../services.js';
import { pageFrame, sendPage } from '../frame.js';
import { statementPage } from '../pages/statement.js';

const customerParams = z.object({ orgId: z.uuid(), customerId: z.uuid() });
/** The date to issue as of (a kept copy is regenerated with its own date); default today. */
const datedQuery = z.object({
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

function sendPdf(reply: FastifyReply, fileName: string, bytes: Buffer) {
  return reply
    .type('application/pdf')
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .send(bytes);
}

/** A customer's statement of account (page and PDF) and the letters to post them (PDF). */
export function appStatementRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    app.get('/app/:orgId/customers/:customerId/statement', async (request, reply) => {
      const ctx = personContext(services, request);
      const { customerId } = parseOr400(customerParams, request.params);
      const { asOf } = parseOr400(datedQuery, request.query ?? {});
      const statement = await statementOf(ctx, customerId, asOf);
      const frame = pageFrame(request, reply, {
        orgId: ctx.orgId,
        section: 'customers',
        title: `Statement: ${statement.debtor.name}`,
      });
      return sendPage(reply, statementPage(frame, statement));
    });

    app.get('/api/organisations/:orgId/customers/:customerId/statement.pdf', async (request, reply) => {
      const ctx = personContext(services, request);
      const { customerId } = parseOr400(customerParams, request.params);
      const { asOf } = parseOr400(datedQuery, request.query ?? {});
      const statement = await statementOf(ctx, customerId, asOf);
      return sendPdf(reply, statementFileName(statement), await statementPdf(statement));
    });

    const letterRoute = (file: string, kind: LetterKind) =>
      app.get(`/api/organisations/:orgId/customers/:customerId/letters/${file}`, async (request, reply) => {
        const ctx = personContext(services, request);
        const { customerId } = parseOr400(customerParams, request.params);
        const { asOf } = parseOr400(datedQuery, request.query ?? {});
        const letter = await letterFor(ctx, customerId, kind, asOf);
        return sendPdf(reply, letterFileName(letter), await letterPdf(letter));
      });
    letterRoute('demand.pdf', 'demand');
    letterRoute('final-notice.pdf', 'final_notice');
  };
}
