import type { Storage } from '../services/context.js';
import { closeSession, openSession, type SignedIn, signedInWith } from './sessions.js';

/**
 * Signs a browser in as the user: a new session, never a reused one (against fixation); the one it
 * held before, if any, ends. Returns the new token for the cookie and who it signs in.
 */
export async function replaceSession(
  storage: Storage,
  request: { userId: string; previousSessionId: string | null },
): Promise<{ token: string; signedIn: SignedIn | null }> {
  if (request.previousSessionId) await closeSession(storage.db, request.previousSessionId);
  const token = await openSession(storage.db, request.userId);
  return { token, signedIn: await signedInWith(storage.db, token) };
}
