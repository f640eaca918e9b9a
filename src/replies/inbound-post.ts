import { storableText } from '../domain/text.js';
import { htmlToText } from './reply-text.js';
import { senderAddress } from './sender-match.js';

/**
 * A post of SendGrid's Inbound Parse as the web layer read it: each text field's bytes (as a
 * latin1 string, one character a byte, so that `charsets` can decode them), the attachments
 * counted, and the size of the whole post.
 */
export interface InboundPost {
  fields: Readonly<Record<string, string>>;
  attachments: number;
  size: number;
}

/** An inbound email ready to store. */
export interface InboundEmail {
  toAddress: string;
  fromAddress: string;
  subject: string;
  text: string;
  messageId: string | null;
  size: number;
  attachments: number;
  /** SendGrid found the sender's SPF or a DKIM signature of the sender's own domain to pass. */
  senderVerified: boolean;
}

/** Longest text kept of one email; a reply's own words are far shorter, the rest is quoted history. */
const textLimit = 100_000;
const subjectLimit = 1_000;
const addressLimit = 2_000;

/**
 * Reads a post into the email to store, or says why it cannot be read (a clear 400, nothing stored):
 * it must name a sender and a recipient (in the envelope, or the From and To fields), and an envelope
 * or charsets field, when there is one, must be JSON of the documented shape.
 */
export function readInboundPost(
  post: InboundPost,
): { ok: true; email: InboundEmail } | { ok: false; reason: string } {
  const charsets = jsonField(post.fields['charsets']);
  if (charsets === 'invalid' || (charsets !== undefined && !isStringRecord(charsets)))
    return { ok: false, reason: 'the charsets field is not a JSON object of charset names' };
  const field = (name: string): string | undefined => {
    const bytes = post.fields[name];
    if (bytes === undefined) return undefined;
    const charset = charsets?.[name];
    return storableText(decode(bytes, typeof charset === 'string' ? charset : 'utf-8'));
  };
  const envelopeText = field('envelope');
  const envelope = jsonField(envelopeText);
  if (envelope === 'invalid' || (envelope !== undefined && !isEnvelope(envelope)))
    return { ok: false, reason: 'the envelope field is not JSON with "to" (a list of addresses) and "from"' };
  const to = envelope?.to.join(', ') || field('to')?.trim();
  const from = envelope?.from || field('from')?.trim();
  if (!to) return { ok: false, reason: 'the post names no recipient (no envelope and no to field)' };
  if (!from) return { ok: false, reason: 'the post names no sender (no envelope and no from field)' };
  const plain = field('text');
  const markup = field('html');
  const text = (plain?.trim() ? plain : markup ? htmlToText(markup) : '').replace(/\r\n?/g, '\n');
  return {
    ok: true,
    email: {
      toAddress: to.slice(0, addressLimit),
      fromAddress: from.slice(0, addressLimit),
      subject: (field('subject') ?? '').trim().slice(0, subjectLimit),
      text: text.slice(0, textLimit),
      messageId: messageIdOf(field('headers') ?? ''),
      size: post.size,
      attachments: post.attachments,
      senderVerified: senderVerified(from, field('SPF'), field('dkim')),
    },
  };
}

/** The bytes of a field (one character a byte) decoded in the charset SendGrid named, UTF-8 when unknown. */
function decode(bytes: string, charset: string): string {
  const buffer = Buffer.from(bytes, 'latin1');
  try {
    return new TextDecoder(charset.trim().toLowerCase() || 'utf-8').decode(buffer);
  } catch {
    return new TextDecoder('utf-8').decode(buffer);
  }
}

function jsonField(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return 'invalid';
  }
}

function isStringRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether SendGrid's checks vouch for the sender: its SPF verdict ("pass") for the envelope sender,
 * or a passing DKIM signature of the sender's own domain (`dkim` reads like "{@example.com : pass}",
 * one entry per signature).
 */
export function senderVerified(from: string, spf: string | undefined, dkim: string | undefined): boolean {
  if (spf?.trim().toLowerCase() === 'pass') return true;
  const domain = senderAddress(from)?.split('@')[1];
  if (!domain || !dkim) return false;
  return [...dkim.toLowerCase().matchAll(/@([a-z0-9.-]+)\s*:\s*(\w+)/g)].some(
    ([, signer, verdict]) => verdict === 'pass' && signer === domain,
  );
}

function isEnvelope(value: unknown): value is { to: string[]; from: string } {
  if (!isStringRecord(value)) return false;
  const { to, from } = value as { to?: unknown; from?: unknown };
  return (
    Array.isArray(to) &&
    to.length > 0 &&
    to.every((address) => typeof address === 'string') &&
    typeof from === 'string'
  );
}

/** The Message-ID header of the raw headers block (folded lines unfolded), without its angle brackets. */
export function messageIdOf(headers: string): string | null {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const line = /^message-id:[ \t]*(.+)$/im.exec(unfolded);
  const value = line?.[1]?.trim().replace(/^<|>$/g, '').trim();
  return value ? value.slice(0, 998) : null;
}
