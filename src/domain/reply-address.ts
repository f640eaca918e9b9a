import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** Hex characters of the HMAC kept in a reply address (80 bits): a forged one is found out. */
const macLength = 20;
const uuidHex = /^[0-9a-f]{32}$/;
const replyLocal = /(?:^|[\s<,;:"])reply\+([0-9a-f]{32})([0-9a-f]{20})@([a-z0-9.-]+)/gi;

/**
 * The Reply-To of each reminder: `reply+<token>@<domain>`, where the token is the outbound message's
 * id and an HMAC of it. A reply then names its message (and through it the debtor and the
 * organisation) without a lookup table, and nobody without the key can make one that names another
 * message. Lower-case hex, so a mail system that folds the local part's case does not break it.
 */
export interface ReplyAddresses {
  domain: string;
  addressFor(messageId: string): string;
  /** The message named by the first reply address of ours in `addresses` whose HMAC holds, or why none. */
  messageIdIn(addresses: string): { ok: true; messageId: string } | { ok: false; reason: 'none' | 'forged' };
}

/** The reply addresses' own key, derived from the session secret (so no other signature can stand in for one). */
export function replyAddressKey(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionSecret, '', 'dunwell reply address', 32));
}

export function replyAddresses(key: Buffer, domain: string): ReplyAddresses {
  const ownDomain = domain.toLowerCase();
  const macOf = (hex: string) => createHmac('sha256', key).update(hex).digest('hex').slice(0, macLength);
  return {
    domain: ownDomain,
    addressFor(messageId) {
      const hex = messageId.replaceAll('-', '').toLowerCase();
      if (!uuidHex.test(hex)) throw new Error('a reply address names an outbound message id (a UUID)');
      return `reply+${hex}${macOf(hex)}@${ownDomain}`;
    },
    messageIdIn(addresses) {
      let forged = false;
      for (const match of addresses.matchAll(replyLocal)) {
        const [, id = '', mac = '', at = ''] = match;
        if (at.toLowerCase() !== ownDomain) continue;
        const hex = id.toLowerCase();
        const expected = Buffer.from(macOf(hex));
        const given = Buffer.from(mac.toLowerCase());
        if (!timingSafeEqual(expected, given)) {
          forged = true;
          continue;
        }
        const messageId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
        return { ok: true, messageId };
      }
      return { ok: false, reason: forged ? 'forged' : 'none' };
    },
  };
}
