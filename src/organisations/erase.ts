import { and, eq, inArray, lt, ne, notExists, or, type SQL, sql } from 'drizzle-orm';
import type { Vendor } from '../../connectors/vendors.js';
import { disconnectConnection } from '../connections/disconnect.js';
import type { Database, Transaction, Writer } from '../db/client.js';
import {
  collectionSteps,
  connectionChoices,
  ledgerConnections,
  ledgerWrites,
  memberships,
  organisations,
  outboundMessages,
  users,
  webhookInbox,
} from '../db/schema/index.js';
import type { LedgerContext } from '../ledger/context.js';

/** Days a fully disconnected organisation is kept, so that reconnecting resumes where it stopped. */
export const retentionDays = 30;
const dayMs = 86_400_000;

/** The schema the job queue gives pg-boss unless told otherwise (src/jobs/queue.ts). */
const defaultJobsSchema = 'pgboss';

export interface ErasureOptions {
  /** Where pg-boss keeps its jobs; a database without it is fine (nothing queued to erase). */
  jobsSchema?: string;
}

/** What an erasure removed. */
export interface ErasureCounts {
  /** Rows per table keyed by the organisation: `organisations` itself and every table with `org_id`. */
  rows: Record<string, number>;
  /** Webhook events for its companies that arrived after the disconnect and so were never routed to it. */
  unroutedWebhookEvents: number;
  /** Pending company choices (a multi-company grant) that offered one of its companies. */
  connectionChoices: number;
  /** Its people who belong to no other organisation (their sessions and sign-in identities go with them). */
  users: number;
  /** pg-boss jobs, in any state, and schedules whose data names it or one of its rows (see `jobReferences`). */
  jobs: number;
  schedules: number;
}

/**
 * Erases an organisation and everything of it, in one transaction; null when there is no such
 * organisation. Only the database: grants at the vendor are the caller's (`revokeAndEraseOrganisation`).
 */
export async function eraseOrganisation(
  db: Database,
  orgId: string,
  options: ErasureOptions = {},
): Promise<ErasureCounts | null> {
  return db.transaction((tx) => eraseWithin(tx, orgId, options));
}

/** Organisations whose every connection was disconnected more than `retentionDays` before `now`. */
export async function erasableOrganisations(db: Writer, now: Date): Promise<string[]> {
  const rows = await erasable(db, now);
  return rows.map((row) => row.orgId);
}

/**
 * Erases an organisation if it is still erasable at `now`, checked under lock: a reconnect that
 * landed after `erasableOrganisations` listed it keeps it. Null when it was kept.
 */
export async function eraseDisconnectedOrganisation(
  db: Database,
  orgId: string,
  now: Date,
  options: ErasureOptions = {},
): Promise<ErasureCounts | null> {
  return db.transaction(async (tx) => {
    // The organisation first, as `eraseWithin` and inserts of its rows take it; then its connections,
    // so a reconnect waits for the decision (and then finds nothing) rather than racing it.
    await lockOrganisation(tx, orgId);
    await tx
      .select({ id: ledgerConnections.id })
      .from(ledgerConnections)
      .where(eq(ledgerConnections.orgId, orgId))
      .for('update');
    const [still] = await erasable(tx, now, orgId);
    return still ? eraseWithin(tx, orgId, options) : null;
  });
}

/**
 * "Delete all our data": revokes the grant of each connection still holding one (as a disconnect
 * does), then erases. A revoke the vendor refuses for another reason than an already dead grant
 * throws before anything is erased, so the caller can try again.
 */
export async function revokeAndEraseOrganisation(
  ctx: LedgerContext,
  orgId: string,
  options: ErasureOptions = {},
): Promise<ErasureCounts | null> {
  const live = await ctx.db
    .select({ id: ledgerConnections.id })
    .from(ledgerConnections)
    .where(and(eq(ledgerConnections.orgId, orgId), ne(ledgerConnections.status, 'disconnected')));
  for (const connection of live) await disconnectConnection(ctx, orgId, connection.id);
  return eraseOrganisation(ctx.db, orgId, options);
}

function erasable(db: Writer, now: Date, onlyOrgId?: string) {
  const cutoff = new Date(now.getTime() - retentionDays * dayMs);
  return db
    .select({ orgId: ledgerConnections.orgId })
    .from(ledgerConnections)
    .where(onlyOrgId ? eq(ledgerConnections.orgId, onlyOrgId) : undefined)
    .groupBy(ledgerConnections.orgId)
    .having(
      sql`bool_and(${ledgerConnections.status} = 'disconnected' and coalesce(${lt(ledgerConnections.disconnectedAt, cutoff)}, false))`,
    );
}

async function eraseWithin(
  tx: Transaction,
  orgId: string,
  options: ErasureOptions,
): Promise<ErasureCounts | null> {
  if (!(await lockOrganisation(tx, orgId))) return null;

  const companies = await companiesOnlyItHas(tx, orgId);
  const unroutedWebhookEvents = await deleteUnroutedEvents(tx, companies);
  const choices = await deleteChoicesOffering(tx, companies);
  const { jobs, schedules } = await deleteJobs(tx, orgId, options.jobsSchema ?? defaultJobsSchema);
  const rows = await countOrganisationRows(tx, orgId);
  const members = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(eq(memberships.orgId, orgId));

  // Every org_id references the organisation with ON DELETE CASCADE (src/db/schema/columns.ts) but
  // the collection steps', which have no key (see their schema).
  await tx.delete(collectionSteps).where(eq(collectionSteps.orgId, orgId));
  await tx.delete(organisations).where(eq(organisations.id, orgId));

  // People who were only here have no other purpose: nothing else is theirs, and signing in again
  // starts them afresh. A person with no organisation who never belonged to this one is left alone.
  const memberIds = members.map((member) => member.userId);
  const belongsElsewhere = tx
    .select({ one: sql`1` })
    .from(memberships)
    .where(eq(memberships.userId, users.id));
  const removedUsers = memberIds.length
    ? await tx
        .delete(users)
        .where(and(inArray(users.id, memberIds), notExists(belongsElsewhere)))
        .returning({ id: users.id })
    : [];

  return {
    rows: { organisations: 1, ...rows },
    unroutedWebhookEvents,
    connectionChoices: choices,
    users: removedUsers.length,
    jobs,
    schedules,
  };
}

/** Inserts of its rows check this row (FOR KEY SHARE), so none can slip in while it is locked. */
async function lockOrganisation(tx: Transaction, orgId: string): Promise<boolean> {
  const [organisation] = await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.id, orgId))
    .for('update');
  return organisation !== undefined;
}

type Company = { vendor: Vendor; tenantId: string };

/** Its companies (vendor tenants), less any another organisation has connected too. */
async function companiesOnlyItHas(tx: Transaction, orgId: string): Promise<Company[]> {
  const all = await tx
    .select({
      orgId: ledgerConnections.orgId,
      vendor: ledgerConnections.vendor,
      tenantId: ledgerConnections.tenantId,
    })
    .from(ledgerConnections)
    .where(
      inArray(
        ledgerConnections.tenantId,
        tx
          .select({ tenantId: ledgerConnections.tenantId })
          .from(ledgerConnections)
          .where(eq(ledgerConnections.orgId, orgId)),
      ),
    );
  const key = (company: Company) => `${company.vendor}:${company.tenantId}`;
  const shared = new Set(all.filter((row) => row.orgId !== orgId).map(key));
  const own = new Map(all.filter((row) => row.orgId === orgId).map((row) => [key(row), row]));
  return [...own.values()]
    .filter((row) => !shared.has(key(row)))
    .map(({ vendor, tenantId }) => ({ vendor, tenantId }));
}

async function deleteUnroutedEvents(tx: Transaction, companies: Company[]): Promise<number> {
  if (companies.length === 0) return 0;
  const deleted = await tx
    .delete(webhookInbox)
    .where(
      and(
        sql`${webhookInbox.orgId} is null`,
        or(
          ...companies.map((company) =>
            and(eq(webhookInbox.vendor, company.vendor), eq(webhookInbox.tenantId, company.tenantId)),
          ),
        ),
      ),
    )
    .returning({ id: webhookInbox.id });
  return deleted.length;
}

/**
 * A pending choice holds a grant that reaches the company; the person choosing starts again (a
 * choice lives fifteen minutes). A choice naming only other companies is left alone.
 */
async function deleteChoicesOffering(tx: Transaction, companies: Company[]): Promise<number> {
  if (companies.length === 0) return 0;
  const deleted = await tx
    .delete(connectionChoices)
    .where(
      or(
        ...companies.map((company) =>
          and(
            eq(connectionChoices.vendor, company.vendor),
            sql`${connectionChoices.tenants} @> ${JSON.stringify([{ tenantId: company.tenantId }])}::jsonb`,
          ),
        ),
      ),
    )
    .returning({ id: connectionChoices.id });
  return deleted.length;
}

/**
 * The ids a job's data can name: the organisation and the rows jobs are queued for today (a sync
 * per connection, a delivery per message or write-back). A job about another kind of row adds its
 * table here.
 */
function jobReferences(orgId: string): SQL {
  return sql`
    select ${orgId}::text
    union all select ${ledgerConnections.id}::text from ${ledgerConnections} where ${ledgerConnections.orgId} = ${orgId}
    union all select ${outboundMessages.id}::text from ${outboundMessages} where ${outboundMessages.orgId} = ${orgId}
    union all select ${ledgerWrites.id}::text from ${ledgerWrites} where ${ledgerWrites.orgId} = ${orgId}`;
}

/**
 * Deletes pg-boss jobs in every state (queued, retrying, running, and the history it keeps) and
 * schedules whose data holds, at any depth, a string naming the organisation's rows. A running job
 * finds its rows gone; pg-boss treats its completion of a deleted job as done. The queues' cached
 * counts catch up at pg-boss's next monitor pass.
 */
async function deleteJobs(
  tx: Transaction,
  orgId: string,
  schema: string,
): Promise<{ jobs: number; schedules: number }> {
  const installed = await tx.execute<{ job: string | null; schedule: string | null }>(
    sql`select to_regclass(${`"${schema}".job`}) as job, to_regclass(${`"${schema}".schedule`}) as schedule`,
  );
  const tables = installed.rows[0];
  const names = sql.identifier(schema);
  const mentions = (data: SQL) => sql`exists (
    select 1 from jsonb_path_query(${data}, 'strict $.** ? (@.type() == "string")') as found(value)
    where found.value #>> '{}' in (${jobReferences(orgId)}))`;
  const jobs = tables?.job
    ? await tx.execute(sql`delete from ${names}.job as queued where ${mentions(sql`queued.data`)}`)
    : { rowCount: 0 };
  const schedules = tables?.schedule
    ? await tx.execute(
        sql`delete from ${names}.schedule as planned
            where planned.key in (${jobReferences(orgId)}) or ${mentions(sql`planned.data`)}`,
      )
    : { rowCount: 0 };
  return { jobs: jobs.rowCount ?? 0, schedules: schedules.rowCount ?? 0 };
}

/** How many rows each table with an `org_id` column holds for the organisation, found in the catalog. */
async function countOrganisationRows(tx: Transaction, orgId: string): Promise<Record<string, number>> {
  const tables = await organisationTables(tx);
  if (tables.length === 0) return {};
  const counts = await tx.execute<{ name: string; count: number }>(
    sql.join(
      tables.map(
        (name) =>
          sql`select ${name}::text as name, count(*)::int as count from ${sql.identifier(name)} where org_id = ${orgId}`,
      ),
      sql` union all `,
    ),
  );
  return Object.fromEntries(counts.rows.map((row) => [row.name, row.count]));
}

/** Every table of the application's schema with an `org_id` column. */
export async function organisationTables(db: Writer): Promise<string[]> {
  const found = await db.execute<{ name: string }>(sql`
    select columns.table_name as name
    from information_schema.columns
    join information_schema.tables using (table_schema, table_name)
    where columns.table_schema = 'public' and columns.column_name = 'org_id' and tables.table_type = 'BASE TABLE'
    order by columns.table_name`);
  return found.rows.map((row) => row.name);
}
