/**
 * Authorization codes, grants and tokens. A grant is one connection of the app to one realm; its access and
 * refresh tokens all die together when it is revoked (by the app, or by the user disconnecting in QuickBooks).
 *
 * Refresh rotation is deliberately strict: every refresh issues a new refresh token and the one presented
 * stops working at once. (Real Intuit may hand back the same refresh token for up to a day; clients that
 * always store the newest token work against both, clients that race two refreshes get caught here.)
 * Access tokens issued earlier keep working until they expire, as with Intuit.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { pkceMatches } from '../../kit/oauth.js';

/** Intuit's refresh tokens have a 5-year hard cap (Intuit blog, 2025-11-12). */
export const HARD_EXPIRY_SECONDS = 5 * 365 * 86_400;
const CODE_TTL_MS = 10 * 60_000;

export interface Grant {
  id: string;
  realmId: string;
  scopes: string[];
  sub: string;
  authTime: number;
  hardExpiresAt: number;
  revoked: boolean;
}

interface AuthCode {
  realmId: string;
  sub: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

interface TokenRecord {
  grantId: string;
  expiresAt: number;
}

export interface IssuedTokens {
  grant: Grant;
  accessToken: string;
  refreshToken: string;
  accessExpiresIn: number;
  refreshExpiresIn: number;
  hardExpiresIn: number;
}

export type AccessCheck = { ok: true; grant: Grant } | { ok: false; detail: string };
export type GrantResult =
  | { ok: true; tokens: IssuedTokens }
  | { ok: false; error: string; description: string };

export class GrantStore {
  private readonly codes = new Map<string, AuthCode>();
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, TokenRecord>();

  constructor(
    private readonly ttl: { accessSeconds: number; refreshSeconds: number },
    private readonly now: () => number,
  ) {}

  issueCode(input: Omit<AuthCode, 'expiresAt' | 'used'>): string {
    const code = `AB11${Math.floor(this.now() / 1000)}${randomBytes(20).toString('base64url')}`;
    this.codes.set(code, { ...input, expiresAt: this.now() + CODE_TTL_MS, used: false });
    return code;
  }

  redeemCode(code: string, redirectUri: string | undefined, codeVerifier: string | undefined): GrantResult {
    const entry = this.codes.get(code);
    if (!entry || entry.used || entry.expiresAt <= this.now()) {
      return invalidGrant(
        entry?.used ? 'The authorization code has already been used' : 'Invalid authorization code',
      );
    }
    entry.used = true;
    if (redirectUri !== entry.redirectUri)
      return invalidGrant('redirect_uri does not match the authorization request');
    if (entry.codeChallenge !== undefined && !pkceMatches(entry, codeVerifier)) {
      return invalidGrant('PKCE verification failed');
    }
    const now = this.now();
    const grant: Grant = {
      id: randomUUID(),
      realmId: entry.realmId,
      scopes: entry.scopes,
      sub: entry.sub,
      authTime: now,
      hardExpiresAt: now + HARD_EXPIRY_SECONDS * 1000,
      revoked: false,
    };
    this.grants.set(grant.id, grant);
    return { ok: true, tokens: this.issue(grant) };
  }

  refresh(refreshToken: string | undefined): GrantResult {
    const entry = refreshToken === undefined ? undefined : this.refreshTokens.get(refreshToken);
    const grant = entry && this.grants.get(entry.grantId);
    if (!entry || !grant || grant.revoked) return invalidGrant('Invalid refresh token');
    if (entry.expiresAt <= this.now()) return invalidGrant('The refresh token has expired');
    this.refreshTokens.delete(refreshToken as string);
    return { ok: true, tokens: this.issue(grant) };
  }

  checkAccess(accessToken: string): AccessCheck {
    const entry = this.accessTokens.get(accessToken);
    if (!entry) return { ok: false, detail: 'Token invalid or malformed' };
    const grant = this.grants.get(entry.grantId);
    if (!grant || grant.revoked) return { ok: false, detail: 'Token revoked' };
    if (entry.expiresAt <= this.now()) return { ok: false, detail: 'Token expired' };
    return { ok: true, grant };
  }

  /** Revokes the grant behind an access or refresh token; unknown tokens are ignored (RFC 7009). */
  revokeToken(token: string): void {
    const entry = this.accessTokens.get(token) ?? this.refreshTokens.get(token);
    const grant = entry && this.grants.get(entry.grantId);
    if (grant) this.revokeGrant(grant);
  }

  revokeRealm(realmId: string): void {
    for (const grant of this.grants.values()) if (grant.realmId === realmId) this.revokeGrant(grant);
  }

  private revokeGrant(grant: Grant): void {
    grant.revoked = true;
    for (const map of [this.accessTokens, this.refreshTokens]) {
      for (const [token, entry] of map) if (entry.grantId === grant.id) map.delete(token);
    }
  }

  private issue(grant: Grant): IssuedTokens {
    const now = this.now();
    const hardExpiresIn = Math.max(0, Math.floor((grant.hardExpiresAt - now) / 1000));
    const refreshExpiresIn = Math.min(this.ttl.refreshSeconds, hardExpiresIn);
    const accessToken = `eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..${randomBytes(32).toString('base64url')}`;
    const refreshToken = `RT1-${randomBytes(3).readUIntBE(0, 3) % 1000}-H0-${Math.floor(now / 1000)}${randomBytes(16).toString('hex')}`;
    this.accessTokens.set(accessToken, { grantId: grant.id, expiresAt: now + this.ttl.accessSeconds * 1000 });
    this.refreshTokens.set(refreshToken, { grantId: grant.id, expiresAt: now + refreshExpiresIn * 1000 });
    return {
      grant,
      accessToken,
      refreshToken,
      accessExpiresIn: this.ttl.accessSeconds,
      refreshExpiresIn,
      hardExpiresIn,
    };
  }
}

function invalidGrant(description: string): GrantResult {
  return { ok: false, error: 'invalid_grant', description };
}
