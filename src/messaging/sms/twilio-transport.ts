import twilio from 'twilio';
import {
  type OutgoingText,
  type SmsTransport,
  type TextSendResult,
  TextUnavailableError,
} from './transport.js';

/** Who texts are sent as: a phone number of the account, or a Messaging Service (its pool of senders). */
export type TwilioSender = { from: string } | { messagingServiceSid: string };

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  sender: TwilioSender;
  /**
   * Another base URL for Twilio's REST API (the local emulator); https://api.twilio.com when absent.
   * twilio-node builds every URL on api.twilio.com and its region/edge settings only change that host's
   * name, so the requests are redirected in a RequestClient of its own (see `redirectingClient`).
   */
  apiBaseUrl?: string | undefined;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
}

type RequestOptions<TData> = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0] & {
  data?: TData;
};

const twilioApiOrigin = 'https://api.twilio.com';

/**
 * Texts through Twilio's official library (Programmable Messaging, `messages.create`).
 *
 * Facts this relies on: a created Message answers 201 with its `sid` and `status` ('queued', or
 * 'accepted' through a Messaging Service); errors are RestExceptions carrying Twilio's `code` and
 * `status` (https://www.twilio.com/docs/api/errors): 21610 the recipient texted STOP to this sender,
 * 21211 / 21614 / 21612 / 21408 the number cannot be texted; 20429 and 5xx may pass; 20003 is our
 * credentials (configuration, not the text's). Nothing here logs, and no error of the library is kept
 * as a cause: its request carries the Authorization header.
 */
export function createTwilioTransport(settings: TwilioSettings): SmsTransport {
  const timeout = settings.timeoutMs ?? 30_000;
  const client = twilio(settings.accountSid, settings.authToken, {
    timeout,
    ...(settings.apiBaseUrl ? { httpClient: redirectingClient(settings.apiBaseUrl, timeout) } : {}),
  });
  return {
    name: 'twilio',
    async send(text: OutgoingText): Promise<TextSendResult> {
      try {
        const message = await client.messages.create({
          to: text.to,
          body: text.body,
          ...('from' in settings.sender
            ? { from: settings.sender.from }
            : { messagingServiceSid: settings.sender.messagingServiceSid }),
          ...(text.statusCallback ? { statusCallback: text.statusCallback } : {}),
        });
        return { status: 'accepted', sid: message.sid, providerStatus: message.status };
      } catch (error) {
        return failure(error);
      }
    },
  };
}

/** Codes that say this number will never take a text from us as it is. */
const invalidNumberCodes = new Set([21211, 21212, 21214, 21217, 21401, 21407, 21408, 21612, 21614, 21635]);

function failure(error: unknown): TextSendResult {
  const status = (error as { status?: unknown }).status;
  const code = (error as { code?: unknown }).code;
  const message = (error as { message?: unknown }).message;
  if (typeof status !== 'number') {
    // No answer at all: refused connections are safe to retry, a timeout may have been taken.
    const timedOut = /timeout|ECONNRESET|socket hang up/i.test(String(message ?? ''));
    throw new TextUnavailableError(`Twilio could not be reached${timedOut ? ' (timed out)' : ''}`, {
      mayHaveBeenAccepted: timedOut,
    });
  }
  if (status === 429 || status >= 500) {
    throw new TextUnavailableError(
      `Twilio answered ${status}${typeof code === 'number' ? ` (${code})` : ''}`,
      {
        mayHaveBeenAccepted: false,
      },
    );
  }
  const numeric = typeof code === 'number' ? code : null;
  if (status === 401 || numeric === 20003) {
    throw new TextUnavailableError(
      'Twilio refused the credentials (20003): check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
      {
        mayHaveBeenAccepted: false,
      },
    );
  }
  return {
    status: 'rejected',
    code: numeric,
    reason: typeof message === 'string' ? message : `Twilio answered ${status}`,
    optedOut: numeric === 21610,
    invalidNumber: numeric !== null && invalidNumberCodes.has(numeric),
  };
}

/** twilio-node's own RequestClient, each request's https://api.twilio.com origin replaced by `baseUrl`. */
function redirectingClient(baseUrl: string, timeout: number) {
  const target = baseUrl.replace(/\/+$/, '');
  class RedirectingClient extends twilio.RequestClient {
    override request<TData>(opts: RequestOptions<TData>) {
      const uri = opts.uri.startsWith(twilioApiOrigin)
        ? target + opts.uri.slice(twilioApiOrigin.length)
        : opts.uri;
      return super.request<TData>({ ...opts, uri });
    }
  }
  return new RedirectingClient({ timeout });
}
