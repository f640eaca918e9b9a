import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { receiveInboundText } from '../messaging/sms/inbound.js';
import { twilioSignatureHeader, verifyTwilioSignature } from '../messaging/sms/signature.js';
import { smsInboundPath, smsStatusCallbackPath } from '../messaging/sms/sms-deps.js';
import { recordSmsStatus } from '../messaging/sms/status-callbacks.js';
import { twimlReply } from '../messaging/sms/twiml.js';
import type { WebServices } from './services.js';

/** Largest webhook body taken: a text is at most 1,600 characters, its parameters a few hundred bytes more. */
export const smsWebhookLimit = 16_384;

/**
 * Twilio's webhooks: incoming texts (answered with TwiML) and status callbacks of sent texts. Each is
 * checked for X-Twilio-Signature over the public URL Twilio was given and the form parameters: a
 * missing or wrong one is refused with 403, before anything is stored. A body that is not
 * form-encoded, or lacks what Twilio always sends, gets a 400. Without SMS configured, 404.
 */
export function smsWebhookRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: smsWebhookLimit },
      (_request, body, done) => done(null, body),
    );
    app.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: smsWebhookLimit },
      (_request, _body, done) =>
        done(
          new AppError(
            400,
            'malformed_webhook',
            'A Twilio webhook is posted as application/x-www-form-urlencoded.',
          ),
          undefined,
        ),
    );

    const options = { bodyLimit: smsWebhookLimit, helmet: false as const, logLevel: 'warn' as const };

    app.post(smsInboundPath, options, async (request, reply) => {
      const params = signedParams(services, request);
      const received = await receiveInboundText(
        services.ledger,
        params,
        (services.now ?? (() => new Date()))(),
      );
      if (!received.ok)
        throw new AppError(
          400,
          'malformed_webhook',
          `The incoming text could not be read: ${received.reason}.`,
        );
      // Stored, so answered 200 all the same: the provider does not retry an incoming text's webhook,
      // and the sms.process-inbound job acts on what was stored but not acted on.
      if (received.processed === 'failed')
        request.log.error(
          { err: received.failure, inboundSms: received.id },
          'incoming text stored but not acted on; the sms.process-inbound job retries it',
        );
      request.log.info(
        {
          inboundSms: received.id,
          keyword: received.keyword,
          duplicate: received.duplicate,
          processed: received.processed,
        },
        'text received',
      );
      return reply.status(200).type('text/xml').send(twimlReply(received.reply));
    });

    app.post(smsStatusCallbackPath, options, async (request, reply) => {
      const params = signedParams(services, request);
      const smsId = (request.query as { sms?: unknown }).sms;
      const recorded = await recordSmsStatus(
        services.ledger,
        params,
        (services.now ?? (() => new Date()))(),
        typeof smsId === 'string' ? smsId : undefined,
      );
      if (!recorded.ok)
        throw new AppError(
          400,
          'malformed_webhook',
          `The status callback could not be read: ${recorded.reason}.`,
        );
      return reply.status(200).send();
    });
  };
}

/** The form parameters of a request Twilio signed; 404 without SMS, 400 unreadable, 403 unsigned. */
function signedParams(services: WebServices, request: FastifyRequest): Record<string, string> {
  const authToken = services.sms?.authToken;
  if (authToken === undefined) throw new AppError(404, 'not_found', 'Text messages are not configured here.');
  if (typeof request.body !== 'string')
    throw new AppError(
      400,
      'malformed_webhook',
      'A Twilio webhook is posted as application/x-www-form-urlencoded.',
    );
  const all: Record<string, string | string[]> = {};
  const single: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(request.body)) {
    const before = all[name];
    all[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
    single[name] ??= value;
  }
  const header = request.headers[twilioSignatureHeader];
  const signature = Array.isArray(header) ? header[0] : header;
  // Twilio signs the URL it was given: the public one, path and query as requested.
  if (!verifyTwilioSignature(authToken, `${services.publicUrl}${request.url}`, all, signature)) {
    request.log.warn('Twilio webhook with a missing or wrong signature refused');
    throw new AppError(403, 'bad_signature', 'The request is not signed by Twilio.');
  }
  return single;
}
