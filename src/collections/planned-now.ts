import type { Database } from '../db/client.js';
import { debtorIdsOf, loadOrganisationContext, loadSnapshots } from './load-snapshots.js';
import { type PlannedAction, plan } from './plan.js';
import { policyOf } from './policy-versions.js';

/** One action the planner would take now, in words a page can show. */
export interface HeldAction {
  kind: PlannedAction['kind'];
  customerId: string;
  customerName: string;
  /** The schedule's step (e.g. `7-days-overdue`), and for an email its tone and recipients. */
  stepKey: string;
  tone: string | null;
  to: string[];
  invoices: number;
  why: string;
}

export interface HeldPlan {
  debtors: number;
  emails: number;
  tasks: number;
  flags: number;
  /** The first `limit` actions, by debtor. */
  actions: HeldAction[];
}

/**
 * What the planner decides for every debtor at `now`, written nowhere: what an organisation in
 * preview or paused would do if it were live (the evaluation's counts, the go-live checklist's list).
 */
export async function plannedNow(
  db: Database,
  orgId: string,
  options: { now: Date; limit?: number; batchSize?: number },
): Promise<HeldPlan> {
  const held: HeldPlan = { debtors: 0, emails: 0, tasks: 0, flags: 0, actions: [] };
  const org = await loadOrganisationContext(db, orgId);
  if (!org) return held;
  const policy = await policyOf(db, orgId);
  const debtorIds = await debtorIdsOf(db, orgId);
  const batchSize = options.batchSize ?? 500;
  const limit = options.limit ?? 0;
  for (let start = 0; start < debtorIds.length; start += batchSize) {
    const customerIds = debtorIds.slice(start, start + batchSize);
    const snapshots = await loadSnapshots(db, org, { customerIds, now: options.now });
    held.debtors += snapshots.length;
    for (const snapshot of snapshots) {
      for (const action of plan(snapshot, policy, options.now).actions) {
        held[action.kind === 'email' ? 'emails' : action.kind === 'task' ? 'tasks' : 'flags'] += 1;
        if (held.actions.length >= limit) continue;
        held.actions.push({
          kind: action.kind,
          customerId: snapshot.customerId,
          customerName: snapshot.customerName,
          stepKey: action.stepKey,
          tone: action.kind === 'email' ? action.tone : null,
          to: action.kind === 'email' ? action.to.map((contact) => contact.email) : [],
          invoices: action.invoiceSteps.length,
          why: action.why,
        });
      }
    }
  }
  return held;
}
