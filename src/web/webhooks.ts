import type { FastifyInstance } from 'fastify';
import type { Vendor } from '../../connectors/ledger.js';
import { vendorIds } from '../../connectors/vendors.js';
import { connectorFor } from '../connections/connect.js';
import { AppError } from '../errors.js';
import { signatureHeader, timestampHeader, verifySendGridSignature } from '../messaging/sendgrid-events.js';
import { recordSendGridEvents } from '../services/record-sendgrid-events.js';
import { inboxInsert, webhookInboxWriter } from '../sync/webhook-intake.js';
import { deferredChildLogger } from './deferred-logger.js';
import type { WebServices } from './services.js';

const vendors: ReadonlySet<string> = new Set(vendorIds);
const isVendor = (name: string | undefined): name is Vendor => name !== undefined && vendors.has(name);
const webhookBodyLimit = 1_048_576;
/** How long stored events wait for others before one routing job is asked for them all. */
const routeAfterMs = 100;

/**
 * Asks for `request` at most once per `delayMs`, after the call that started the wait: a burst of
 * webhooks costs one job request instead of one each (the job reads the whole inbox), and each
 * event is stored before the request that will route it is made.
 */
export function coalesced(request: () => Promise<void>, delayMs: number, onError: (error: unknown) => void) {
  let waiting = false;
  return () => {
    if (waiting) return;
    waiting = true;
    setTimeout(() => {
      waiting = false;
      request().catch(onError);
    }, delayMs).unref();
  };
}

/**
 * Vendor webhooks: the signature is checked over the raw bytes, verified events go to the inbox,
 * and the answer is immediate (Intuit allows 3 s, Xero 5 s); routing happens in a job.
 */
export function webhookRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    // An event stored but not yet routed (a failed request, a crash in the wait) is routed with the
    // next one, and the daily reconcile reads what it was about in any case.
    const storeEvents = webhookInboxWriter(inboxInsert(services.ledger.pool));
    const routeSoon = coalesced(
      () => services.requests.routeWebhooks(),
      routeAfterMs,
      (error) => app.log.error({ err: error }, 'could not queue the routing of webhook events'),
    );

    // Raw bytes, not parsed JSON, whatever the declared type (CloudEvents batches, a proxy's
    // text/plain): the signature covers the body exactly as sent, and it decides, not the header.
    const keepRawBytes = (_request: unknown, body: Buffer, done: (error: null, body: Buffer) => void) =>
      done(null, body);
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: webhookBodyLimit }, keepRawBytes);

    // SendGrid's signed Event Webhook: bounces retire addresses, unsubscribes and spam reports opt out.
    // Machines read these answers: no browser security headers (helmet) on them.
    app.post('/webhooks/sendgrid', { bodyLimit: webhookBodyLimit, helmet: false }, async (request, reply) => {
      const publicKey = services.sendGridWebhookPublicKey;
      if (publicKey === undefined) {
        throw new AppError(
          404,
          'not_found',
          'SendGrid events are not accepted: SENDGRID_WEBHOOK_PUBLIC_KEY is not set.',
        );
      }
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signed = verifySendGridSignature(
        publicKey,
        body,
        headerText(request.headers[signatureHeader]),
        headerText(request.headers[timestampHeader]),
        new Date(),
      );
      if (!signed) {
        request.log.warn('SendGrid event post with a bad or stale signature refused');
        return reply.status(401).send();
      }
      const taken = await recordSendGridEvents(services.ledger, body);
      if (!taken.ok)
        throw new AppError(400, 'malformed_webhook', `The events could not be read: ${taken.reason}.`);
      request.log.info(
        { events: taken.events, skipped: taken.skipped, ...taken.recorded },
        'SendGrid events received',
      );
      return reply.status(200).send();
    });

    // Vendors post thousands of these: the request and response lines are left out at info, and each
    // post's counts are a debug line. Refusals and failures are still logged at warn and error, by a
    // request logger made only when one of them is written.
    app.post<{ Params: { vendor?: string } }>(
      '/webhooks/:vendor',
      {
        bodyLimit: webhookBodyLimit,
        logLevel: 'warn',
        helmet: false,
        childLoggerFactory: deferredChildLogger,
      },
      async (request, reply) => {
        const vendor = request.params.vendor;
        if (!isVendor(vendor)) throw new AppError(404, 'not_found', 'No webhook here.');
        const connector = connectorFor(services.ledger, vendor);
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = connector.parseWebhook(body, request.headers);
        // Vendors want bare answers: Xero's intent-to-receive checks for 200 / 401 with an empty body.
        if (!result.ok && result.reason === 'signature') {
          request.log.warn({ vendor }, 'webhook with a bad signature refused');
          return reply.status(401).send();
        }
        if (!result.ok) {
          throw new AppError(400, 'malformed_webhook', `The webhook could not be read: ${result.detail}`);
        }
        const stored = await storeEvents(vendor, result.events);
        if (stored > 0) routeSoon();
        // The unreadable events of a batch are logged, not refused: a refused batch would come back
        // whole, good events and all.
        if (result.skipped.count > 0) {
          request.log.warn(
            { vendor, skipped: result.skipped.count, reason: result.skipped.firstReason },
            'webhook events that could not be read were skipped',
          );
        }
        request.log.debug({ vendor, events: result.events.length, new: stored }, 'webhook received');
        return reply.status(200).send();
      },
    );
  };
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
