import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLocalTransport } from '../../../src/messaging/transport/local.js';
import { createSendGridTransport } from '../../../src/messaging/transport/sendgrid.js';
import { maxAttachmentsBytes, type OutgoingEmail } from '../../../src/messaging/transport/types.js';

const api = 'http://sendgrid.test';
const pdf = Buffer.from('%PDF-1.7 a statement of account');
const statement = {
  filename: 'statement-Cool-Cars-2026-11-24.pdf',
  contentType: 'application/pdf',
  contentBase64: pdf.toString('base64'),
};
const email: OutgoingEmail = {
  messageId: '0b7c8a9e-5a8f-4c1e-9d3a-2f6b1e4c7d90',
  orgId: 'f1e2d3c4-b5a6-4789-8abc-def012345678',
  from: { email: 'reminders@mail.dunwell.test', name: 'Acme Plumbing Ltd' },
  replyTo: null,
  to: [{ email: 'pay@customer.test' }],
  cc: [],
  subject: 'Reminder',
  html: '<p>Hello</p>',
  text: 'Hello',
  categories: ['dunwell', 'reminder'],
  unsubscribeUrl: null,
  attachments: [statement],
};
/** Base64 of a file just over the limit (its length, not its bytes, is what is measured). */
const tooLarge = { ...statement, contentBase64: 'A'.repeat(Math.ceil(((maxAttachmentsBytes + 3) * 4) / 3)) };

describe('attachments through SendGrid', () => {
  const transport = () => createSendGridTransport({ apiKey: 'SG.test-key-never-real', apiBaseUrl: api });
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('sends each file as v3 `attachments`: base64 content, filename, type, disposition attachment', async () => {
    const seen: { body?: Record<string, unknown> } = {};
    nock(api)
      .post('/v3/mail/send', (body) => {
        seen.body = body;
        return true;
      })
      .reply(202, '', { 'X-Message-Id': 'abc' });
    expect(await transport().send(email)).toEqual({ status: 'sent', providerMessageId: 'abc' });
    expect(seen.body?.['attachments']).toEqual([
      {
        content: pdf.toString('base64'),
        filename: 'statement-Cool-Cars-2026-11-24.pdf',
        type: 'application/pdf',
        disposition: 'attachment',
      },
    ]);
  });

  it('sends no `attachments` key without any', async () => {
    const seen: { body?: Record<string, unknown> } = {};
    nock(api)
      .post('/v3/mail/send', (body) => {
        seen.body = body;
        return true;
      })
      .reply(202);
    await transport().send({ ...email, attachments: [] });
    expect(seen.body).not.toHaveProperty('attachments');
  });

  it('refuses, without calling SendGrid, attachments over the 30 MB a message may carry', async () => {
    const result = await transport().send({ ...email, attachments: [tooLarge] });
    expect(result).toMatchObject({ status: 'rejected', permanent: true });
    expect(result.status === 'rejected' && result.reason).toContain('over the 30 MB');
  });
});

describe('attachments through the local transport', () => {
  it('keeps each file whole, and lists its name, type and size', async () => {
    const transport = createLocalTransport();
    await transport.send(email);
    expect(transport.sent()[0]?.attachments).toEqual([statement]);
    expect(transport.attachments()).toEqual([
      {
        messageId: email.messageId,
        filename: 'statement-Cool-Cars-2026-11-24.pdf',
        contentType: 'application/pdf',
        bytes: pdf.length,
      },
    ]);
  });

  it('refuses what SendGrid would refuse, and keeps nothing', async () => {
    const transport = createLocalTransport();
    expect(await transport.send({ ...email, attachments: [tooLarge] })).toMatchObject({ status: 'rejected' });
    expect(transport.sent()).toEqual([]);
  });
});
