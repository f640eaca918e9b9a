import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { z } from 'zod';
import { dunwellMessageIdArg, dunwellOrgIdArg } from './transport/types.js';

/**
 * The SendGrid Event Webhook: its signature and its events.
 *
 * Signature (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features,
 * sendgrid/docs content/docs/for-developers/tracking-events/getting-started-event-webhook-security-features.md):
 * SendGrid signs with ECDSA (P-256) and sends the base64 ASN.1/DER signature in
 * `X-Twilio-Email-Event-Webhook-Signature` and the time in `X-Twilio-Email-Event-Webhook-Timestamp`;
 * the signed bytes are the timestamp followed by the raw request body, hashed with SHA-256. The
 * verification key shown in Mail Settings (or `GET /v3/user/webhooks/event/settings/signed`,
 * field `public_key`) is a base64 DER SubjectPublicKeyInfo without PEM armour. This is what
 * @sendgrid/eventwebhook's `verifySignature` checks (starkbank-ecdsa over `timestamp + payload`);
 * node:crypto does the same on the raw bytes, without re-decoding the body as a string. SendGrid
 * documents no freshness window, so the caller's `maxAgeSeconds` bounds replays.
 *
 * Events (sendgrid/docs content/docs/for-developers/tracking-events/event.md, and
 * https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event): a JSON array of
 * objects with `email`, `timestamp` (Unix seconds), `event`, `sg_event_id` (unique per event, for
 * de-duplication: posts are retried), `sg_message_id`; `bounce` carries `type` "bounce" (permanent)
 * or "blocked" (temporary) with `reason`; `dropped` carries `reason` ("Bounced Address",
 * "Unsubscribed Address", "Spam Reporting Address", "Invalid", ...); `deferred` carries `response`.
 * The v3 send's `custom_args` appear as top-level fields of every event.
 */

export type DeliveryEventKind =
  | 'delivered'
  | 'bounced'
  | 'blocked'
  | 'dropped'
  | 'deferred'
  | 'opened'
  | 'clicked'
  | 'spam_report'
  | 'unsubscribed'
  | 'processed';

export interface DeliveryEvent {
  /** SendGrid's sg_event_id: the same event may be posted more than once. */
  eventId: string;
  /** The custom argument dunwell_message_id, when the event is about a message Dunwell sent. */
  messageId: string | null;
  /** The custom argument dunwell_org_id. */
  orgId: string | null;
  /** SendGrid's sg_message_id (starts with the X-Message-Id of the send), when given. */
  providerMessageId: string | null;
  email: string;
  kind: DeliveryEventKind;
  /** True for a hard bounce or a drop: this address will not receive this message. */
  permanent: boolean;
  at: Date;
  /** SendGrid's reason (bounce, block, drop) or the receiving server's response (deferral). */
  reason: string | null;
}

export type ParseSendGridEventsResult =
  | {
      ok: true;
      events: DeliveryEvent[];
      /** Events left out: of a type Dunwell does not track (e.g. group_resubscribe), or without the fields it needs. */
      skipped: { unknownKind: number; invalid: number };
    }
  | { ok: false; reason: string };

export const signatureHeader = 'x-twilio-email-event-webhook-signature';
export const timestampHeader = 'x-twilio-email-event-webhook-timestamp';

/**
 * Whether the post is SendGrid's: a valid ECDSA P-256/SHA-256 signature over timestamp + raw body,
 * with a timestamp within `maxAgeSeconds` of `now` (either side). Never throws.
 */
export function verifySendGridSignature(
  publicKey: string,
  rawBody: Buffer,
  signature: string | undefined,
  timestamp: string | undefined,
  now: Date,
  maxAgeSeconds = 600,
): boolean {
  if (signature === undefined || timestamp === undefined) return false;
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > maxAgeSeconds) return false;
  const key = verificationKey(publicKey);
  if (key === null) return false;
  const signatureBytes = Buffer.from(signature.trim(), 'base64');
  if (signatureBytes.length === 0) return false;
  try {
    return verify(
      'sha256',
      Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]),
      { key, dsaEncoding: 'der' },
      signatureBytes,
    );
  } catch {
    return false;
  }
}

let cachedKey: { text: string; key: KeyObject | null } | null = null;

/** The P-256 public key from SendGrid's base64 DER (or a PEM), or null when it is not one. */
function verificationKey(publicKey: string): KeyObject | null {
  if (cachedKey?.text === publicKey) return cachedKey.key;
  let key: KeyObject | null = null;
  try {
    const text = publicKey.trim();
    const parsed = text.includes('-----BEGIN')
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    if (parsed.asymmetricKeyType === 'ec' && parsed.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
      key = parsed;
    }
  } catch {
    key = null;
  }
  cachedKey = { text: publicKey, key };
  return key;
}

const unixSeconds = z.union([
  z.number().nonnegative(),
  z
    .string()
    .regex(/^\d{1,12}$/)
    .transform(Number),
]);

const optionalText = z
  .unknown()
  .optional()
  .transform((value) => (typeof value === 'string' && value !== '' ? value : null));

const sendGridEvent = z.looseObject({
  email: z.string().min(1),
  timestamp: unixSeconds,
  event: z.string().min(1),
  sg_event_id: z.string().min(1),
  sg_message_id: optionalText,
  type: optionalText,
  reason: optionalText,
  response: optionalText,
  [dunwellMessageIdArg]: optionalText,
  [dunwellOrgIdArg]: optionalText,
});

type SendGridEvent = z.infer<typeof sendGridEvent>;

/** The kind and permanence of an event SendGrid names, or null for one Dunwell does not track. */
function classify(
  event: SendGridEvent,
): { kind: DeliveryEventKind; permanent: boolean; reason: string | null } | null {
  switch (event.event) {
    case 'processed':
      return { kind: 'processed', permanent: false, reason: null };
    case 'delivered':
      return { kind: 'delivered', permanent: false, reason: null };
    case 'deferred':
      return { kind: 'deferred', permanent: false, reason: event.response ?? event.reason };
    case 'bounce':
      return event.type === 'blocked'
        ? { kind: 'blocked', permanent: false, reason: event.reason }
        : { kind: 'bounced', permanent: true, reason: event.reason };
    case 'dropped':
      return { kind: 'dropped', permanent: true, reason: event.reason };
    case 'open':
      return { kind: 'opened', permanent: false, reason: null };
    case 'click':
      return { kind: 'clicked', permanent: false, reason: null };
    case 'spamreport':
      return { kind: 'spam_report', permanent: false, reason: null };
    case 'unsubscribe':
    case 'group_unsubscribe':
      return { kind: 'unsubscribed', permanent: false, reason: null };
    default:
      return null;
  }
}

/** The events of one Event Webhook post; a malformed body is refused whole, a malformed event is skipped. */
export function parseSendGridEvents(rawBody: Buffer): ParseSendGridEventsResult {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'the body is not JSON' };
  }
  if (!Array.isArray(body)) return { ok: false, reason: 'the body is not a JSON array of events' };
  const events: DeliveryEvent[] = [];
  const skipped = { unknownKind: 0, invalid: 0 };
  for (const entry of body) {
    const parsed = sendGridEvent.safeParse(entry);
    if (!parsed.success) {
      skipped.invalid += 1;
      continue;
    }
    const event = parsed.data;
    const classified = classify(event);
    if (classified === null) {
      skipped.unknownKind += 1;
      continue;
    }
    events.push({
      eventId: event.sg_event_id,
      messageId: event[dunwellMessageIdArg],
      orgId: event[dunwellOrgIdArg],
      providerMessageId: event.sg_message_id,
      email: event.email,
      kind: classified.kind,
      permanent: classified.permanent,
      at: new Date(event.timestamp * 1000),
      reason: classified.reason,
    });
  }
  return { ok: true, events, skipped };
}
