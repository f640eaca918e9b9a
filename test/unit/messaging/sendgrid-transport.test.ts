import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSendGridTransport } from '../../../src/messaging/transport/sendgrid.js';
import { type OutgoingEmail, TransportUnavailableError } from '../../../src/messaging/transport/types.js';

const api = 'http://sendgrid.test';
const apiKey = 'SG.test-key-never-real';
const now = new Date('2025-03-10T12:00:00Z');

function transport(extra: { sandbox?: boolean } = {}) {
  return createSendGridTransport({ apiKey, apiBaseUrl: api, now: () => now, timeoutMs: 2_000, ...extra });
}

const email: OutgoingEmail = {
  messageId: '0b7c8a9e-5a8f-4c1e-9d3a-2f6b1e4c7d90',
  orgId: 'f1e2d3c4-b5a6-4789-8abc-def012345678',
  from: { email: 'reminders@mail.dunwell.test', name: 'Acme Plumbing Ltd' },
  replyTo: { email: 'accounts@acme-plumbing.test', name: 'Acme Accounts' },
  to: [{ email: 'pay@customer.test', name: 'Customer Ltd' }, { email: 'ap@customer.test' }],
  cc: [{ email: 'owner@customer.test' }],
  subject: 'Invoice INV-1042 is 14 days overdue',
  html: '<p>Hello, invoice <b>INV-1042</b> is overdue.</p>',
  text: 'Hello, invoice INV-1042 is overdue.',
  categories: ['dunwell', 'reminder', 'step:firm'],
  unsubscribeUrl: 'https://app.dunwell.test/u/abc123',
};

/** Stubs one Mail Send answer and returns what SendGrid would have received. */
function stubSend(status: number, body: unknown = '', headers: Record<string, string> = {}) {
  const seen: { body?: unknown } = {};
  nock(api)
    .post('/v3/mail/send', (received) => {
      seen.body = received;
      return true;
    })
    .matchHeader('authorization', `Bearer ${apiKey}`)
    .reply(status, body, headers);
  return seen;
}

async function sendError(promise: Promise<unknown>): Promise<TransportUnavailableError> {
  const error = await promise.then(
    () => null,
    (rejected: unknown) => rejected,
  );
  expect(error).toBeInstanceOf(TransportUnavailableError);
  return error as TransportUnavailableError;
}

describe('SendGrid transport: send', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('sends the v3 request SendGrid documents and returns the X-Message-Id', async () => {
    const seen = stubSend(202, '', { 'X-Message-Id': 'W2jLxsPcQ0y6dGd0nvbC4w' });

    const result = await transport().send(email);

    expect(result).toEqual({ status: 'sent', providerMessageId: 'W2jLxsPcQ0y6dGd0nvbC4w' });
    expect(seen.body).toEqual({
      from: { email: 'reminders@mail.dunwell.test', name: 'Acme Plumbing Ltd' },
      reply_to: { email: 'accounts@acme-plumbing.test', name: 'Acme Accounts' },
      subject: 'Invoice INV-1042 is 14 days overdue',
      personalizations: [
        {
          to: [{ email: 'pay@customer.test', name: 'Customer Ltd' }, { email: 'ap@customer.test' }],
          cc: [{ email: 'owner@customer.test' }],
        },
      ],
      content: [
        { type: 'text/plain', value: 'Hello, invoice INV-1042 is overdue.' },
        { type: 'text/html', value: '<p>Hello, invoice <b>INV-1042</b> is overdue.</p>' },
      ],
      categories: ['dunwell', 'reminder', 'step:firm'],
      custom_args: {
        dunwell_message_id: '0b7c8a9e-5a8f-4c1e-9d3a-2f6b1e4c7d90',
        dunwell_org_id: 'f1e2d3c4-b5a6-4789-8abc-def012345678',
      },
      headers: {
        'List-Unsubscribe': '<https://app.dunwell.test/u/abc123>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      tracking_settings: { subscription_tracking: { enable: false } },
    });
  });

  it('leaves out reply_to and cc when there are none, and asks for sandbox mode when configured', async () => {
    const seen = stubSend(200);

    const result = await transport({ sandbox: true }).send({ ...email, replyTo: null, cc: [] });

    expect(result).toEqual({ status: 'sent', providerMessageId: null });
    const body = seen.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('reply_to');
    expect(body['personalizations']).toEqual([
      { to: [{ email: 'pay@customer.test', name: 'Customer Ltd' }, { email: 'ap@customer.test' }] },
    ]);
    expect(body['mail_settings']).toEqual({ sandbox_mode: { enable: true } });
  });

  it('turns 400 into a permanent rejection carrying SendGrid’s message', async () => {
    stubSend(400, {
      errors: [
        {
          message: 'Does not contain a valid address.',
          field: 'personalizations.0.to.0.email',
          help: 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to',
        },
      ],
    });

    const result = await transport().send(email);

    expect(result).toEqual({
      status: 'rejected',
      reason:
        'SendGrid rejected the message (HTTP 400): Does not contain a valid address. (personalizations.0.to.0.email)',
      permanent: true,
    });
  });

  it('turns 401 and 403 into permanent rejections that say the configuration is wrong', async () => {
    stubSend(401, {
      errors: [{ field: null, message: 'The provided authorization grant is invalid, expired, or revoked' }],
    });
    const unauthorised = await transport().send(email);
    expect(unauthorised).toMatchObject({ status: 'rejected', permanent: true });
    expect(unauthorised.status === 'rejected' && unauthorised.reason).toMatch(
      /HTTP 401.*authorization grant is invalid.*Configuration problem/,
    );

    stubSend(403, {
      errors: [{ field: 'from', message: 'The from address does not match a verified Sender Identity.' }],
    });
    const forbidden = await transport().send(email);
    expect(forbidden).toMatchObject({ status: 'rejected', permanent: true });
    expect(forbidden.status === 'rejected' && forbidden.reason).toMatch(
      /HTTP 403.*verified Sender Identity.*Configuration problem/,
    );
  });

  it('rejects, without a request, a message @sendgrid/mail cannot build', async () => {
    const broken = { ...email, to: [{ email: 42 as unknown as string }] };

    const result = await transport().send(broken);

    expect(result).toEqual({
      status: 'rejected',
      reason: 'Not a valid message: String expected for `email`',
      permanent: true,
    });
  });

  it('rejects, without a request, an unsubscribe URL that cannot go in a header', async () => {
    for (const unsubscribeUrl of ['https://x.test/u\r\nBcc: someone@evil.test', 'javascript:alert(1)', '']) {
      expect(await transport().send({ ...email, unsubscribeUrl })).toMatchObject({
        status: 'rejected',
        permanent: true,
      });
    }
  });

  it('sends a notice to the organisation about a debtor without any unsubscribe header', async () => {
    const seen = stubSend(202, '', { 'X-Message-Id': 'notice-1' });
    expect(await transport().send({ ...email, unsubscribeUrl: null })).toMatchObject({ status: 'sent' });
    expect(JSON.stringify(seen.body)).not.toContain('List-Unsubscribe');
  });

  it('never puts the API key or the body in a rejection', async () => {
    stubSend(400, { errors: [{ field: null, message: 'Bad Request' }] });
    const result = await transport().send(email);
    const text = JSON.stringify(result);
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain(email.text);
  });

  it('throws TransportUnavailableError on 429, with the wait from X-RateLimit-Reset, and says it was not taken', async () => {
    const reset = String(Math.floor(now.getTime() / 1000) + 30);
    stubSend(
      429,
      { errors: [{ field: null, message: 'too many requests' }] },
      { 'X-RateLimit-Reset': reset },
    );

    const error = await sendError(transport().send(email));

    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(30);
    expect(error.mayHaveBeenAccepted).toBe(false);
    expect(error.message).toContain('too many requests');
  });

  it('throws TransportUnavailableError on 503, which may have been taken', async () => {
    stubSend(503, 'Service Unavailable', { 'Retry-After': '5' });

    const error = await sendError(transport().send(email));

    expect(error.status).toBe(503);
    expect(error.retryAfterSeconds).toBe(5);
    expect(error.mayHaveBeenAccepted).toBe(true);
    expect(`${error.message} ${String(error.cause)}`).not.toContain(apiKey);
  });

  it('throws TransportUnavailableError when SendGrid cannot be reached at all, which was not taken', async () => {
    // No interceptor and no network: nock refuses the connection (ENETUNREACH) before anything is written.
    const error = await sendError(transport().send(email));

    expect(error.mayHaveBeenAccepted).toBe(false);
    expect(error.message).toMatch(/could not be reached \(ENETUNREACH\)/);
  });

  it('throws TransportUnavailableError when the answer does not come in time', async () => {
    nock(api).post('/v3/mail/send').delay(500).reply(202, '', { 'X-Message-Id': 'late' });
    const impatient = createSendGridTransport({ apiKey, apiBaseUrl: api, timeoutMs: 50 });

    const error = await sendError(impatient.send(email));

    expect(error.mayHaveBeenAccepted).toBe(true);
    expect(error.message).toContain('could not be reached');
  });
});

describe('SendGrid transport: lookup', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  const messageId = email.messageId;
  const query = { limit: '1', query: `(unique_args['dunwell_message_id']="${messageId}")` };
  const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

  it('finds a message SendGrid took by its custom argument', async () => {
    nock(api)
      .get('/v3/messages')
      .query(query)
      .matchHeader('authorization', `Bearer ${apiKey}`)
      .reply(200, {
        messages: [
          {
            from_email: 'reminders@mail.dunwell.test',
            msg_id: 'W2jLxsPcQ0y6dGd0nvbC4w.filterdrecv-5645d9c87f-8kz7m-1-67CED3B5-1.0',
            subject: 'Invoice INV-1042 is 14 days overdue',
            to_email: 'pay@customer.test',
            status: 'delivered',
            opens_count: 0,
            clicks_count: 0,
            last_event_time: '2025-03-10T11:58:02Z',
          },
        ],
      });

    const result = await transport().lookup(messageId, minutesAgo(2));

    expect(result).toEqual({
      status: 'sent',
      providerMessageId: 'W2jLxsPcQ0y6dGd0nvbC4w.filterdrecv-5645d9c87f-8kz7m-1-67CED3B5-1.0',
    });
  });

  it('answers unknown when nothing is found yet but the send is recent (Email Activity lags)', async () => {
    nock(api).get('/v3/messages').query(query).reply(200, { messages: [] });

    const result = await transport().lookup(messageId, minutesAgo(3));

    expect(result.status).toBe('unknown');
    expect(result.detail).toMatch(/too recent/);
  });

  it('answers not_sent when nothing is found and the send is old enough for Email Activity to be complete', async () => {
    nock(api).get('/v3/messages').query(query).reply(200, { messages: [] });

    const result = await transport().lookup(messageId, minutesAgo(45));

    expect(result).toEqual({ status: 'not_sent' });
  });

  it('answers unknown when the account has no Email Activity add-on (403) or the API answers 404', async () => {
    nock(api)
      .get('/v3/messages')
      .query(query)
      .reply(403, { errors: [{ field: null, message: 'access forbidden' }] });
    const forbidden = await transport().lookup(messageId, minutesAgo(45));
    expect(forbidden.status).toBe('unknown');
    expect(forbidden.detail).toMatch(/HTTP 403.*add-on/);

    nock(api).get('/v3/messages').query(query).reply(404, '');
    expect((await transport().lookup(messageId, minutesAgo(45))).status).toBe('unknown');
  });

  it('answers unknown, and does not throw, when SendGrid fails or answers nonsense', async () => {
    nock(api).get('/v3/messages').query(query).reply(500, 'oops');
    expect((await transport().lookup(messageId, minutesAgo(45))).status).toBe('unknown');

    nock(api).get('/v3/messages').query(query).reply(200, { result: 'something else' });
    expect((await transport().lookup(messageId, minutesAgo(45))).status).toBe('unknown');
  });

  it('answers unknown without asking in sandbox mode, whose sends never reach Email Activity', async () => {
    const result = await transport({ sandbox: true }).lookup(messageId, minutesAgo(45));
    expect(result.status).toBe('unknown');
    expect(nock.pendingMocks()).toEqual([]);
  });
});
