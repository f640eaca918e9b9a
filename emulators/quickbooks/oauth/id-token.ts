/**
 * OpenID Connect id_token, RS256-signed with a key pair made when the emulator starts; the public half is
 * served as a JWKS. Claims follow Intuit's: `aud` is an array holding the client id (intuit-oauth's
 * validateIdToken calls `aud.find`), `realmid` names the company, and `iss` is Intuit's real issuer because
 * intuit-oauth compares it with that constant.
 */
import { randomUUID } from 'node:crypto';
import { type JWK, SignJWT } from 'jose';
import { SigningKey } from '../../kit/signing-key.js';

export const INTUIT_ISSUER = 'https://oauth.platform.intuit.com/op/v1';
const ID_TOKEN_TTL_SECONDS = 3600;

export class IdTokenSigner {
  private readonly key = new SigningKey(() => randomUUID());

  jwks(): Promise<{ keys: JWK[] }> {
    return this.key.jwks();
  }

  async sign(claims: { clientId: string; sub: string; realmId: string; authTime: number; now: number }) {
    const { kid, privateKey } = await this.key.material();
    const iat = Math.floor(claims.now / 1000);
    return new SignJWT({ realmid: claims.realmId, auth_time: Math.floor(claims.authTime / 1000) })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(INTUIT_ISSUER)
      .setSubject(claims.sub)
      .setAudience([claims.clientId])
      .setIssuedAt(iat)
      .setExpirationTime(iat + ID_TOKEN_TTL_SECONDS)
      .sign(privateKey);
  }
}
