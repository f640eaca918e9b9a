import PQueue from 'p-queue';
import { reconcileArrangements } from '../arrangements/reconcile.js';
import type { Database } from '../db/client.js';
import { localMoment } from '../domain/local-time.js';
import { organisationProfile } from '../organisations/settings.js';
import { type AppliedCounts, applyPlans, type RenderEmail } from './apply-plan.js';
import { reviewWaitingFlags } from './flag-supersession.js';
import { debtorIdsOf, loadOrganisationContext, loadSnapshots } from './load-snapshots.js';
import { plan } from './plan.js';
import { policyOf } from './policy-versions.js';
import { recordSkipped } from './record-skipped.js';
import { statisticsKeeper } from './statistics.js';

export interface EvaluationResult extends AppliedCounts {
  debtors: number;
  invoices: number;
}

/**
 * Brings the arrangements up to date with the payments synced (promises kept or broken, plans,
 * settlements), then plans every debtor of one organisation at `now`, in batches, and writes what is
 * due (exactly once).
 */
export async function evaluateOrganisation(
  db: Database,
  orgId: string,
  options: {
    now: Date;
    /** Render reminders at planning time (tests, previews) instead of when they are sent. */
    render?: RenderEmail;
    batchSize?: number;
    concurrency?: number;
  },
): Promise<EvaluationResult> {
  const org = await loadOrganisationContext(db, orgId);
  const totals: EvaluationResult = { debtors: 0, invoices: 0, emails: 0, tasks: 0, flags: 0, steps: 0 };
  if (!org) return totals;
  const policy = await policyOf(db, orgId);
  const profile = await organisationProfile(db, orgId);
  await reconcileArrangements(db, orgId, {
    now: options.now,
    today: localMoment(options.now, org.timeZone).date,
    graceDays: policy.promiseGraceDays,
    settlementTarget: profile?.settings.settlementTarget ?? null,
  });
  // Before planning: a flag a payment (or the rule) no longer supports is withdrawn, and planning
  // raises it again with fresh arithmetic when it still stands.
  await reviewWaitingFlags(db, { orgId, policy, actor: 'system', now: options.now });
  const debtorIds = await debtorIdsOf(db, orgId);
  const batchSize = options.batchSize ?? 500;
  const batches: string[][] = [];
  for (let start = 0; start < debtorIds.length; start += batchSize)
    batches.push(debtorIds.slice(start, start + batchSize));
  // A few batches at once: each waits mostly on PostgreSQL, which has cores to spare for another.
  const queue = new PQueue({ concurrency: options.concurrency ?? 3 });
  const keepStatistics = statisticsKeeper(db);
  await queue.addAll(
    batches.map((customerIds) => async () => {
      const snapshots = await loadSnapshots(db, org, { customerIds, now: options.now });
      const connections = new Map(
        snapshots.flatMap((snapshot) =>
          snapshot.invoices.map((invoice) => [invoice.id, invoice.connectionId]),
        ),
      );
      totals.debtors += snapshots.length;
      totals.invoices += snapshots.reduce((sum, snapshot) => sum + snapshot.invoices.length, 0);
      const planned = snapshots.map((snapshot) => ({
        snapshot,
        result: plan(snapshot, policy, options.now),
      }));
      const applied = await applyPlans(db, planned, {
        now: options.now,
        connectionId: (invoiceId) => connections.get(invoiceId),
        recovery: policy.recovery,
        ...(options.render ? { render: options.render } : {}),
      });
      totals.emails += applied.emails;
      totals.tasks += applied.tasks;
      totals.flags += applied.flags;
      totals.steps += applied.steps;
      // Heads-ups whose day went by without them: on the timeline once, never sent late.
      await recordSkipped(db, planned, options.now);
      await keepStatistics(applied.steps);
    }),
  );
  return totals;
}
