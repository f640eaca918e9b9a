/**
 * A local stand-in for Twilio's Programmable Messaging, for tests and the zero-setup demo: the
 * Messages resource (create and fetch) with Basic authentication, Twilio's errors, status callbacks
 * and incoming texts signed with X-Twilio-Signature, and Twilio's default STOP / START filtering.
 * The real twilio library talks to it unchanged (src/messaging/sms/twilio-transport.ts points it here).
 */
import type { FastifyInstance } from 'fastify';
import { EmulatorHost, type EmulatorLifecycle } from '../kit/host.js';
import { emulatorApp } from '../kit/server.js';
import { DeliveriesUnderWay } from '../kit/webhooks.js';
import { errorBody, type TwilioError, twilioErrors } from './errors.js';
import { twilioSignature, twilioSignatureHeader } from './signature.js';
import {
  apiVersion,
  type EmulatedMessage,
  isE164,
  keywordOf,
  messageResource,
  newMessageSid,
  type OutboundStatus,
  optInKeywords,
  optOutKeywords,
  segmentsOf,
} from './wire.js';

export interface TwilioEmulatorOptions {
  accountSid: string;
  authToken: string;
  /** The account's SMS-capable numbers, valid as From (default: Twilio's test number +15005550006). */
  phoneNumbers?: readonly string[];
  /** Messaging Service SIDs of the account; a service sends from the account's first number. */
  messagingServiceSids?: readonly string[];
  /**
   * 'auto' (default): each accepted message moves on at once, sent then delivered (or its planned
   * outcome), each change POSTed to its StatusCallback; 'manual': tests move it with `advance`.
   */
  progress?: 'auto' | 'manual';
  logger?: boolean;
}

/** A status callback or incoming-text request as the emulator posted it, kept so tests can replay it. */
export interface PostedRequest {
  url: string;
  params: Record<string, string>;
  signature: string;
  status: number;
}

/** What the application answered to an incoming text, and what reached the texter. */
export interface InboundResult {
  status: number;
  contentType: string;
  body: string;
  /** The MessageSid Twilio gave the incoming text. */
  sid: string;
  /** The texts the texter received in return: Twilio's own confirmation of STOP or START, or the app's TwiML <Message>s. */
  replies: string[];
}

const stopConfirmation =
  'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.';
const startConfirmation =
  'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe.';

export class TwilioEmulator implements EmulatorLifecycle {
  private readonly host = new EmulatorHost();
  private readonly messagesBySid = new Map<string, EmulatedMessage>();
  /** `recipient sender` pairs opted out by STOP. */
  private readonly optOuts = new Set<string>();
  private readonly outcomes = new Map<string, { status: 'undelivered' | 'failed'; errorCode: number }>();
  private readonly planned: TwilioError[] = [];
  private readonly callbacks = new DeliveriesUnderWay();
  private readonly posted = new Map<string, PostedRequest[]>();
  readonly numbers: readonly string[];
  readonly endpoints: Record<string, string>;
  requests = 0;

  constructor(private readonly options: TwilioEmulatorOptions) {
    this.numbers = options.phoneNumbers ?? ['+15005550006'];
    this.endpoints = { messages: `/${apiVersion}/Accounts/${options.accountSid}/Messages.json` };
    const app = emulatorApp({
      logger: options.logger ?? false,
      bodyLimit: 64 * 1024,
      isApi: (path) => path.startsWith(`/${apiVersion}/`),
      count: () => {
        this.requests += 1;
      },
      apiError: (status, message) => ({
        status,
        contentType: 'application/json',
        body: errorBody({ status, code: status >= 500 ? 20500 : 20001, message: message ?? 'Bad request' }),
      }),
      register: (instance) => this.routes(instance),
    });
    this.host.serve({ app, warmUp: async () => undefined, settle: () => this.callbacks.idle() });
  }

  get url(): string {
    return this.host.url;
  }

  listen(port?: number): Promise<void> {
    return this.host.listen(port);
  }

  close(): Promise<void> {
    return this.host.close();
  }

  /** The messages created so far, oldest first (copies). */
  messages(): EmulatedMessage[] {
    return [...this.messagesBySid.values()].map((message) => structuredClone(message));
  }

  /** Whether `recipient` texted STOP to `sender` (any of the account's numbers when absent) and not START since. */
  isOptedOut(recipient: string, sender?: string): boolean {
    const senders = sender ? [sender] : this.numbers;
    return senders.some((number) => this.optOuts.has(`${recipient} ${number}`));
  }

  /** Plans the answer of the next create calls: a Twilio error instead of a message, one per call. */
  failNext(...errors: TwilioError[]): void {
    this.planned.push(...errors);
  }

  /** How texts to `to` end in 'auto' progress: undelivered (30003 unreachable) or failed (30008), say. */
  endWith(to: string, status: 'undelivered' | 'failed', errorCode: number): void {
    this.outcomes.set(to, { status, errorCode });
  }

  /** Waits for the status callbacks under way. */
  settle(): Promise<void> {
    return this.callbacks.idle();
  }

  /** The status callbacks posted for a message, oldest first. */
  callbacksOf(sid: string): PostedRequest[] {
    return [...(this.posted.get(sid) ?? [])];
  }

  /** Moves a message to `status` and posts its status callback; resolves with the receiver's status (0: none). */
  async advance(sid: string, status: OutboundStatus, errorCode?: number): Promise<number> {
    const message = this.messagesBySid.get(sid);
    if (!message) throw new Error(`No message ${sid}`);
    const now = new Date();
    message.status = status;
    message.history.push(status);
    message.dateUpdated = now;
    if (status === 'sent') message.dateSent = now;
    if (errorCode !== undefined) {
      message.errorCode = errorCode;
      message.errorMessage = null;
    }
    if (!message.statusCallback) return 0;
    const params: Record<string, string> = {
      AccountSid: message.accountSid,
      ApiVersion: apiVersion,
      From: message.from ?? this.numbers[0] ?? '',
      MessageSid: message.sid,
      MessageStatus: status,
      SmsSid: message.sid,
      SmsStatus: status,
      To: message.to,
    };
    if (message.messagingServiceSid) params['MessagingServiceSid'] = message.messagingServiceSid;
    if (errorCode !== undefined) params['ErrorCode'] = String(errorCode);
    if (status === 'delivered' || status === 'undelivered') params['RawDlrDoneDate'] = dlrDate(now);
    const request = await this.post(message.statusCallback, params);
    this.posted.set(sid, [...(this.posted.get(sid) ?? []), request]);
    return request.status;
  }

  /** Posts a request again exactly as it was posted (the same parameters and signature): a replay. */
  async replay(request: PostedRequest): Promise<number> {
    return (await this.send(request.url, request.params, request.signature)).status;
  }

  /**
   * A text from `from` to one of the account's numbers (`to`, default the first), as Twilio delivers
   * it to the number's messaging webhook `url`: signed, form-encoded. STOP and START words change
   * the opt-out first, as Twilio's default handling does, and the webhook is still called.
   */
  async inbound(url: string, text: { from: string; body: string; to?: string }): Promise<InboundResult> {
    const to = text.to ?? this.numbers[0] ?? '';
    const sid = newMessageSid();
    const keyword = keywordOf(text.body);
    const replies: string[] = [];
    if (optOutKeywords.has(keyword)) {
      this.optOuts.add(`${text.from} ${to}`);
      replies.push(stopConfirmation);
    } else if (optInKeywords.has(keyword)) {
      this.optOuts.delete(`${text.from} ${to}`);
      replies.push(startConfirmation);
    }
    const params: Record<string, string> = {
      AccountSid: this.options.accountSid,
      ApiVersion: apiVersion,
      Body: text.body,
      From: text.from,
      MessageSid: sid,
      NumMedia: '0',
      NumSegments: String(segmentsOf(text.body)),
      SmsMessageSid: sid,
      SmsSid: sid,
      SmsStatus: 'received',
      To: to,
    };
    const answer = await this.send(url, params, twilioSignature(this.options.authToken, url, params));
    // An opted-out texter gets nothing more from this number, the app's answer included.
    if (answer.status === 200 && !this.isOptedOut(text.from, to)) replies.push(...twimlMessages(answer.body));
    return { ...answer, sid, replies };
  }

  private routes(app: FastifyInstance): void {
    const base = `/${apiVersion}/Accounts/:accountSid/Messages`;
    app.post<{ Params: { accountSid: string }; Body: Record<string, string> | undefined }>(
      `${base}.json`,
      async (request, reply) => {
        const refused = this.authenticate(request.headers.authorization, request.params.accountSid);
        const error = refused ?? this.planned.shift() ?? this.check(request.body ?? {});
        if (error) return reply.code(error.status).type('application/json').send(errorBody(error));
        const message = this.create(request.body ?? {});
        return reply
          .code(201)
          .type('application/json')
          .send(JSON.stringify(messageResource(message)));
      },
    );
    app.get<{ Params: { accountSid: string; sid: string } }>(`${base}/:sid`, async (request, reply) => {
      const refused = this.authenticate(request.headers.authorization, request.params.accountSid);
      const message = this.messagesBySid.get(request.params.sid.replace(/\.json$/, ''));
      const error = refused ?? (message ? undefined : twilioErrors.notFound(request.url));
      if (error || !message) {
        const answer = error ?? twilioErrors.internal();
        return reply.code(answer.status).type('application/json').send(errorBody(answer));
      }
      return reply.type('application/json').send(JSON.stringify(messageResource(message)));
    });
  }

  private authenticate(header: string | undefined, pathSid: string): TwilioError | undefined {
    const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
    const decoded = match ? Buffer.from(match[1] ?? '', 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const [sid, token] = colon < 0 ? ['', ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    if (sid !== this.options.accountSid || token !== this.options.authToken || pathSid !== sid)
      return twilioErrors.authenticate();
    return undefined;
  }

  /** Twilio's checks on a new message, in the order its API applies them. */
  private check(form: Record<string, string>): TwilioError | undefined {
    const to = form['To'];
    if (!to) return twilioErrors.toRequired();
    const from = form['From'];
    const service = form['MessagingServiceSid'];
    if (!from && !service) return twilioErrors.fromRequired();
    if (from && !this.numbers.includes(from)) return twilioErrors.invalidFrom(from);
    if (service && !(this.options.messagingServiceSids ?? []).includes(service))
      return twilioErrors.notFound(`/v1/Services/${service}`);
    if (!form['Body']) return twilioErrors.bodyRequired();
    if (form['Body'].length > 1600) return twilioErrors.tooLong();
    // Twilio's magic test number +15005550001 is invalid; anything not E.164 is too.
    if (!isE164(to) || to === '+15005550001') return twilioErrors.invalidTo(to);
    if (this.isOptedOut(to, from) || to === '+15005550004') return twilioErrors.unsubscribed();
    return undefined;
  }

  private create(form: Record<string, string>): EmulatedMessage {
    const now = new Date();
    const service = form['MessagingServiceSid'] ?? null;
    const message: EmulatedMessage = {
      sid: newMessageSid(),
      accountSid: this.options.accountSid,
      to: form['To'] ?? '',
      from: form['From'] ?? null,
      messagingServiceSid: service,
      body: form['Body'] ?? '',
      // Through a Messaging Service a message starts 'accepted', otherwise 'queued'; neither is
      // reported by a status callback (Twilio's "Outbound Message Status in Status Callbacks").
      status: service ? 'accepted' : 'queued',
      statusCallback: form['StatusCallback'] ?? null,
      errorCode: null,
      errorMessage: null,
      numSegments: segmentsOf(form['Body'] ?? ''),
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
      history: [service ? 'accepted' : 'queued'],
    };
    this.messagesBySid.set(message.sid, message);
    if ((this.options.progress ?? 'auto') === 'auto') this.callbacks.add(this.progress(message.sid));
    return structuredClone(message);
  }

  private async progress(sid: string): Promise<void> {
    // After the create's answer has gone, as Twilio's callbacks come after its 201.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const message = this.messagesBySid.get(sid);
    if (!message) return;
    const outcome = this.outcomes.get(message.to);
    if (outcome?.status === 'failed') {
      await this.advance(sid, 'failed', outcome.errorCode);
      return;
    }
    await this.advance(sid, 'sent');
    if (outcome) await this.advance(sid, outcome.status, outcome.errorCode);
    else await this.advance(sid, 'delivered');
  }

  private async post(url: string, params: Record<string, string>): Promise<PostedRequest> {
    const signature = twilioSignature(this.options.authToken, url, params);
    const answer = await this.send(url, params, signature);
    return { url, params, signature, status: answer.status };
  }

  private async send(url: string, params: Record<string, string>, signature: string) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          [twilioSignatureHeader]: signature,
          'user-agent': 'TwilioProxy/1.1',
        },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(15_000),
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        body: await response.text(),
      };
    } catch {
      return { status: 0, contentType: '', body: '' };
    }
  }
}

/** The texts of a TwiML answer's <Message> verbs (entities decoded). */
export function twimlMessages(twiml: string): string[] {
  const found = [...twiml.matchAll(/<Message(?:\s[^>]*)?>([\s\S]*?)<\/Message>/g)].map(
    (match) => match[1] ?? '',
  );
  return found.map((text) =>
    text
      .replace(/<Body>|<\/Body>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

/** RawDlrDoneDate: YYMMDDhhmm (Twilio passes the carrier's receipt date through). */
function dlrDate(date: Date): string {
  const iso = date.toISOString();
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16);
}
