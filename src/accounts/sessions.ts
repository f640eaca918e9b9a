import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { memberships, organisations, sessions, users } from '../db/schema/index.js';

/** How long a sign-in lasts; signing in again starts a new one. */
export const sessionLifetimeMs = 14 * 86_400_000;

export interface SignedIn {
  /** The SHA-256 of the cookie's token: what the session row is keyed by, and what CSRF tokens bind to. */
  sessionId: string;
  userId: string;
  email: string;
  /** The organisations this person may act for, newest membership first. */
  orgIds: string[];
  /** The same organisations with their names, by name (what the app's switcher lists). */
  organisations: Array<{ id: string; name: string }>;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Starts a session for the user; returns the token for the cookie (stored only as a hash). */
export async function openSession(db: Database, userId: string, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
  await db
    .insert(sessions)
    .values({ tokenHash: hashOf(token), userId, expiresAt: new Date(now.getTime() + sessionLifetimeMs) });
  return token;
}

/** Who a session token belongs to and where they may go, or null when it is unknown or expired. */
export async function signedInWith(db: Database, token: string, now = new Date()): Promise<SignedIn | null> {
  const tokenHash = hashOf(token);
  const [row] = await db
    .select({
      userId: sessions.userId,
      email: users.email,
      orgIds: sql<
        string[]
      >`coalesce(array_agg(${memberships.orgId} order by ${memberships.createdAt} desc) filter (where ${memberships.orgId} is not null), '{}')`,
      names: sql<
        string[]
      >`coalesce(array_agg(${organisations.name} order by ${memberships.createdAt} desc) filter (where ${memberships.orgId} is not null), '{}')`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(memberships, eq(memberships.userId, sessions.userId))
    .leftJoin(organisations, eq(organisations.id, memberships.orgId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
    .groupBy(sessions.userId, users.email);
  if (!row) return null;
  const { names, ...signedIn } = row;
  const named = signedIn.orgIds.map((id, index) => ({ id, name: names[index] ?? '' }));
  return {
    sessionId: tokenHash,
    ...signedIn,
    organisations: named.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** Ends one session; the user's connections and other sessions are untouched. */
export async function closeSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, sessionId));
}
