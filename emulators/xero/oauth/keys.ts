/**
 * Signs the emulator's JWTs with an RS256 key made at start-up; the public half is the JWKS at
 * /.well-known/openid-configuration/jwks.
 *
 * - id_token claims follow Xero's (nbf, exp, iss, aud = client id, iat, at_hash, sid, sub, auth_time, xero_userid,
 *   global_session_id, preferred_username, email, given_name, family_name, name, amr, and nonce when the
 *   authorize request sent one). Its iat/nbf/exp come from the REAL clock, not the emulator's `now()`:
 *   openid-client 5 checks them against Date.now() with a 5-second tolerance, so an advanced test clock would
 *   make it reject the token as "issued in the future". Lifetime 5 minutes, as Xero's.
 * - Access tokens are JWTs like Xero's (iss, aud `${issuer}/resources`, client_id, sub, xero_userid,
 *   authentication_event_id, scope array, jti …) but their nbf/exp use the emulator's clock, because the emulator
 *   decides their expiry with that clock. The emulator never trusts their content: it looks tokens up.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type JWK, SignJWT } from 'jose';
import { SigningKey } from '../../kit/signing-key.js';

const ID_TOKEN_TTL_SECONDS = 300;

export interface IdTokenClaims {
  issuer: string;
  clientId: string;
  sub: string;
  xeroUserId: string;
  sessionId: string;
  authTime: number;
  accessToken: string;
  nonce?: string;
  email?: string;
  givenName?: string;
  familyName?: string;
}

export interface AccessTokenClaims {
  issuer: string;
  clientId: string;
  sub: string;
  xeroUserId: string;
  sessionId: string;
  authEventId: string;
  authTime: number;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
}

/** at_hash: base64url of the left half of SHA-256 of the access token (OpenID Connect Core 3.1.3.6). */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export class Signer {
  private readonly key = new SigningKey(() => randomBytes(16).toString('hex').toUpperCase());

  jwks(): Promise<{ keys: JWK[] }> {
    return this.key.jwks();
  }

  async idToken(claims: IdTokenClaims): Promise<string> {
    const { kid, privateKey } = await this.key.material();
    const iat = Math.floor(Date.now() / 1000);
    const name = [claims.givenName, claims.familyName].filter(Boolean).join(' ');
    return new SignJWT({
      nbf: iat,
      at_hash: atHash(claims.accessToken),
      sid: claims.sessionId,
      auth_time: Math.floor(claims.authTime / 1000),
      xero_userid: claims.xeroUserId,
      global_session_id: claims.sessionId,
      ...(claims.email !== undefined ? { preferred_username: claims.email, email: claims.email } : {}),
      ...(claims.givenName !== undefined ? { given_name: claims.givenName } : {}),
      ...(claims.familyName !== undefined ? { family_name: claims.familyName } : {}),
      ...(name ? { name } : {}),
      amr: ['pwd'],
      ...(claims.nonce !== undefined ? { nonce: claims.nonce } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(claims.issuer)
      .setAudience(claims.clientId)
      .setSubject(claims.sub)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ID_TOKEN_TTL_SECONDS)
      .sign(privateKey);
  }

  async accessToken(claims: AccessTokenClaims): Promise<string> {
    const { kid, privateKey } = await this.key.material();
    return new SignJWT({
      nbf: Math.floor(claims.issuedAt / 1000),
      client_id: claims.clientId,
      auth_time: Math.floor(claims.authTime / 1000),
      xero_userid: claims.xeroUserId,
      global_session_id: claims.sessionId,
      sid: claims.sessionId,
      authentication_event_id: claims.authEventId,
      scope: claims.scopes,
      amr: ['pwd'],
    })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(claims.issuer)
      .setAudience(`${claims.issuer}/resources`)
      .setSubject(claims.sub)
      .setJti(randomBytes(16).toString('hex').toUpperCase())
      .setExpirationTime(Math.floor(claims.expiresAt / 1000))
      .sign(privateKey);
  }
}
