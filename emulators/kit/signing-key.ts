import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface KeyMaterial {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** An RS256 key made on first use for an emulator's tokens; its public half is served as a JWKS. */
export class SigningKey {
  private keys: Promise<KeyMaterial> | undefined;

  constructor(private readonly makeKeyId: () => string) {}

  material(): Promise<KeyMaterial> {
    this.keys ??= (async () => {
      const kid = this.makeKeyId();
      const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
      const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
      return { kid, privateKey, publicJwk };
    })();
    return this.keys;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: [(await this.material()).publicJwk] };
  }
}
