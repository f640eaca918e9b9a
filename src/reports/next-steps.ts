import { and, eq, gt, inArray, isNotNull } from 'drizzle-orm';
import { loadOrganisationContext, loadSnapshots } from '../collections/load-snapshots.js';
import { heldBy, heldByOverrides, nextStep } from '../collections/next-step.js';
import { policyOf } from '../collections/policy-versions.js';
import type { CustomerOverrides } from '../collections/snapshot.js';
import type { Database } from '../db/client.js';
import { customers, invoices } from '../db/schema/index.js';
import { localeOf } from '../domain/locale.js';
import { plainWords } from '../words/labels.js';

const handedOver: Record<string, string> = {
  agency_referral: 'handed over: referred to a collection agency',
  write_off: 'handed over: written off',
};

/**
 * What the planner does next for a few debtors, in words (as the customers page says it): the
 * planner's own answer for those still chased, else the person's hold or the hand-over that took
 * them out of the schedule. One snapshot batch, never a query per debtor.
 */
export async function nextStepsOf(
  db: Database,
  orgId: string,
  customerIds: string[],
  now: Date,
): Promise<Map<string, string>> {
  const steps = new Map<string, string>();
  if (customerIds.length === 0) return steps;
  const [org, policy] = await Promise.all([loadOrganisationContext(db, orgId), policyOf(db, orgId)]);
  if (!org) return steps;
  const snapshots = await loadSnapshots(db, org, { customerIds, now });
  // In the organisation's words: its dates ("on 9 Dec 2026"), its steps' names, no internal key.
  const words = { locale: localeOf(org.country ?? null), timeZone: org.timeZone };
  for (const snapshot of snapshots)
    steps.set(snapshot.customerId, plainWords(nextStep(snapshot, policy, now).text, words));

  const rest = customerIds.filter((id) => !steps.has(id));
  if (rest.length === 0) return steps;
  const [people, holds] = await Promise.all([
    db
      .select({ id: customers.id, overrides: customers.collectionOverrides })
      .from(customers)
      .where(and(eq(customers.orgId, orgId), inArray(customers.id, rest))),
    db
      .selectDistinct({ customerId: invoices.customerId, hold: invoices.collectionHold })
      .from(invoices)
      .where(
        and(
          eq(invoices.orgId, orgId),
          inArray(invoices.customerId, rest),
          eq(invoices.status, 'open'),
          gt(invoices.balanceMinor, 0),
          isNotNull(invoices.collectionHold),
        ),
      ),
  ]);
  for (const person of people) {
    const hold = holds.find((row) => row.customerId === person.id)?.hold;
    const step =
      heldByOverrides((person.overrides ?? {}) as CustomerOverrides) ??
      (hold
        ? heldBy(
            { kind: 'handed_over', text: handedOver[hold] ?? 'handed over', until: null },
            'a person approved it',
          )
        : null);
    if (step) steps.set(person.id, step.text);
  }
  return steps;
}
