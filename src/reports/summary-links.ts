import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { compactVerify } from 'jose';
import { z } from 'zod';

/** Where the weekly summary's signed links lead (see http/routes/weekly-summary.ts). */
export const reviewLinkPath = '/r/';
export const unsubscribePath = '/portal/summary-unsubscribe/';

export type ReviewLinkCheck =
  | { ok: true; orgId: string }
  | { ok: false; reason: 'expired'; orgId: string }
  | { ok: false; reason: 'invalid' };

export type UnsubscribeLinkCheck =
  | { ok: true; orgId: string; recipientTag: string }
  | { ok: false; reason: 'invalid' };

const reviewClaims = z.object({ o: z.uuid(), e: z.number().int() });
const unsubscribeClaims = z.object({ o: z.uuid(), r: z.string().regex(/^[A-Za-z0-9_-]{22}$/) });
const header = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
const decoder = new TextDecoder();

/**
 * The signed links of the weekly summary (HMAC-SHA-256 compact JWS, as the portal's), each kind
 * with its own key derived from the server secret, so neither can pass for the other or for a
 * portal link:
 * - the one-click link to the review queue names the organisation and expires;
 * - the unsubscribe link names the organisation and the recipient, by a keyed hash of the address
 *   (the address itself never appears in a URL or a log). It does not expire: an unsubscribe link
 *   in an old email must still work.
 */
export function weeklySummaryLinks(serverSecret: string, publicUrl: string) {
  const derive = (purpose: string) =>
    new Uint8Array(hkdfSync('sha256', serverSecret, 'dunwell', purpose, 32));
  const reviewKey = derive('weekly-summary-review-v1');
  const unsubscribeKey = derive('weekly-summary-unsubscribe-v1');
  const recipientKey = derive('weekly-summary-recipient-v1');
  const base = publicUrl.replace(/\/$/, '');

  function sign(key: Uint8Array, claims: object): string {
    const signingInput = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
  }

  async function verify<Claims>(
    key: Uint8Array,
    token: string,
    schema: z.ZodType<Claims>,
  ): Promise<Claims | null> {
    try {
      const { payload } = await compactVerify(token, key, { algorithms: ['HS256'] });
      const claims = schema.safeParse(JSON.parse(decoder.decode(payload)));
      return claims.success ? claims.data : null;
    } catch {
      return null;
    }
  }

  /** 22 base64url characters (128 bits) naming one address, the same whatever its case. */
  function recipientTag(email: string): string {
    return createHmac('sha256', recipientKey)
      .update(email.trim().toLowerCase())
      .digest('base64url')
      .slice(0, 22);
  }

  return {
    base,
    reviewUrl(orgId: string, expiresAt: Date): string {
      return `${base}${reviewLinkPath}${sign(reviewKey, { o: orgId, e: Math.floor(expiresAt.getTime() / 1000) })}`;
    },
    unsubscribeUrl(orgId: string, email: string): string {
      return `${base}${unsubscribePath}${sign(unsubscribeKey, { o: orgId, r: recipientTag(email) })}`;
    },
    async checkReview(token: string, now: Date): Promise<ReviewLinkCheck> {
      const claims = await verify(reviewKey, token, reviewClaims);
      if (!claims) return { ok: false, reason: 'invalid' };
      return claims.e * 1000 > now.getTime()
        ? { ok: true, orgId: claims.o }
        : { ok: false, reason: 'expired', orgId: claims.o };
    },
    async checkUnsubscribe(token: string): Promise<UnsubscribeLinkCheck> {
      const claims = await verify(unsubscribeKey, token, unsubscribeClaims);
      return claims
        ? { ok: true, orgId: claims.o, recipientTag: claims.r }
        : { ok: false, reason: 'invalid' };
    },
    /** The address among `emails` that a checked unsubscribe link names, if any. */
    recipientNamed(tag: string, emails: readonly string[]): string | null {
      const wanted = Buffer.from(tag);
      for (const email of emails) {
        const candidate = Buffer.from(recipientTag(email));
        if (candidate.length === wanted.length && timingSafeEqual(candidate, wanted)) return email;
      }
      return null;
    },
  };
}

export type WeeklySummaryLinks = ReturnType<typeof weeklySummaryLinks>;
