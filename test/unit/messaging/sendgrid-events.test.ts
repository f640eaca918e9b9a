import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { describe, expect, it } from 'vitest';
import { parseSendGridEvents, verifySendGridSignature } from '../../../src/messaging/sendgrid-events.js';

/** A key pair like the one SendGrid makes for the Signed Event Webhook (ECDSA P-256). */
function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  // SendGrid shows the verification key as base64 DER SubjectPublicKeyInfo, without PEM armour.
  const shown = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  return { shown, pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(), privateKey };
}

/** What SendGrid sends: base64 of the DER ECDSA signature of SHA-256(timestamp + raw body). */
function signAsSendGrid(privateKey: KeyObject, timestamp: string, body: Buffer): string {
  return sign('sha256', Buffer.concat([Buffer.from(timestamp), body]), privateKey).toString('base64');
}

const now = new Date('2025-03-10T12:00:00Z');
const timestamp = String(Math.floor(now.getTime() / 1000) - 20);

const dunwell = {
  dunwell_message_id: '0b7c8a9e-5a8f-4c1e-9d3a-2f6b1e4c7d90',
  dunwell_org_id: 'f1e2d3c4-b5a6-4789-8abc-def012345678',
};

/** A post as SendGrid makes it: several events, custom args at the top level, categories as an array. */
const payload = [
  {
    email: 'pay@customer.test',
    timestamp: 1741607970,
    'smtp-id': '<W2jLxsPcQ0y6dGd0nvbC4w@geopod-ismtpd-3>',
    event: 'delivered',
    category: ['dunwell', 'reminder', 'step:firm'],
    sg_event_id: 'ZGVsaXZlcmVkLTAtMjk3NTQ1NjEtVzJqTHhz',
    sg_message_id: 'W2jLxsPcQ0y6dGd0nvbC4w.filterdrecv-5645d9c87f-8kz7m-1-67CED3B5-1.0',
    response: '250 2.0.0 OK  1741607970 d75a77b69052e-471f',
    tls: 1,
    ip: '149.72.123.24',
    ...dunwell,
  },
  {
    email: 'ap@customer.test',
    timestamp: 1741607975,
    event: 'bounce',
    type: 'blocked',
    bounce_classification: 'Reputation',
    reason: '554 5.7.1 Service unavailable; Client host [149.72.123.24] blocked using Spamhaus',
    status: '5.7.1',
    sg_event_id: 'Ym91bmNlLTEtMjk3NTQ1NjEtVzJqTHhz',
    sg_message_id: 'W2jLxsPcQ0y6dGd0nvbC4w.filterdrecv-5645d9c87f-8kz7m-1-67CED3B5-2.0',
    category: ['dunwell', 'reminder'],
    ...dunwell,
  },
  {
    email: 'gone@customer.test',
    timestamp: 1741607980,
    event: 'bounce',
    type: 'bounce',
    bounce_classification: 'Invalid Address',
    reason: '550 5.1.1 The email account that you tried to reach does not exist.',
    status: '5.1.1',
    sg_event_id: 'Ym91bmNlLTItMjk3NTQ1NjEtVzJqTHhz',
    sg_message_id: 'W2jLxsPcQ0y6dGd0nvbC4w.filterdrecv-5645d9c87f-8kz7m-1-67CED3B5-3.0',
    ...dunwell,
  },
  {
    email: 'old@customer.test',
    timestamp: 1741607981,
    event: 'dropped',
    reason: 'Bounced Address',
    status: '5.0.0',
    sg_event_id: 'ZHJvcC0zLTI5NzU0NTYxLVcyakx4cw',
    sg_message_id: 'W2jLxsPcQ0y6dGd0nvbC4w.filterdrecv-5645d9c87f-8kz7m-1-67CED3B5-4.0',
    ...dunwell,
  },
  {
    email: 'pay@customer.test',
    timestamp: 1741608100,
    event: 'open',
    sg_machine_open: false,
    useragent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    ip: '203.0.113.9',
    sg_event_id: 'b3Blbi01LTI5NzU0NTYxLVcyakx4cw',
    sg_message_id: 'W2jLxsPcQ0y6dGd0nvbC4w.filterdrecv-5645d9c87f-8kz7m-1-67CED3B5-1.0',
    ...dunwell,
  },
  {
    email: 'pay@customer.test',
    timestamp: 1741608200,
    event: 'spamreport',
    sg_event_id: 'c3BhbS02LTI5NzU0NTYxLVcyakx4cw',
    sg_message_id: 'W2jLxsPcQ0y6dGd0nvbC4w.filterdrecv-5645d9c87f-8kz7m-1-67CED3B5-1.0',
    ...dunwell,
  },
  {
    email: 'pay@customer.test',
    timestamp: 1741608300,
    event: 'unsubscribe',
    sg_event_id: 'dW5zdWItNy0yOTc1NDU2MS1XMmpMeHM',
    sg_message_id: 'W2jLxsPcQ0y6dGd0nvbC4w.filterdrecv-5645d9c87f-8kz7m-1-67CED3B5-1.0',
    ...dunwell,
  },
  {
    email: 'someone@elsewhere.test',
    timestamp: 1741608400,
    event: 'deferred',
    response: '421 4.7.0 Try again later',
    attempt: '2',
    sg_event_id: 'ZGVmZXJyZWQtOC0yOTc1NDU2MQ',
    sg_message_id: 'Xyz.filterdrecv-1',
  },
  {
    email: 'pay@customer.test',
    timestamp: 1741608500,
    event: 'group_resubscribe',
    asm_group_id: 10,
    sg_event_id: 'cmVzdWItOS0yOTc1NDU2MQ',
    ...dunwell,
  },
  { email: 'broken@customer.test', event: 'delivered', sg_event_id: 'no-timestamp' },
];
const body = Buffer.from(JSON.stringify(payload));

describe('verifySendGridSignature', () => {
  const keys = keyPair();

  it('accepts a post signed the way SendGrid signs it', () => {
    const signature = signAsSendGrid(keys.privateKey, timestamp, body);

    expect(verifySendGridSignature(keys.shown, body, signature, timestamp, now)).toBe(true);
    // The same key given as PEM works too.
    expect(verifySendGridSignature(keys.pem, body, signature, timestamp, now)).toBe(true);
  });

  it('agrees with @sendgrid/eventwebhook on the same signature', () => {
    const signature = signAsSendGrid(keys.privateKey, timestamp, body);
    const library = new EventWebhook();

    expect(
      library.verifySignature(library.convertPublicKeyToECDSA(keys.pem), body, signature, timestamp),
    ).toBe(true);
  });

  it('refuses a tampered body', () => {
    const signature = signAsSendGrid(keys.privateKey, timestamp, body);
    const tampered = Buffer.from(body.toString().replace('"delivered"', '"dropped"'));

    expect(verifySendGridSignature(keys.shown, tampered, signature, timestamp, now)).toBe(false);
  });

  it('refuses a signature over another timestamp', () => {
    const signature = signAsSendGrid(keys.privateKey, timestamp, body);
    const other = String(Number(timestamp) + 1);

    expect(verifySendGridSignature(keys.shown, body, signature, other, now)).toBe(false);
  });

  it('refuses a signature made with another key', () => {
    const stranger = keyPair();
    const signature = signAsSendGrid(stranger.privateKey, timestamp, body);

    expect(verifySendGridSignature(keys.shown, body, signature, timestamp, now)).toBe(false);
  });

  it('refuses a post without its signature or timestamp header', () => {
    const signature = signAsSendGrid(keys.privateKey, timestamp, body);

    expect(verifySendGridSignature(keys.shown, body, undefined, timestamp, now)).toBe(false);
    expect(verifySendGridSignature(keys.shown, body, signature, undefined, now)).toBe(false);
    expect(verifySendGridSignature(keys.shown, body, '', timestamp, now)).toBe(false);
  });

  it('refuses a stale (or far-future) timestamp even when the signature is good', () => {
    const stale = String(Math.floor(now.getTime() / 1000) - 601);
    const future = String(Math.floor(now.getTime() / 1000) + 601);

    expect(
      verifySendGridSignature(keys.shown, body, signAsSendGrid(keys.privateKey, stale, body), stale, now),
    ).toBe(false);
    expect(
      verifySendGridSignature(keys.shown, body, signAsSendGrid(keys.privateKey, future, body), future, now),
    ).toBe(false);
    // A wider window, when the caller asks for one, accepts the older post.
    expect(
      verifySendGridSignature(
        keys.shown,
        body,
        signAsSendGrid(keys.privateKey, stale, body),
        stale,
        now,
        3600,
      ),
    ).toBe(true);
  });

  it('refuses garbage instead of throwing: a bad key, a bad signature, a non-numeric timestamp', () => {
    const signature = signAsSendGrid(keys.privateKey, timestamp, body);

    expect(verifySendGridSignature('not a key', body, signature, timestamp, now)).toBe(false);
    expect(verifySendGridSignature(keys.shown, body, 'bm90IGEgc2lnbmF0dXJl', timestamp, now)).toBe(false);
    expect(verifySendGridSignature(keys.shown, body, signature, 'yesterday', now)).toBe(false);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ format: 'der', type: 'spki' })
      .toString('base64');
    expect(verifySendGridSignature(rsa, body, signature, timestamp, now)).toBe(false);
  });
});

describe('parseSendGridEvents', () => {
  it('maps a realistic post to delivery events with Dunwell’s custom args', () => {
    const result = parseSendGridEvents(body);
    if (!result.ok) throw new Error(result.reason);

    expect(result.skipped).toEqual({ unknownKind: 1, invalid: 1 });
    expect(result.events).toEqual([
      {
        eventId: 'ZGVsaXZlcmVkLTAtMjk3NTQ1NjEtVzJqTHhz',
        messageId: dunwell.dunwell_message_id,
        orgId: dunwell.dunwell_org_id,
        providerMessageId: 'W2jLxsPcQ0y6dGd0nvbC4w.filterdrecv-5645d9c87f-8kz7m-1-67CED3B5-1.0',
        email: 'pay@customer.test',
        kind: 'delivered',
        permanent: false,
        at: new Date(1741607970 * 1000),
        reason: null,
      },
      {
        eventId: 'Ym91bmNlLTEtMjk3NTQ1NjEtVzJqTHhz',
        messageId: dunwell.dunwell_message_id,
        orgId: dunwell.dunwell_org_id,
        providerMessageId: 'W2jLxsPcQ0y6dGd0nvbC4w.filterdrecv-5645d9c87f-8kz7m-1-67CED3B5-2.0',
        email: 'ap@customer.test',
        kind: 'blocked',
        permanent: false,
        at: new Date(1741607975 * 1000),
        reason: '554 5.7.1 Service unavailable; Client host [149.72.123.24] blocked using Spamhaus',
      },
      {
        eventId: 'Ym91bmNlLTItMjk3NTQ1NjEtVzJqTHhz',
        messageId: dunwell.dunwell_message_id,
        orgId: dunwell.dunwell_org_id,
        providerMessageId: 'W2jLxsPcQ0y6dGd0nvbC4w.filterdrecv-5645d9c87f-8kz7m-1-67CED3B5-3.0',
        email: 'gone@customer.test',
        kind: 'bounced',
        permanent: true,
        at: new Date(1741607980 * 1000),
        reason: '550 5.1.1 The email account that you tried to reach does not exist.',
      },
      {
        eventId: 'ZHJvcC0zLTI5NzU0NTYxLVcyakx4cw',
        messageId: dunwell.dunwell_message_id,
        orgId: dunwell.dunwell_org_id,
        providerMessageId: 'W2jLxsPcQ0y6dGd0nvbC4w.filterdrecv-5645d9c87f-8kz7m-1-67CED3B5-4.0',
        email: 'old@customer.test',
        kind: 'dropped',
        permanent: true,
        at: new Date(1741607981 * 1000),
        reason: 'Bounced Address',
      },
      expect.objectContaining({ kind: 'opened', permanent: false, email: 'pay@customer.test' }),
      expect.objectContaining({
        kind: 'spam_report',
        permanent: false,
        eventId: 'c3BhbS02LTI5NzU0NTYxLVcyakx4cw',
      }),
      expect.objectContaining({
        kind: 'unsubscribed',
        permanent: false,
        messageId: dunwell.dunwell_message_id,
      }),
      {
        eventId: 'ZGVmZXJyZWQtOC0yOTc1NDU2MQ',
        messageId: null,
        orgId: null,
        providerMessageId: 'Xyz.filterdrecv-1',
        email: 'someone@elsewhere.test',
        kind: 'deferred',
        permanent: false,
        at: new Date(1741608400 * 1000),
        reason: '421 4.7.0 Try again later',
      },
    ]);
  });

  it('treats a group unsubscribe as an unsubscribe and reads a numeric-string timestamp', () => {
    const result = parseSendGridEvents(
      Buffer.from(
        JSON.stringify([
          {
            email: 'a@customer.test',
            timestamp: '1741608300',
            event: 'group_unsubscribe',
            asm_group_id: 10,
            sg_event_id: 'g1',
            dunwell_message_id: 42,
          },
        ]),
      ),
    );

    expect(result).toEqual({
      ok: true,
      events: [
        {
          eventId: 'g1',
          messageId: null,
          orgId: null,
          providerMessageId: null,
          email: 'a@customer.test',
          kind: 'unsubscribed',
          permanent: false,
          at: new Date(1741608300 * 1000),
          reason: null,
        },
      ],
      skipped: { unknownKind: 0, invalid: 0 },
    });
  });

  it('refuses a body that is not JSON, or not an array', () => {
    expect(parseSendGridEvents(Buffer.from('[{"email": "a@b.test", '))).toEqual({
      ok: false,
      reason: 'the body is not JSON',
    });
    expect(parseSendGridEvents(Buffer.from('{"event":"delivered"}'))).toMatchObject({ ok: false });
    expect(parseSendGridEvents(Buffer.from(''))).toMatchObject({ ok: false });
  });
});
