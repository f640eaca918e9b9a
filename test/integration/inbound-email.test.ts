import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inboundEmails } from '../../src/db/schema/index.js';
import { type DunwellUnderTest, startDunwell } from '../helpers/dunwell-harness.js';

const secret = 'inbound-secret-0123456789abcdef';

/** A post as SendGrid's Inbound Parse makes it (fields as documented, and an attachment). */
function inboundForm(fields: Record<string, string>, attachment?: Blob): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (attachment) form.append('attachment1', attachment, 'invoice.pdf');
  return form;
}

const reply = {
  headers:
    'Received: by mx.sendgrid.net\r\nMessage-ID:\r\n <CAF=reply-1@mail.example>\r\nSubject: Re: Invoice 1001\r\n',
  from: 'Ann Payer <ann@payer.example>',
  to: 'reply+abc@in.dunwell.example',
  subject: 'Re: Invoice 1001',
  text: 'We will pay on Friday.\n\nOn Mon, Dunwell wrote:\n> Invoice 1001 is overdue',
  html: '<p>We will pay on Friday.</p>',
  envelope: JSON.stringify({ to: ['reply+abc@in.dunwell.example'], from: 'ann@payer.example' }),
  charsets: JSON.stringify({ to: 'UTF-8', from: 'UTF-8', subject: 'UTF-8', text: 'UTF-8', html: 'UTF-8' }),
  spam_score: '0.1',
};

describe('the inbound email webhook (SendGrid Inbound Parse)', () => {
  let dunwell: DunwellUnderTest;
  let closed: DunwellUnderTest;
  const post = (form: FormData | string, path = secret, at = () => dunwell) =>
    fetch(`${at().runtime.url}/webhooks/sendgrid/inbound/${path}`, {
      method: 'POST',
      body: form,
      ...(typeof form === 'string' ? { headers: { 'content-type': 'text/plain' } } : {}),
    });
  const stored = () => dunwell.runtime.database.db.select().from(inboundEmails);

  beforeAll(async () => {
    [dunwell, closed] = await Promise.all([
      startDunwell(inject('adminUrl'), { INBOUND_EMAIL_SECRET: secret }),
      startDunwell(inject('adminUrl'), {}),
    ]);
  });
  afterAll(async () => {
    await Promise.all([dunwell?.stop(), closed?.stop()]);
  });

  it('answers 404 without the secret, with a wrong one, and when no secret is configured', async () => {
    expect((await post(inboundForm(reply), 'wrong-secret-0123456789abcdef')).status).toBe(404);
    expect((await post(inboundForm(reply), `${secret}x`)).status).toBe(404);
    expect((await post(inboundForm(reply), secret, () => closed)).status).toBe(404);
    expect(await stored()).toEqual([]);
  });

  it('stores the post before answering 200: addresses, subject, text part, Message-ID, size, attachments counted', async () => {
    const attachment = new Blob([Buffer.alloc(20_000, 1)], { type: 'application/pdf' });
    const response = await post(inboundForm(reply, attachment));
    expect(response.status).toBe(200);
    const rows = await stored();
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({
      toAddress: 'reply+abc@in.dunwell.example',
      fromAddress: 'ann@payer.example',
      subject: 'Re: Invoice 1001',
      text: reply.text,
      messageId: 'CAF=reply-1@mail.example',
      attachments: 1,
      status: 'received',
    });
    expect(row?.size).toBeGreaterThan(20_000);
  });

  it('makes the HTML part text when there is no text part, and decodes fields in their charsets', async () => {
    // Built by hand: FormData would send the subject as UTF-8, and SendGrid passes the sender's bytes.
    const boundary = 'xYzZY';
    const part = (name: string, value: Buffer | string) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
        Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'),
        Buffer.from('\r\n'),
      ]);
    const body = Buffer.concat([
      part('from', 'Zoé <zoe@payer.example>'),
      part('to', 'reply+def@in.dunwell.example'),
      part('subject', Buffer.from('Réglé hier, merci', 'latin1')),
      part('html', '<div>Nous avons <b>payé</b> hier.<br>Merci</div>'),
      part('charsets', JSON.stringify({ subject: 'iso-8859-1', html: 'UTF-8' })),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const response = await fetch(`${dunwell.runtime.url}/webhooks/sendgrid/inbound/${secret}`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(response.status).toBe(200);
    const row = (await stored()).find((email) => email.toAddress === 'reply+def@in.dunwell.example');
    expect(row?.fromAddress).toBe('Zoé <zoe@payer.example>');
    expect(row?.subject).toBe('Réglé hier, merci');
    expect(row?.text).toContain('Nous avons payé hier.');
    expect(row?.text).not.toContain('<');
  });

  it('refuses a malformed post with a clear 400 and stores nothing', async () => {
    const before = (await stored()).length;
    const noRecipient = inboundForm({ from: 'ann@payer.example', text: 'hello' });
    const badEnvelope = inboundForm({ ...reply, envelope: '{not json' });
    for (const body of [noRecipient, badEnvelope, 'not a form']) {
      const response = await post(body);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe('malformed_email');
      expect(answer.error.message).toMatch(/could not be read|multipart/);
    }
    expect(await stored()).toHaveLength(before);
  });

  it('refuses a post over 1 MB with a 413 and stores nothing', async () => {
    const before = (await stored()).length;
    const big = new Blob([Buffer.alloc(1_100_000, 2)], { type: 'application/pdf' });
    const response = await post(inboundForm(reply, big));
    expect(response.status).toBe(413);
    expect(await stored()).toHaveLength(before);
  });
});
