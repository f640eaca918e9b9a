import { randomBytes } from 'node:crypto';

/** Twilio's API version, the first part of every path. */
export const apiVersion = '2010-04-01';

/** A Message SID: SM and 32 hex digits (MM for media messages, which the emulator does not take). */
export function newMessageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

/** The statuses of an outbound message (Twilio's Message resource, "Message status values"). */
export type OutboundStatus =
  | 'accepted'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed';

export interface EmulatedMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  status: OutboundStatus;
  statusCallback: string | null;
  errorCode: number | null;
  errorMessage: string | null;
  numSegments: number;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
  /** Every status it took, in order. */
  history: OutboundStatus[];
}

/** Dates on Twilio's API are RFC 2822, e.g. "Thu, 24 Aug 2023 05:01:45 +0000". */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** A message as Twilio's API answers it (snake_case JSON; counts as strings). */
export function messageResource(message: EmulatedMessage) {
  const uri = `/${apiVersion}/Accounts/${message.accountSid}/Messages/${message.sid}.json`;
  return {
    account_sid: message.accountSid,
    api_version: apiVersion,
    body: message.body,
    date_created: rfc2822(message.dateCreated),
    date_sent: message.dateSent ? rfc2822(message.dateSent) : null,
    date_updated: rfc2822(message.dateUpdated),
    direction: 'outbound-api',
    error_code: message.errorCode,
    error_message: message.errorMessage,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    num_media: '0',
    num_segments: String(message.numSegments),
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: {
      media: `/${apiVersion}/Accounts/${message.accountSid}/Messages/${message.sid}/Media.json`,
    },
    uri,
  };
}

/** E.164: a plus, then up to 15 digits, the first not 0. */
export function isE164(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value);
}

/**
 * Segments of a body, as carriers split it: GSM-7 bodies take 160 characters in one segment, 153 a
 * segment when split; any other character makes the body UCS-2, 70 and 67. (The emulator's count, for
 * `num_segments`; the app has its own, src/messaging/sms/segments.ts.)
 */
export function segmentsOf(body: string): number {
  const gsm =
    /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/.test(
      body,
    );
  const extended = gsm ? (body.match(/[\^{}\\[~\]|€]/g) ?? []).length : 0;
  const units = gsm ? body.length + extended : [...body].reduce((n, c) => n + (c.length === 2 ? 2 : 1), 0);
  const single = gsm ? 160 : 70;
  const part = gsm ? 153 : 67;
  return units <= single ? 1 : Math.ceil(units / part);
}

/**
 * Twilio's default opt-out handling for long codes: a text that is exactly one of these words (any
 * case, surrounding spaces ignored) opts its sender out of, or back in to, texts from the number it
 * was sent to. (Twilio's "Twilio support for opt-out keywords" and the Advanced Opt-Out guide.)
 */
export const optOutKeywords = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
]);
export const optInKeywords = new Set(['START', 'YES', 'UNSTOP']);
export const helpKeywords = new Set(['HELP', 'INFO']);

export function keywordOf(body: string): string {
  return body.trim().toUpperCase();
}
