/**
 * How Dunwell hands an email to a provider. Email has no idempotency key, so the outbox marks a
 * message "sending" before `send` and, after a crash between "sending" and "sent", asks `lookup`
 * whether the provider took it instead of sending it again (DESIGN.md, "Outboxes make effects
 * exactly-once").
 */

/** The custom arguments every message carries; the Event Webhook posts them back on each event. */
export const dunwellMessageIdArg = 'dunwell_message_id';
export const dunwellOrgIdArg = 'dunwell_org_id';

export interface EmailAddress {
  email: string;
  name?: string;
}

/** A file sent with an email (a statement of account as a PDF). */
export interface EmailAttachment {
  filename: string;
  /** Its MIME type, e.g. application/pdf. */
  contentType: string;
  /** The file's bytes, base64-encoded (as SendGrid's v3 API takes them). */
  contentBase64: string;
}

/**
 * SendGrid's v3 Mail Send takes at most 30 MB per message, attachments included
 * (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send, "Limitations"). A
 * statement never nears it; the transports refuse anything larger rather than send it without.
 */
export const maxAttachmentsBytes = 30 * 1024 * 1024;

/** The decoded size of an attachment, in bytes. */
export function attachmentBytes(attachment: EmailAttachment): number {
  return Buffer.byteLength(attachment.contentBase64, 'base64');
}

/** Why attachments cannot go (over SendGrid's limit), or null. */
export function attachmentsProblem(attachments: EmailAttachment[] | undefined): string | null {
  const total = (attachments ?? []).reduce((sum, attachment) => sum + attachmentBytes(attachment), 0);
  return total > maxAttachmentsBytes
    ? `the attachments are ${Math.ceil(total / 1024 / 1024)} MB, over the 30 MB a message may carry`
    : null;
}

export interface OutgoingEmail {
  /** Dunwell's outbound_messages.id (uuid), sent as the custom argument `dunwell_message_id`. */
  messageId: string;
  /** Sent as the custom argument `dunwell_org_id`. */
  orgId: string;
  /** Dunwell's sending domain, with the organisation's name as the display name. */
  from: { email: string; name: string };
  /** The organisation's own address, so replies reach the organisation and not Dunwell. */
  replyTo: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  subject: string;
  html: string;
  text: string;
  /** For the provider's statistics, e.g. ['dunwell', 'reminder', 'step:firm']. */
  categories: string[];
  /** One-click opt-out link: sent as List-Unsubscribe with List-Unsubscribe-Post (RFC 8058). */
  /** The List-Unsubscribe target; null for notices to the organisation's own people about a debtor. */
  unsubscribeUrl: string | null;
  /** Files sent with it (a reminder's statement of account); none when absent. */
  attachments?: EmailAttachment[] | undefined;
}

export type SendResult =
  | {
      status: 'sent';
      /** The provider's id of the request (SendGrid: the X-Message-Id response header), if it gave one. */
      providerMessageId: string | null;
    }
  | {
      /** The provider refused this message (a 4xx): sending the same message again will not help. */
      status: 'rejected';
      reason: string;
      /** True when nothing will change by itself: a bad address, a bad request, a revoked API key. */
      permanent: boolean;
    };

export interface LookupResult {
  /**
   * sent: the provider has the message. not_sent: the provider's records for the window are complete
   * and the message is not in them, so sending it is safe. unknown: no answer either way (records
   * not complete yet, no access to them, or the provider did not answer); ask again later.
   */
  status: 'sent' | 'not_sent' | 'unknown';
  /**
   * The provider's id of the message, when found. For SendGrid this is the Email Activity `msg_id`,
   * which starts with the X-Message-Id that `send` returns.
   */
  providerMessageId?: string;
  /** Why the answer is `unknown`, for the log (never contains the message or credentials). */
  detail?: string;
}

export interface EmailTransport {
  readonly name: 'sendgrid' | 'local';
  /** Throws TransportUnavailableError when the provider could not be reached or asked to retry. */
  send(email: OutgoingEmail): Promise<SendResult>;
  /** After a crash between "sending" and "sent": did the provider take this message? Never throws. */
  lookup(messageId: string, sentAfter: Date): Promise<LookupResult>;
}

export interface TransportUnavailableOptions {
  /** The provider's HTTP status, when it answered (429, 5xx). */
  status?: number;
  /** From a Retry-After header, when the provider sent one. */
  retryAfterSeconds?: number;
  /**
   * True when the request may have reached the provider before the failure (a timeout, a dropped
   * connection, a 5xx): the message may have been taken, so `lookup` before sending it again.
   * False when it certainly was not taken (429, connection refused, unknown host).
   */
  mayHaveBeenAccepted?: boolean;
  cause?: unknown;
}

/** The provider could not be reached or asked to slow down: retry later (after a lookup, see above). */
export class TransportUnavailableError extends Error {
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly mayHaveBeenAccepted: boolean;

  constructor(message: string, options: TransportUnavailableOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransportUnavailableError';
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.mayHaveBeenAccepted = options.mayHaveBeenAccepted ?? true;
  }
}
