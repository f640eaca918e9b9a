import { createHmac, hkdfSync } from 'node:crypto';
import { compactVerify } from 'jose';
import { z } from 'zod';

/** Whose page a link opens: one debtor of one organisation. */
export interface PortalTarget {
  orgId: string;
  customerId: string;
}

export type PortalLinkCheck =
  | ({ ok: true; expiresAt: Date } & PortalTarget)
  | ({ ok: false; reason: 'expired' } & PortalTarget)
  | { ok: false; reason: 'invalid' };

const claimsSchema = z.object({ o: z.uuid(), c: z.uuid(), e: z.number().int() });
const header = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
const decoder = new TextDecoder();

/**
 * Signed, expiring, single-debtor links (HMAC-SHA-256 in a compact JWS, no login). The key is derived
 * from the server secret for this purpose only, so a session cookie's key never signs a link.
 */
export function portalLinks(serverSecret: string, publicUrl: string) {
  const key = new Uint8Array(hkdfSync('sha256', serverSecret, 'dunwell', 'portal-links-v1', 32));
  const base = publicUrl.replace(/\/$/, '');

  // Signing is synchronous (templates render synchronously); jose verifies, so the format stays standard.
  function tokenFor(target: PortalTarget, expiresAt: Date): string {
    const claims = { o: target.orgId, c: target.customerId, e: Math.floor(expiresAt.getTime() / 1000) };
    const signingInput = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
  }

  return {
    tokenFor,
    urlFor(target: PortalTarget, expiresAt: Date): string {
      return `${base}/portal/${tokenFor(target, expiresAt)}`;
    },
    /** Checks the signature, then the expiry; an expired link still names its debtor (for a helpful page). */
    async check(token: string, now: Date): Promise<PortalLinkCheck> {
      try {
        const { payload } = await compactVerify(token, key, { algorithms: ['HS256'] });
        const claims = claimsSchema.safeParse(JSON.parse(decoder.decode(payload)));
        if (!claims.success) return { ok: false, reason: 'invalid' };
        const target = { orgId: claims.data.o, customerId: claims.data.c };
        const expiresAt = new Date(claims.data.e * 1000);
        return expiresAt.getTime() > now.getTime()
          ? { ok: true, ...target, expiresAt }
          : { ok: false, reason: 'expired', ...target };
      } catch {
        return { ok: false, reason: 'invalid' };
      }
    },
  };
}

export type PortalLinks = ReturnType<typeof portalLinks>;
