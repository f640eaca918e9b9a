import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { connectorFor } from '../../connections/connect.js';
import { AppError } from '../../errors.js';
import { storeWebhookEvents } from '../../sync/webhook-intake.js';
import type { WebServices } from '../services.js';

const vendorParams = z.object({ vendor: z.enum(['quickbooks', 'xero']) });
const webhookBodyLimit = 1_048_576;

/**
 * Vendor webhooks: the signature is checked over the raw bytes, verified events go to the inbox,
 * and the answer is immediate (Intuit allows 3 s, Xero 5 s); routing happens in a job.
 */
export function webhookRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    // Raw bytes, not parsed JSON: the signature covers the body exactly as sent.
    app.addContentTypeParser(
      ['application/json', 'application/cloudevents+json'],
      { parseAs: 'buffer', bodyLimit: webhookBodyLimit },
      (_request, body, done) => done(null, body),
    );

    app.post('/webhooks/:vendor', { bodyLimit: webhookBodyLimit }, async (request, reply) => {
      const parsed = vendorParams.safeParse(request.params);
      if (!parsed.success) throw new AppError(404, 'not_found', 'No webhook here.');
      const connector = connectorFor(services.ledger, parsed.data.vendor);
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const result = connector.parseWebhook(body, request.headers);
      // Vendors want bare answers: Xero's intent-to-receive checks for 200 / 401 with an empty body.
      if (!result.ok && result.reason === 'signature') {
        request.log.warn({ vendor: parsed.data.vendor }, 'webhook with a bad signature refused');
        return reply.status(401).send();
      }
      if (!result.ok) {
        throw new AppError(400, 'malformed_webhook', `The webhook could not be read: ${result.detail}`);
      }
      const stored = await storeWebhookEvents(services.ledger.db, parsed.data.vendor, result.events);
      if (stored > 0) await services.requests.routeWebhooks();
      request.log.info(
        { vendor: parsed.data.vendor, events: result.events.length, new: stored },
        'webhook received',
      );
      return reply.status(200).send();
    });
  };
}
