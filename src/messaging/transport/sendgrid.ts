import { Client } from '@sendgrid/client';
import { type MailDataRequired, MailService } from '@sendgrid/mail';
import { z } from 'zod';
import { outgoing } from './outgoing.js';
import {
  attachmentsProblem,
  dunwellMessageIdArg,
  dunwellOrgIdArg,
  type EmailTransport,
  type LookupResult,
  type OutgoingEmail,
  type SendResult,
  TransportUnavailableError,
} from './types.js';

/**
 * SendGrid v3 Mail Send through @sendgrid/mail, and the Email Activity API for `lookup`.
 *
 * Facts this relies on (sources):
 * - A successful send answers 202 Accepted with an `X-Message-Id` header, the id to correlate with
 *   Event Webhook posts (https://www.twilio.com/docs/sendgrid/glossary/x-message-id). In sandbox mode
 *   a valid request answers 200 OK instead, nothing is delivered, and it generates no Event Webhook
 *   or Email Activity records
 *   (https://www.twilio.com/docs/sendgrid/for-developers/sending-email/sandbox-mode).
 * - Errors carry `{ errors: [{ field, message }] }`; 400 bad request, 401 requires authentication,
 *   429 rate limited (with X-RateLimit-Reset, a Unix time), 5xx server errors
 *   (https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/errors,
 *   .../how-to-use-the-sendgrid-v3-api/rate-limits). 401 "The provided authorization grant is
 *   invalid, expired, or revoked" is a bad or deleted API key; 403 on Mail Send is typically "The
 *   from address does not match a verified Sender Identity" (https://www.twilio.com/docs/api/errors/60222)
 *   or a key without the permission: configuration problems, not this message's.
 * - `custom_args` of a v3 send come back at the top level of every Event Webhook event
 *   (sendgrid/docs content/docs/for-developers/tracking-events/event.md, "Custom Arguments"), and
 *   must not contain personal data, so Dunwell sends only its own ids.
 * - List-Unsubscribe / List-Unsubscribe-Post go in `headers`
 *   (https://www.twilio.com/docs/sendgrid/ui/sending-email/list-unsubscribe). With SendGrid's
 *   subscription tracking on, SendGrid inserts its own List-Unsubscribe headers and an unsubscribe
 *   footer, so each message turns subscription tracking off: Dunwell runs its own opt-out.
 * - Email Activity: `GET /v3/messages?limit=…&query=…` with a URL-encoded query of the form
 *   `field="value"`, only with the paid "additional email activity history" add-on and an API key
 *   allowed to read it
 *   (https://www.twilio.com/docs/sendgrid/for-developers/sending-email/getting-started-email-activity-api,
 *   https://www.twilio.com/docs/sendgrid/api-reference/email-activity/filter-all-messages). A custom
 *   argument is matched as `unique_args['name']="value"` (the form the StrongGrid client builds,
 *   github.com/Jericho/StrongGrid Source/StrongGrid/Models/Search/Legacy/SearchCriteriaUniqueArg.cs).
 *
 * Every email's HTML goes through the email allow-list on its way out (`outgoing.ts`).
 *
 * Nothing here logs: results carry only statuses and SendGrid's error messages, never the message
 * body or the API key. SendGrid's raw errors are not attached as causes either, because an axios
 * error carries the request (Authorization header and body).
 */

export interface SendGridTransportOptions {
  apiKey: string;
  /** Validate requests without delivering anything (mail_settings.sandbox_mode). */
  sandbox?: boolean;
  /** Another base URL for the API, e.g. a nock host in tests (default https://api.sendgrid.com/). */
  apiBaseUrl?: string;
  /** Per-request timeout (default 30 s). A timed-out send may still have been taken: see lookup. */
  timeoutMs?: number;
  /**
   * How long Email Activity may lag behind a send; an empty answer about a message marked "sending"
   * more recently than this is `unknown`, not `not_sent` (default 10 minutes).
   */
  activityLagMs?: number;
  /**
   * How far back Email Activity is complete; an empty answer about an older message is `unknown`
   * (default 29 days: the add-on keeps 30 days of history).
   */
  activityRetentionMs?: number;
  /** The clock, for the lag window (tests). */
  now?: () => Date;
}

const defaultTimeoutMs = 30_000;
const defaultActivityLagMs = 10 * 60_000;
const defaultActivityRetentionMs = 29 * 24 * 60 * 60_000;

export function createSendGridTransport(options: SendGridTransportOptions): EmailTransport {
  const client = new Client();
  client.setApiKey(options.apiKey);
  // setApiKey resets the base URL to the region's host, so the override comes after it.
  if (options.apiBaseUrl !== undefined) client.setDefaultRequest('baseUrl', options.apiBaseUrl);
  const mail = new MailService();
  mail.setClient(client);
  mail.setTimeout(options.timeoutMs ?? defaultTimeoutMs);

  const sandbox = options.sandbox ?? false;
  const activityLagMs = options.activityLagMs ?? defaultActivityLagMs;
  const activityRetentionMs = options.activityRetentionMs ?? defaultActivityRetentionMs;
  const now = options.now ?? (() => new Date());

  return {
    name: 'sendgrid',

    async send(email: OutgoingEmail): Promise<SendResult> {
      if (email.unsubscribeUrl !== null && !isHeaderSafeUrl(email.unsubscribeUrl)) {
        return {
          status: 'rejected',
          reason: 'Not a valid message: the unsubscribe URL is not a plain http(s) URL',
          permanent: true,
        };
      }
      const tooLarge = attachmentsProblem(email.attachments);
      if (tooLarge)
        return { status: 'rejected', reason: `Not a valid message: ${tooLarge}`, permanent: true };
      try {
        // Every email's HTML through the email allow-list, whoever built it (see outgoing.ts).
        const [response] = await mail.send(toMailData(outgoing(email), sandbox));
        return { status: 'sent', providerMessageId: headerValue(response.headers, 'x-message-id') };
      } catch (error) {
        return sendFailure(error, now());
      }
    },

    async lookup(messageId: string, sentAfter: Date): Promise<LookupResult> {
      if (sandbox) {
        return {
          status: 'unknown',
          detail: 'sandbox mode: SendGrid keeps no Email Activity for sandbox sends',
        };
      }
      if (!/^[A-Za-z0-9_-]{1,100}$/.test(messageId)) {
        return { status: 'unknown', detail: 'message id is not one Dunwell sends' };
      }
      const query = `(unique_args['${dunwellMessageIdArg}']="${messageId}")`;
      let body: unknown;
      try {
        const [response] = await client.request({
          method: 'GET',
          url: `/v3/messages?limit=1&query=${encodeQueryValue(query)}`,
        });
        body = response.body;
      } catch (error) {
        return { status: 'unknown', detail: lookupFailure(error) };
      }
      const parsed = activityAnswer.safeParse(body);
      if (!parsed.success) {
        return { status: 'unknown', detail: 'Email Activity answered in an unexpected shape' };
      }
      const found = parsed.data.messages[0];
      if (found !== undefined) {
        return found.msg_id === undefined
          ? { status: 'sent' }
          : { status: 'sent', providerMessageId: found.msg_id };
      }
      const age = now().getTime() - sentAfter.getTime();
      if (age < activityLagMs) {
        return { status: 'unknown', detail: 'too recent: Email Activity lags behind sends by a few minutes' };
      }
      if (age > activityRetentionMs) {
        return { status: 'unknown', detail: 'too old: beyond the Email Activity history' };
      }
      return { status: 'not_sent' };
    },
  };
}

/** The @sendgrid/mail request for one email: text/plain before text/html, as SendGrid requires. */
function toMailData(email: OutgoingEmail, sandbox: boolean): MailDataRequired {
  return {
    from: { email: email.from.email, name: email.from.name },
    ...(email.replyTo === null ? {} : { replyTo: address(email.replyTo) }),
    to: email.to.map(address),
    ...(email.cc.length === 0 ? {} : { cc: email.cc.map(address) }),
    subject: email.subject,
    text: email.text,
    html: email.html,
    ...(email.categories.length === 0 ? {} : { categories: [...new Set(email.categories)] }),
    customArgs: { [dunwellMessageIdArg]: email.messageId, [dunwellOrgIdArg]: email.orgId },
    ...(email.unsubscribeUrl === null
      ? {}
      : {
          headers: {
            'List-Unsubscribe': `<${email.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        }),
    ...(email.attachments?.length
      ? {
          attachments: email.attachments.map((attachment) => ({
            content: attachment.contentBase64,
            filename: attachment.filename,
            type: attachment.contentType,
            disposition: 'attachment',
          })),
        }
      : {}),
    trackingSettings: { subscriptionTracking: { enable: false } },
    ...(sandbox ? { mailSettings: { sandboxMode: { enable: true } } } : {}),
  };
}

/**
 * The List-Unsubscribe value goes into a mail header, and @sendgrid/mail also copies the mail's
 * `headers` onto the HTTP request to the API: it must be a plain printable-ASCII http(s) URL.
 */
function isHeaderSafeUrl(value: string): boolean {
  if (!/^[\x21-\x7e]+$/.test(value) || value.includes('<') || value.includes('>')) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function address(value: { email: string; name?: string }): { email: string; name?: string } {
  return value.name === undefined || value.name === ''
    ? { email: value.email }
    : { email: value.email, name: value.name };
}

const activityAnswer = z.object({
  messages: z.array(z.looseObject({ msg_id: z.string().optional() })),
});

const errorBody = z.looseObject({
  errors: z.array(z.looseObject({ message: z.string().nullish(), field: z.string().nullish() })).optional(),
});

/** What an HTTP failure from @sendgrid/client looks like (its ResponseError). */
interface HttpFailure {
  status: number;
  headers: unknown;
  body: unknown;
}

function httpFailure(error: unknown): HttpFailure | null {
  if (typeof error !== 'object' || error === null) return null;
  const code: unknown = Reflect.get(error, 'code');
  const response: unknown = Reflect.get(error, 'response');
  if (typeof code !== 'number' || typeof response !== 'object' || response === null) return null;
  return { status: code, headers: Reflect.get(response, 'headers'), body: Reflect.get(response, 'body') };
}

/** SendGrid's error messages, e.g. "The to array is required for all personalization objects (personalizations.0.to)". */
function sendGridMessages(body: unknown): string {
  const parsed = errorBody.safeParse(body);
  const messages = parsed.success
    ? (parsed.data.errors ?? []).flatMap((entry) => {
        if (!entry.message) return [];
        return [entry.field ? `${entry.message} (${entry.field})` : entry.message];
      })
    : [];
  const joined = messages.join('; ');
  return joined.length > 500 ? `${joined.slice(0, 500)}…` : joined;
}

function sendFailure(error: unknown, at: Date): SendResult {
  const http = httpFailure(error);
  if (http !== null) {
    const { status } = http;
    const said = sendGridMessages(http.body);
    const saying = said === '' ? '' : `: ${said}`;
    if (status === 429) {
      throw new TransportUnavailableError(`SendGrid is rate limiting (HTTP 429)${saying}`, {
        status,
        retryAfterSeconds: retryAfter(http.headers, at),
        mayHaveBeenAccepted: false,
      });
    }
    if (status === 408 || status >= 500) {
      throw new TransportUnavailableError(`SendGrid is unavailable (HTTP ${status})${saying}`, {
        status,
        retryAfterSeconds: retryAfter(http.headers, at),
        mayHaveBeenAccepted: true,
      });
    }
    if (status === 401) {
      return {
        status: 'rejected',
        reason: `SendGrid refused the API key (HTTP 401)${saying}. Configuration problem: check SENDGRID_API_KEY.`,
        permanent: true,
      };
    }
    if (status === 403) {
      return {
        status: 'rejected',
        reason:
          `SendGrid refused to send for this account (HTTP 403)${saying}. Configuration problem: ` +
          'check the API key has Mail Send permission and the from address is a verified sender.',
        permanent: true,
      };
    }
    return {
      status: 'rejected',
      reason: `SendGrid rejected the message (HTTP ${status})${saying || `: ${statusText(status)}`}`,
      permanent: true,
    };
  }
  if (!isAxiosError(error)) {
    // @sendgrid/mail validates the message before any request (e.g. an address that is not a string).
    return { status: 'rejected', reason: `Not a valid message: ${messageOf(error)}`, permanent: true };
  }
  const network = networkFailure(error);
  throw new TransportUnavailableError(`SendGrid could not be reached (${network.code})`, {
    mayHaveBeenAccepted: network.mayHaveBeenAccepted,
  });
}

function isAxiosError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && Reflect.get(error, 'isAxiosError') === true;
}

/** A failure with no HTTP answer: axios's network errors carry a string code. */
function networkFailure(error: unknown): { code: string; mayHaveBeenAccepted: boolean } {
  const code: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
  const name = typeof code === 'string' && code !== '' ? code : 'network error';
  // These fail before a request is written, so SendGrid cannot have taken the message.
  const beforeSending = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'];
  return { code: name, mayHaveBeenAccepted: !beforeSending.includes(name) };
}

function lookupFailure(error: unknown): string {
  const http = httpFailure(error);
  if (http === null) return `Email Activity could not be reached (${networkFailure(error).code})`;
  const said = sendGridMessages(http.body);
  const saying = said === '' ? '' : `: ${said}`;
  if (http.status === 403 || http.status === 404) {
    return (
      `Email Activity is not available to this account or key (HTTP ${http.status})${saying}; ` +
      'it needs the additional email activity history add-on and Email Activity access on the API key'
    );
  }
  return `Email Activity answered HTTP ${http.status}${saying}`;
}

/** Seconds to wait: Retry-After when given, else SendGrid's X-RateLimit-Reset (a Unix time). */
function retryAfter(headers: unknown, at: Date): number | undefined {
  const retry = headerValue(headers, 'retry-after');
  if (retry !== null && /^\d+$/.test(retry.trim())) return Number(retry.trim());
  const reset = headerValue(headers, 'x-ratelimit-reset');
  if (reset !== null && /^\d+$/.test(reset.trim())) {
    const seconds = Number(reset.trim()) - Math.floor(at.getTime() / 1000);
    return seconds > 0 ? seconds : 1;
  }
  return undefined;
}

function headerValue(headers: unknown, name: string): string | null {
  if (typeof headers !== 'object' || headers === null) return null;
  const getter: unknown = Reflect.get(headers, 'get');
  const value: unknown =
    typeof getter === 'function'
      ? Reflect.apply(getter, headers, [name])
      : Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : null;
  return typeof value === 'string' && value !== '' ? value : null;
}

/** encodeURIComponent, plus the characters it leaves alone that the query syntax uses. */
function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function statusText(status: number): string {
  if (status === 400) return 'bad request';
  if (status === 404) return 'not found';
  if (status === 413) return 'message too large';
  return 'client error';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
