import { describe, expect, it } from 'vitest';
import { messageIdOf, readInboundPost, senderVerified } from '../../../src/replies/inbound-post.js';

const bytes = (text: string, encoding: BufferEncoding = 'utf8') =>
  Buffer.from(text, encoding).toString('latin1');

describe('reading a post of SendGrid Inbound Parse', () => {
  it('takes the envelope over the headers, the text part over the HTML', () => {
    const read = readInboundPost({
      fields: {
        from: bytes('Ann <ann@payer.example>'),
        to: bytes('Dunwell <reply+tok@in.example>'),
        envelope: bytes(JSON.stringify({ to: ['reply+tok@in.example'], from: 'bounce@payer.example' })),
        subject: bytes('  Re: Invoice 7  '),
        text: bytes('Paid yesterday.\r\nAnn'),
        html: bytes('<p>Paid yesterday.</p>'),
      },
      attachments: 2,
      size: 1234,
    });
    expect(read).toEqual({
      ok: true,
      email: {
        toAddress: 'reply+tok@in.example',
        fromAddress: 'bounce@payer.example',
        subject: 'Re: Invoice 7',
        text: 'Paid yesterday.\nAnn',
        messageId: null,
        size: 1234,
        attachments: 2,
        senderVerified: false,
      },
    });
  });

  it('decodes each field in the charset SendGrid names, UTF-8 when it names none or an unknown one', () => {
    const read = readInboundPost({
      fields: {
        from: bytes('zoé@payer.example'),
        to: bytes('reply+x@in.example'),
        subject: bytes('Réglé', 'latin1'),
        text: bytes('Payé'),
        charsets: bytes(JSON.stringify({ subject: 'iso-8859-1', text: 'x-unknown-charset' })),
      },
      attachments: 0,
      size: 10,
    });
    expect(read.ok && read.email).toMatchObject({
      fromAddress: 'zoé@payer.example',
      subject: 'Réglé',
      text: 'Payé',
    });
  });

  it('makes the HTML text when there is no text part, and drops what PostgreSQL cannot store', () => {
    const read = readInboundPost({
      fields: {
        from: 'a@b.example',
        to: 'c@d.example',
        html: bytes('<div>We <b>paid</b>\u0000 today</div>'),
      },
      attachments: 0,
      size: 10,
    });
    expect(read.ok && read.email.text).toMatch(/We paid\s*today/);
  });

  it('refuses a post without a sender or a recipient, or with an envelope or charsets that are not JSON', () => {
    const size = { attachments: 0, size: 1 };
    expect(readInboundPost({ fields: { from: 'a@b.example' }, ...size })).toMatchObject({ ok: false });
    expect(readInboundPost({ fields: { to: 'a@b.example' }, ...size })).toMatchObject({ ok: false });
    expect(
      readInboundPost({ fields: { from: 'a@b.example', to: 'c@d.example', envelope: '{' }, ...size }),
    ).toMatchObject({ ok: false, reason: expect.stringContaining('envelope') });
    expect(
      readInboundPost({
        fields: { from: 'a@b.example', to: 'c@d.example', envelope: '{"to":"x"}' },
        ...size,
      }),
    ).toMatchObject({ ok: false });
    expect(
      readInboundPost({ fields: { from: 'a@b.example', to: 'c@d.example', charsets: '[1]' }, ...size }),
    ).toMatchObject({ ok: false, reason: expect.stringContaining('charsets') });
  });

  it('reads the Message-ID header, folded or not', () => {
    expect(messageIdOf('Subject: x\r\nMessage-ID: <abc@mail.example>\r\n')).toBe('abc@mail.example');
    expect(messageIdOf('Message-Id:\r\n  <folded@mail.example>\r\nTo: y')).toBe('folded@mail.example');
    expect(messageIdOf('Subject: none')).toBeNull();
  });
});

describe("whether SendGrid's checks vouch for the sender", () => {
  it('takes an SPF pass, or a passing DKIM signature of the sender’s own domain, and nothing else', () => {
    expect(senderVerified('ap@payer.example', 'pass', undefined)).toBe(true);
    expect(senderVerified('ap@payer.example', ' PASS ', undefined)).toBe(true);
    expect(senderVerified('Ann <ap@Payer.example>', 'none', '{@payer.example : pass}')).toBe(true);
    expect(
      senderVerified('ap@payer.example', 'softfail', '{@other.example : pass, @payer.example : fail}'),
    ).toBe(false);
    expect(senderVerified('ap@payer.example', 'fail', '{@mail.payer.example : pass}')).toBe(false);
    expect(senderVerified('ap@payer.example', undefined, undefined)).toBe(false);
    expect(senderVerified('not an address', 'neutral', '{@payer.example : pass}')).toBe(false);
  });
});
