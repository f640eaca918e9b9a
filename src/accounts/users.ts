import { and, eq, sql } from 'drizzle-orm';
import type { LedgerIdentity, Vendor } from '../../connectors/ledger.js';
import type { Database } from '../db/client.js';
import { memberships, userIdentities, users } from '../db/schema/index.js';
import { AppError } from '../errors.js';

/**
 * The user behind a vendor's OpenID identity. Accounts are linked by the vendor's subject only: an
 * email address is never proof of who someone is. A new identity joins `signedInUserId` when this
 * browser is already signed in (the person proved both), else it makes a new user.
 */
export async function userForIdentity(
  db: Database,
  vendor: Vendor,
  identity: LedgerIdentity,
  signedInUserId: string | null = null,
): Promise<string> {
  if (!identity.email || !identity.emailVerified)
    throw new AppError(
      403,
      'email_not_verified',
      'Your sign-in has no verified email address. Please verify it with your accounting package and try again.',
    );
  const email = identity.email;
  return db.transaction(async (tx) => {
    const [known] = await tx
      .update(userIdentities)
      .set({ email, lastSignedInAt: new Date() })
      .where(and(eq(userIdentities.vendor, vendor), eq(userIdentities.subject, identity.subject)))
      .returning({ userId: userIdentities.userId });
    if (known) return known.userId;
    let userId = signedInUserId;
    if (!userId) {
      const [user] = await tx.insert(users).values({ email }).returning({ id: users.id });
      if (!user) throw new Error('user insert returned nothing');
      userId = user.id;
    }
    // Two first sign-ins at once: the loser's insert fails and its transaction rolls back.
    await tx
      .insert(userIdentities)
      .values({ vendor, subject: identity.subject, userId, email, lastSignedInAt: new Date() });
    return userId;
  });
}

/** The user of an identity seen before, or null: signing in never creates an account on its own. */
export async function knownUser(db: Database, vendor: Vendor, subject: string): Promise<string | null> {
  const [known] = await db
    .update(userIdentities)
    .set({ lastSignedInAt: new Date() })
    .where(and(eq(userIdentities.vendor, vendor), eq(userIdentities.subject, subject)))
    .returning({ userId: userIdentities.userId });
  return known?.userId ?? null;
}

/**
 * Makes the user a member of the organisation. Whoever connects a company has proved to the vendor
 * that they may (both vendors let only admins connect apps); the first one owns it.
 */
export async function joinOrganisation(db: Database, userId: string, orgId: string): Promise<void> {
  await db
    .insert(memberships)
    .values({
      userId,
      orgId,
      role: sql`case when exists (select 1 from memberships where org_id = ${orgId}) then 'admin'::membership_role else 'owner'::membership_role end`,
    })
    .onConflictDoNothing();
}

/** The organisations a user belongs to, newest membership first. */
export async function organisationIdsOf(db: Database, userId: string): Promise<string[]> {
  const rows = await db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(sql`${memberships.createdAt} desc`);
  return rows.map((row) => row.orgId);
}
