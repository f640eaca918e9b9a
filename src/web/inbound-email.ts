import { timingSafeEqual } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { storeInboundEmail } from '../replies/inbound-emails.js';
import type { WebServices } from './services.js';

/** Largest post taken, attachments included (attachments are counted, never kept). */
export const inboundPostLimit = 1_048_576;
/** The fields of an Inbound Parse post that are read (SPF and DKIM only for their verdict); the others (spam scores) are not. */
const keptFields = new Set([
  'headers',
  'from',
  'to',
  'subject',
  'text',
  'html',
  'envelope',
  'charsets',
  'SPF',
  'dkim',
]);

/**
 * SendGrid's Inbound Parse: debtors' replies, posted as multipart/form-data. The posts are not
 * signed, so the URL carries a secret (`INBOUND_EMAIL_SECRET`); without it, or with a wrong one, the
 * route answers 404. Each post is stored before the 200, so a reply is never lost; one that cannot be
 * read gets a 400 and nothing is stored. Its body is never logged.
 */
export function inboundEmailRoutes(services: WebServices) {
  return async (app: FastifyInstance) => {
    await app.register(multipart, {
      // Bytes as sent (one character a byte): `charsets` says how each field is to be decoded.
      defCharset: 'latin1',
      limits: {
        fieldNameSize: 100,
        fieldSize: inboundPostLimit,
        fields: 40,
        fileSize: inboundPostLimit,
        files: 20,
        parts: 60,
        headerPairs: 100,
      },
    });

    // A refusal may come before the body was read (a wrong secret, a declared size over the limit):
    // the connection is closed after it rather than kept for a body nobody reads.
    app.addHook('onSend', async (_request, reply, payload) => {
      if (reply.statusCode >= 400) reply.header('connection', 'close');
      return payload;
    });

    app.post(
      '/webhooks/sendgrid/inbound/:secret',
      { logLevel: 'warn', helmet: false },
      async (request, reply) => {
        const expected = services.inboundEmailSecret;
        const given = (request.params as { secret?: unknown }).secret;
        if (expected === undefined || typeof given !== 'string' || !sameSecret(given, expected))
          throw new AppError(404, 'not_found', 'No webhook here.');
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > inboundPostLimit) throw tooLarge();
        if (!request.isMultipart())
          throw new AppError(400, 'malformed_email', 'An inbound email is posted as multipart/form-data.');
        const post = await readPost(request);
        const stored = await storeInboundEmail(services.ledger, post);
        if (!stored.ok)
          throw new AppError(
            400,
            'malformed_email',
            `The inbound email could not be read: ${stored.reason}.`,
          );
        services.requests
          .processReplies?.()
          .catch((error: unknown) =>
            request.log.error({ err: error }, 'could not queue the processing of inbound emails'),
          );
        request.log.info({ inboundEmail: stored.id, size: post.size }, 'inbound email stored');
        return reply.status(200).send();
      },
    );
  };
}

/** Reads the parts: the kept fields' bytes, the attachments counted and drained, the size bounded. */
async function readPost(request: FastifyRequest) {
  let size = 0;
  const counting = (chunk: Buffer) => {
    size += chunk.length;
  };
  request.raw.on('data', counting);
  const fields: Record<string, string> = {};
  let attachments = 0;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        attachments += 1;
        for await (const _chunk of part.file) {
          // Counted by the request's byte count; the attachment itself is dropped.
        }
      } else if (keptFields.has(part.fieldname) && typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
      if (size > inboundPostLimit) throw tooLarge();
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const status = (error as { statusCode?: unknown }).statusCode;
    if (status === 413) throw tooLarge();
    throw new AppError(400, 'malformed_email', 'The inbound email is not readable multipart/form-data.');
  } finally {
    request.raw.off('data', counting);
  }
  if (size > inboundPostLimit) throw tooLarge();
  return { fields, attachments, size };
}

function tooLarge() {
  return new AppError(413, 'payload_too_large', `An inbound email may be at most ${inboundPostLimit} bytes.`);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
