/** Pieces of an OAuth 2 / OpenID server that every vendor's identity service has the same. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type Params = Record<string, string | undefined>;

/** An OAuth error answer (RFC 6749 5.2): never cached, `error_description` when there is one. */
export function oauthError(reply: FastifyReply, status: number, error: string, description?: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send(description === undefined ? { error } : { error, error_description: description });
}

/** Compares client credentials in constant time. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A token or revoke body: form-encoded (parsed already, or raw) or JSON. */
export function formParams(body: unknown): Params {
  if (body && typeof body === 'object') return body as Params;
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  return {};
}

/** The token of an `Authorization: Bearer …` header. */
export function bearerToken(request: FastifyRequest): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

/**
 * The id and secret of an `Authorization: Basic …` header, as sent (not URL-decoded); undefined without
 * such a header, null when it holds no `id:secret`.
 */
export function basicCredentials(request: FastifyRequest): { id: string; secret: string } | null | undefined {
  const encoded = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** PKCE (RFC 7636): whether the token request's verifier matches the authorize request's challenge. */
export function pkceMatches(
  code: { codeChallenge?: string; codeChallengeMethod?: string },
  verifier: string | undefined,
): boolean {
  if (verifier === undefined) return false;
  if (code.codeChallengeMethod === 'S256') {
    return createHash('sha256').update(verifier).digest('base64url') === code.codeChallenge;
  }
  return verifier === code.codeChallenge;
}
