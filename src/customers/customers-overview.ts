import { and, asc, desc, eq, gt, ilike, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { loadOrganisationContext, loadSnapshots } from '../collections/load-snapshots.js';
import type { NextStep } from '../collections/next-step.js';
import { policyOf } from '../collections/policy-versions.js';
import type { SegmentResult } from '../collections/segments.js';
import type { CustomerOverrides } from '../collections/snapshot.js';
import type { Database } from '../db/client.js';
import { customers, invoices } from '../db/schema/index.js';
import { dayNumber, localMoment } from '../domain/local-time.js';
import type { Segment } from '../domain/policy.js';
import { notFound } from '../errors.js';
import { nextStepOf } from './next-step-of.js';

export type CustomersSort = 'overdue' | 'balance' | 'name';

export interface CustomersOverviewOptions {
  now: Date;
  /** 1-based. */
  page?: number;
  /** Default 50, at most 200. */
  pageSize?: number;
  /** Part of the customer's name, any case. */
  search?: string;
  /** overdue (default): oldest open invoice first; balance: most owed in the organisation's currency first; name. */
  sort?: CustomersSort;
  /** owing (default): customers with an open balance only; all: every customer (owing nothing: last, unless sorted by name). */
  include?: 'owing' | 'all';
}

export interface CustomerOverviewRow {
  id: string;
  name: string;
  /** The segment the planner uses, and whether a person set it; null when nothing is owed (no history is read). */
  segment: SegmentResult | null;
  /** What is owed on open invoices, per currency, in minor units. */
  balances: Array<{ currency: string; balanceMinor: number }>;
  openInvoices: number;
  /** Days the oldest open invoice is overdue (negative: due in that many days); null when nothing is owed. */
  maxDaysOverdue: number | null;
  /** The person's choices for the customer, in short. */
  overrides: { excluded: boolean; doNotContact: boolean; segment: Segment | null; ownSchedule: boolean };
  /** They opted out of reminders (on their page, or by a spam report): no automatic email goes. */
  optedOut: boolean;
  nextStep: NextStep;
}

export interface CustomersOverview {
  rows: CustomerOverviewRow[];
  /** Customers matching the search and filter, over every page. */
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

const maxPageSize = 200;

/** `%` and `_` are wildcards to ILIKE; a search for them means the characters. */
const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/**
 * The settings page's customer list: one page of customers with what they owe, how late, their
 * segment, and what the planner will do next and why. One page is a fixed handful of queries (the
 * page, its count, its balances, and one snapshot batch), never one per customer.
 */
export async function customersOverview(
  db: Database,
  orgId: string,
  options: CustomersOverviewOptions,
): Promise<CustomersOverview> {
  const [org, policy] = await Promise.all([loadOrganisationContext(db, orgId), policyOf(db, orgId)]);
  if (!org) throw notFound('organisation');
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const pageSize = Math.min(maxPageSize, Math.max(1, Math.floor(options.pageSize ?? 50)));
  const today = localMoment(options.now, org.timeZone).date;
  const search = options.search?.trim().slice(0, 100);

  const oldestDue = sql<string | null>`min(${invoices.dueDate})::text`;
  const homeBalance = sql<number>`coalesce(sum(${invoices.balanceMinor}) filter (where ${invoices.currency} = ${org.currency}), 0)`;
  const matching = and(
    eq(customers.orgId, orgId),
    isNull(customers.deletedAt),
    search ? ilike(customers.name, likePattern(search)) : undefined,
  );
  const owed = and(
    eq(invoices.customerId, customers.id),
    eq(invoices.orgId, orgId),
    eq(invoices.status, 'open'),
    gt(invoices.balanceMinor, 0),
  );
  const having = options.include === 'all' ? undefined : sql`count(${invoices.id}) > 0`;
  const order: SQL[] =
    options.sort === 'name'
      ? [asc(customers.name)]
      : options.sort === 'balance'
        ? [desc(homeBalance), sql`${oldestDue} asc nulls last`, asc(customers.name)]
        : [sql`${oldestDue} asc nulls last`, asc(customers.name)];

  const [rows, counted] = await Promise.all([
    db
      .select({
        id: customers.id,
        name: customers.name,
        overrides: customers.collectionOverrides,
        optedOutAt: customers.optedOutAt,
        oldestDue,
        openInvoices: sql<number>`count(${invoices.id})::int`,
      })
      .from(customers)
      .leftJoin(invoices, owed)
      .where(matching)
      .groupBy(customers.id)
      .having(having)
      .orderBy(...order, asc(customers.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ total: sql<number>`count(*)::int` })
      .from(
        db
          .select({ id: customers.id })
          .from(customers)
          .leftJoin(invoices, owed)
          .where(matching)
          .groupBy(customers.id)
          .having(having)
          .as('matching'),
      ),
  ]);
  const total = counted[0]?.total ?? 0;
  const ids = rows.filter((row) => row.openInvoices > 0).map((row) => row.id);

  const [balances, snapshots] = await Promise.all([
    ids.length === 0
      ? []
      : db
          .select({
            customerId: invoices.customerId,
            currency: invoices.currency,
            balanceMinor: sql<number>`sum(${invoices.balanceMinor})::bigint`,
            holds: sql<
              string[]
            >`coalesce(array_agg(distinct ${invoices.collectionHold}::text) filter (where ${invoices.collectionHold} is not null), '{}')`,
            chased: sql<number>`(count(*) filter (where ${invoices.collectionHold} is null))::int`,
          })
          .from(invoices)
          .where(
            and(
              eq(invoices.orgId, orgId),
              inArray(invoices.customerId, ids),
              eq(invoices.status, 'open'),
              gt(invoices.balanceMinor, 0),
            ),
          )
          .groupBy(invoices.customerId, invoices.currency)
          .orderBy(asc(invoices.currency)),
    ids.length === 0 ? [] : loadSnapshots(db, org, { customerIds: ids, now: options.now }),
  ]);
  const balancesBy = new Map<string, typeof balances>();
  for (const row of balances)
    balancesBy.set(row.customerId, [...(balancesBy.get(row.customerId) ?? []), row]);
  const snapshotBy = new Map(snapshots.map((snapshot) => [snapshot.customerId, snapshot]));

  return {
    rows: rows.map((row): CustomerOverviewRow => {
      const overrides = (row.overrides ?? {}) as CustomerOverrides;
      const snapshot = snapshotBy.get(row.id);
      const owing = balancesBy.get(row.id) ?? [];
      const { next, segment } = nextStepOf({
        snapshot,
        overrides,
        holds: owing.flatMap((entry) => entry.holds),
        policy,
        now: options.now,
      });
      return {
        id: row.id,
        name: row.name,
        segment,
        balances: owing.map((entry) => ({
          currency: entry.currency,
          balanceMinor: Number(entry.balanceMinor),
        })),
        openInvoices: row.openInvoices,
        maxDaysOverdue: row.oldestDue ? dayNumber(today) - dayNumber(row.oldestDue) : null,
        overrides: {
          excluded: overrides.excluded === true,
          doNotContact: overrides.doNotContact === true,
          segment: overrides.segment ?? null,
          ownSchedule: Array.isArray(overrides.steps) && overrides.steps.length > 0,
        },
        optedOut: row.optedOutAt !== null,
        nextStep: next,
      };
    }),
    total,
    page,
    pageSize,
    pageCount: Math.ceil(total / pageSize),
  };
}
