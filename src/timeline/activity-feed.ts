import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import type { Money } from '../domain/money.js';

/*
 * The activity feed across customers: the activity log (every contact, promise, decision, write-back,
 * page visit), with the payments the mirror holds beside it, newest first, a page at a time. It is a
 * view of the one log, not a second one.
 */

/** The feed's filters and the log kinds (SQL LIKE patterns) each one shows. */
export const activityFilters = {
  all: ['%'],
  debtors: [
    'dispute.opened',
    'promise.made',
    'plan.requested',
    'plan.started',
    'settlement.accepted',
    'payment.received',
    'portal.visited',
    'reply.received',
  ],
  disputes: ['dispute.%'],
  promises: ['promise.%'],
  plans: ['plan.%'],
  payments: ['payment.received'],
  visits: ['portal.visited'],
  reminders: ['reminder.%', 'email.%'],
  suggestions: ['flag.%', 'settlement.%', 'invoice.referred', 'invoice.written_off'],
  tasks: ['task.%'],
} as const;
export type ActivityFilter = keyof typeof activityFilters;
export const isActivityFilter = (value: string): value is ActivityFilter =>
  Object.hasOwn(activityFilters, value);

export interface ActivityItem {
  id: string;
  at: Date;
  kind: string;
  customerId: string | null;
  customerName: string | null;
  summary: string;
  /** As stored: `user:<id>`, `debtor`, `system`… */
  actor: string;
  /** A payment's amount (null for log lines). */
  amount: Money | null;
}

export interface ActivityPage {
  items: ActivityItem[];
  /** Pass as `before` for the next (older) page; null on the last. */
  nextCursor: string | null;
}

const cursorOf = (item: ActivityItem) =>
  Buffer.from(`${item.at.toISOString()}|${item.id}`).toString('base64url');

function parseCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor || cursor.length > 200) return null;
  const [at = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) return null;
  return { at, id };
}

/** One page of the organisation's activity, newest first, of the kinds the filter shows. */
export async function activityFeed(
  db: Database,
  request: { orgId: string; filter?: ActivityFilter; before?: string; limit?: number },
): Promise<ActivityPage> {
  const limit = Math.min(Math.max(request.limit ?? 50, 1), 200);
  const patterns = activityFilters[request.filter ?? 'all'];
  const kinds = sql`array[${sql.join(
    patterns.map((pattern) => sql`${pattern}`),
    sql`, `,
  )}]::text[]`;
  const cursor = parseCursor(request.before);
  const after = cursor ? sql`and (e.at, e.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql``;
  const wantsPayments = patterns.some((pattern) => 'payment.received'.includes(pattern.replace('%', '')));
  const paymentRows = wantsPayments
    ? sql`union all
        select p.id, (p.paid_on::timestamp at time zone 'UTC') as at, 'payment.received' as kind, p.customer_id,
          '' as summary, 'debtor' as actor, p.amount_minor, p.currency::text as currency
        from payments p where p.org_id = ${request.orgId}::uuid`
    : sql``;
  const result = await db.execute<{
    id: string;
    at: string | Date;
    kind: string;
    customer_id: string | null;
    customer_name: string | null;
    summary: string;
    actor: string;
    amount_minor: string | number | null;
    currency: string | null;
  }>(sql`
    select e.*, c.name as customer_name from (
      select a.id, a.occurred_at as at, a.kind, a.customer_id, a.summary, a.actor,
        null::bigint as amount_minor, null::text as currency
      from activity_log a where a.org_id = ${request.orgId}::uuid
      ${paymentRows}
    ) e
    left join customers c on c.id = e.customer_id and c.org_id = ${request.orgId}::uuid
    where e.kind like any(${kinds}) ${after}
    order by e.at desc, e.id desc
    limit ${limit + 1}`);
  const items: ActivityItem[] = result.rows.map((row) => ({
    id: row.id,
    at: new Date(row.at),
    kind: row.kind,
    customerId: row.customer_id,
    customerName: row.customer_name,
    summary: row.summary,
    actor: row.actor,
    amount:
      row.amount_minor !== null && row.currency
        ? { amountMinor: Number(row.amount_minor), currency: row.currency }
        : null,
  }));
  const more = items.length > limit;
  const page = items.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page, nextCursor: more && last ? cursorOf(last) : null };
}
