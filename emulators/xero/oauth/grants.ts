/**
 * Authorization codes, grants and tokens.
 * - Codes are single use and live 5 minutes; PKCE (S256 or plain) is checked when the authorize request had a
 *   code_challenge.
 * - Access tokens live `accessTokenTtlSeconds` (Xero: 30 minutes) and keep working after a refresh until they
 *   expire.
 * - Refresh tokens (only with offline_access) rotate on EVERY refresh. The token presented stays usable for
 *   `refreshGraceSeconds` (Xero: 30 minutes) after its first use and, during that grace, answers with the very
 *   same new token pair, so a client that lost the response can retry; afterwards → invalid_grant. An unused
 *   refresh token dies after `refreshTokenTtlSeconds` (Xero: 60 days).
 * - Revoking (POST /connect/revocation, or revokeUser) kills every token of the grant at once. Revoking through
 *   the endpoint also removes the connections that grant made, as Xero's revokeToken does.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { pkceMatches } from '../../kit/oauth.js';
import { usTimestamp } from '../time.js';
import type { User } from './directory.js';

const CODE_TTL_MS = 5 * 60_000;

export interface Grant {
  id: string;
  userId: string;
  scopes: string[];
  authEventId: string;
  sessionId: string;
  authTime: number;
  revoked: boolean;
}

export interface AuthCodeInput {
  user: User;
  tenantIds: string[];
  scopes: string[];
  redirectUri: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
}

interface AuthCode extends AuthCodeInput {
  expiresAt: number;
  used: boolean;
  authEventId: string;
  sessionId: string;
}

export interface IssuedTokens {
  grant: Grant;
  accessToken: string;
  accessExpiresAt: number;
  refreshToken?: string;
  nonce?: string;
}

interface RefreshRecord {
  grantId: string;
  expiresAt: number;
  rotatedAt?: number;
  rotatedTo?: Promise<IssuedTokens>;
}

export type AccessCheck = { ok: true; grant: Grant } | { ok: false; detail: string };
export type GrantResult = { ok: true; tokens: IssuedTokens; code?: AuthCode } | { ok: false; error: string };
export type TokenMinter = (grant: Grant, issuedAt: number, expiresAt: number) => Promise<string>;

export interface TokenLifetimes {
  accessSeconds: number;
  refreshSeconds: number;
  graceSeconds: number;
}

export class GrantStore {
  private readonly codes = new Map<string, AuthCode>();
  private readonly grants = new Map<string, Grant>();
  private readonly access = new Map<string, { grantId: string; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();

  constructor(
    private readonly ttl: TokenLifetimes,
    private readonly now: () => number,
    private readonly mint: TokenMinter,
  ) {}

  setLifetimes(ttl: Partial<TokenLifetimes>): void {
    Object.assign(this.ttl, ttl);
  }

  issueCode(input: AuthCodeInput): { code: string; authEventId: string; sessionId: string } {
    const code = randomBytes(32).toString('hex').toUpperCase();
    const authEventId = randomUUID();
    const sessionId = randomBytes(16).toString('hex');
    this.codes.set(code, {
      ...input,
      expiresAt: this.now() + CODE_TTL_MS,
      used: false,
      authEventId,
      sessionId,
    });
    return { code, authEventId, sessionId };
  }

  async redeemCode(
    code: string,
    redirectUri: string | undefined,
    verifier: string | undefined,
  ): Promise<GrantResult> {
    const entry = this.codes.get(code);
    if (!entry || entry.used || entry.expiresAt <= this.now()) return { ok: false, error: 'invalid_grant' };
    entry.used = true;
    if (redirectUri !== entry.redirectUri) return { ok: false, error: 'invalid_grant' };
    if (entry.codeChallenge !== undefined && !pkceMatches(entry, verifier))
      return { ok: false, error: 'invalid_grant' };
    const grant: Grant = {
      id: randomUUID(),
      userId: entry.user.id,
      scopes: entry.scopes,
      authEventId: entry.authEventId,
      sessionId: entry.sessionId,
      authTime: this.now(),
      revoked: false,
    };
    this.grants.set(grant.id, grant);
    const tokens = await this.issue(grant);
    return {
      ok: true,
      tokens: entry.nonce !== undefined ? { ...tokens, nonce: entry.nonce } : tokens,
      code: entry,
    };
  }

  async refresh(refreshToken: string | undefined): Promise<GrantResult> {
    const entry = refreshToken === undefined ? undefined : this.refreshTokens.get(refreshToken);
    const grant = entry && this.grants.get(entry.grantId);
    if (!entry || !grant || grant.revoked) return { ok: false, error: 'invalid_grant' };
    const now = this.now();
    if (entry.rotatedTo && entry.rotatedAt !== undefined) {
      if (now - entry.rotatedAt > this.ttl.graceSeconds * 1000) {
        this.refreshTokens.delete(refreshToken as string);
        return { ok: false, error: 'invalid_grant' };
      }
      return { ok: true, tokens: await entry.rotatedTo };
    }
    if (entry.expiresAt <= now) return { ok: false, error: 'invalid_grant' };
    entry.rotatedAt = now;
    entry.rotatedTo = this.issue(grant);
    return { ok: true, tokens: await entry.rotatedTo };
  }

  checkAccess(accessToken: string): AccessCheck {
    const entry = this.access.get(accessToken);
    const grant = entry && this.grants.get(entry.grantId);
    if (!entry || !grant || grant.revoked) return { ok: false, detail: 'AuthenticationUnsuccessful' };
    if (entry.expiresAt <= this.now()) {
      return { ok: false, detail: `TokenExpired: token expired at ${usTimestamp(entry.expiresAt)}` };
    }
    return { ok: true, grant };
  }

  /** The grant behind an access or refresh token (revoked ones too); undefined for unknown tokens. */
  grantOf(token: string): Grant | undefined {
    const entry = this.access.get(token) ?? this.refreshTokens.get(token);
    return entry ? this.grants.get(entry.grantId) : undefined;
  }

  revokeGrant(grant: Grant): void {
    grant.revoked = true;
    for (const map of [this.access, this.refreshTokens] as const) {
      for (const [token, entry] of map) if (entry.grantId === grant.id) map.delete(token);
    }
  }

  revokeUser(userId: string): void {
    for (const grant of this.grants.values()) if (grant.userId === userId) this.revokeGrant(grant);
  }

  accessExpiry(accessToken: string): number | undefined {
    return this.access.get(accessToken)?.expiresAt;
  }

  private async issue(grant: Grant): Promise<IssuedTokens> {
    const now = this.now();
    const accessExpiresAt = now + this.ttl.accessSeconds * 1000;
    const accessToken = await this.mint(grant, now, accessExpiresAt);
    this.access.set(accessToken, { grantId: grant.id, expiresAt: accessExpiresAt });
    if (!grant.scopes.includes('offline_access')) return { grant, accessToken, accessExpiresAt };
    const refreshToken = randomBytes(32).toString('hex');
    this.refreshTokens.set(refreshToken, {
      grantId: grant.id,
      expiresAt: now + this.ttl.refreshSeconds * 1000,
    });
    return { grant, accessToken, accessExpiresAt, refreshToken };
  }
}
