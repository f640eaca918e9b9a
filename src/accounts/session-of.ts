import type { Storage } from '../services/context.js';
import { type SignedIn, signedInWith } from './sessions.js';

/** Who a browser's session token signs in, with their organisations; null when unknown or expired. */
export function sessionOf(storage: Storage, token: string): Promise<SignedIn | null> {
  return signedInWith(storage.db, token);
}
