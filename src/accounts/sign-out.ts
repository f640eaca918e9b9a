import type { Storage } from '../services/context.js';
import { closeSession } from './sessions.js';

/** Ends one session (signing out); the person's connections and other sessions are untouched. */
export function signOut(storage: Storage, sessionId: string): Promise<void> {
  return closeSession(storage.db, sessionId);
}
