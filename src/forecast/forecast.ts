import type { OrganisationContext } from '../collections/load-snapshots.js';
import { debtorIdsOf, loadOrganisationContext, loadSnapshots } from '../collections/load-snapshots.js';
import { policyOf } from '../collections/policy-versions.js';
import type { DebtorSnapshot } from '../collections/snapshot.js';
import type { Database } from '../db/client.js';
import type { Policy } from '../domain/policy.js';
import { notFound } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import { type ForecastEntry, runForward } from './run-forward.js';

/** How many days a forecast looks ahead. */
export const forecastDays = 30;

/** What a forecast starts from: the organisation, its policy in force and its debtors as the mirror has them now. */
export interface ForecastInputs {
  org: OrganisationContext;
  policy: Policy;
  snapshots: DebtorSnapshot[];
}

export interface Forecast {
  from: string;
  days: number;
  timeZone: string;
  currency: string;
  debtors: number;
  entries: ForecastEntry[];
}

/** Debtors read a batch at a time, as the evaluation reads them. */
const batchSize = 1000;

/**
 * The organisation's debtors (or the one customer named) as planner snapshots, read once, with the
 * policy in force. A customer who owes nothing chased has no snapshot.
 */
export async function loadForecastInputs(
  db: Database,
  orgId: string,
  options: { now: Date; customerId?: string },
): Promise<ForecastInputs | null> {
  const org = await loadOrganisationContext(db, orgId);
  if (!org) return null;
  const [policy, debtorIds] = await Promise.all([
    policyOf(db, orgId),
    options.customerId ? Promise.resolve([options.customerId]) : debtorIdsOf(db, orgId),
  ]);
  const batches: string[][] = [];
  for (let start = 0; start < debtorIds.length; start += batchSize)
    batches.push(debtorIds.slice(start, start + batchSize));
  const loaded = await Promise.all(
    batches.map((customerIds) => loadSnapshots(db, org, { customerIds, now: options.now })),
  );
  return { org, policy, snapshots: loaded.flat() };
}

/** Runs the planner forward over what was loaded, under the policy in force or another one. */
export function forecastOf(
  inputs: ForecastInputs,
  options: { from: Date; days?: number; policy?: Policy; timeZone?: string },
): Forecast {
  const timeZone = options.timeZone ?? inputs.org.timeZone;
  const snapshots =
    timeZone === inputs.org.timeZone
      ? inputs.snapshots
      : inputs.snapshots.map((snapshot) => ({ ...snapshot, orgTimeZone: timeZone }));
  const days = options.days ?? forecastDays;
  return {
    from: options.from.toISOString(),
    days,
    timeZone,
    currency: inputs.org.currency,
    debtors: snapshots.length,
    // By hour, then customer by name (the run goes through debtors in id order).
    entries: runForward(snapshots, options.policy ?? inputs.policy, { from: options.from, days }).sort(
      (a, b) => (a.at === b.at ? a.customerName.localeCompare(b.customerName) : a.at < b.at ? -1 : 1),
    ),
  };
}

/**
 * What Dunwell would do over the next 30 days for the organisation, or for one customer: every email
 * (to whom, which step, why), task and flag, day by day, if nothing is paid and nobody acts. It shows
 * what would go whether the organisation is live or not.
 */
export async function organisationForecast(
  ctx: ServiceContext,
  options: { customerId?: string } = {},
): Promise<Forecast> {
  const inputs = await loadForecastInputs(ctx.db, ctx.orgId, {
    now: ctx.now,
    ...(options.customerId ? { customerId: options.customerId } : {}),
  });
  if (!inputs) throw notFound('organisation');
  return forecastOf(inputs, { from: ctx.now });
}
