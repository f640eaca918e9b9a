import { desc, eq, sql } from 'drizzle-orm';
import type { Database, Transaction, Writer } from '../db/client.js';
import { activityLog, collectionPolicies } from '../db/schema/index.js';
import { defaultPolicy, type Policy, policySchema } from '../domain/policy.js';
import { AppError } from '../errors.js';
import { policyFieldWords } from '../words/policy-fields.js';
import { problemLines } from '../words/problems.js';

export interface PolicyInForce {
  policy: Policy;
  /** 0 while the organisation runs on the defaults and has saved nothing. */
  version: number;
  createdBy: string | null;
  createdAt: Date | null;
}

/** The organisation's policy in force: its newest version, or the defaults. */
export async function policyInForce(db: Writer, orgId: string): Promise<PolicyInForce> {
  const [latest] = await db
    .select()
    .from(collectionPolicies)
    .where(eq(collectionPolicies.orgId, orgId))
    .orderBy(desc(collectionPolicies.version))
    .limit(1);
  if (!latest) return { policy: defaultPolicy, version: 0, createdBy: null, createdAt: null };
  const parsed = policySchema.safeParse(latest.policy);
  // A stored policy that no longer validates must be seen by a person: never chase by a policy nobody chose.
  if (!parsed.success)
    throw new Error(`The stored collection policy of ${orgId} is not valid: ${parsed.error.message}`);
  return {
    policy: parsed.data,
    version: latest.version,
    createdBy: latest.createdBy,
    createdAt: latest.createdAt,
  };
}

export async function policyOf(db: Writer, orgId: string): Promise<Policy> {
  return (await policyInForce(db, orgId)).policy;
}

/**
 * Every problem of a proposed policy, each with where it is and in words naming the field as the
 * pages label it ("steps.2.offsetDays: Step 3’s days from the due date must be a whole number.").
 */
export function policyProblems(candidate: unknown): { policy: Policy } | { problems: string[] } {
  const parsed = policySchema.safeParse(candidate);
  if (parsed.success) return { policy: parsed.data };
  return { problems: problemLines(parsed.error.issues, policyFieldWords) };
}

/**
 * Saves a new version of the organisation's policy. `basedOnVersion` is the version the person
 * edited: when someone saved another in between, nothing is overwritten (409) and they reload.
 */
export async function savePolicy(
  db: Database,
  request: { orgId: string; basedOnVersion: number; policy: unknown; actor: string },
): Promise<PolicyInForce> {
  return db.transaction((tx) => savePolicyIn(tx, request));
}

/** `savePolicy` inside the caller's transaction, for a save that changes more than the policy. */
export async function savePolicyIn(
  tx: Transaction,
  request: { orgId: string; basedOnVersion: number; policy: unknown; actor: string },
): Promise<PolicyInForce> {
  const checked = policyProblems(request.policy);
  if ('problems' in checked) {
    throw new AppError(400, 'invalid_policy', 'The collection policy is not valid.', {
      problems: checked.problems,
    });
  }
  // One saver at a time per organisation, so two saves based on the same version cannot both land.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`collection-policy:${request.orgId}`}))`);
  const [latest] = await tx
    .select({ version: collectionPolicies.version })
    .from(collectionPolicies)
    .where(eq(collectionPolicies.orgId, request.orgId))
    .orderBy(desc(collectionPolicies.version))
    .limit(1);
  const current = latest?.version ?? 0;
  if (current !== request.basedOnVersion) {
    throw new AppError(
      409,
      'policy_changed',
      `The policy was changed since you opened it (now version ${current}); reload it and apply your changes again.`,
    );
  }
  const version = current + 1;
  const policy: Policy = { ...checked.policy, version };
  const [saved] = await tx
    .insert(collectionPolicies)
    .values({ orgId: request.orgId, version, policy, createdBy: request.actor })
    .returning();
  await tx.insert(activityLog).values({
    orgId: request.orgId,
    kind: 'policy.saved',
    actor: request.actor,
    summary: `Collection policy version ${version} saved.`,
    details: { version, basedOnVersion: request.basedOnVersion },
  });
  return {
    policy,
    version,
    createdBy: saved?.createdBy ?? request.actor,
    createdAt: saved?.createdAt ?? null,
  };
}

/** The saved versions, newest first, for the settings page's history. */
export async function policyHistory(db: Database, orgId: string) {
  return db
    .select({
      version: collectionPolicies.version,
      createdBy: collectionPolicies.createdBy,
      createdAt: collectionPolicies.createdAt,
    })
    .from(collectionPolicies)
    .where(eq(collectionPolicies.orgId, orgId))
    .orderBy(desc(collectionPolicies.version));
}
