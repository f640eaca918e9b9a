import { and, desc, eq, notInArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { ofDebtor } from '../db/debtor-scope.js';
import {
  activityLog,
  collectionFlags,
  collectionTasks,
  ledgerWrites,
  outboundMessages,
} from '../db/schema/index.js';
import {
  activityConcerns,
  type MessageRef,
  messageConcerns,
  messageInvoiceIds,
  ownMessage,
} from './timeline-concerns.js';
import { atKeyOf, type Cursor, olderThan } from './timeline-cursor.js';

/*
 * One reader per source of timeline entries: each reads its newest rows after the cursor, scoped by
 * the organisation and the debtor (and the invoice, when the timeline is one invoice's).
 */

export interface Scope {
  orgId: string;
  customerId: string;
  /** Only what concerns this invoice (of that debtor), when set. */
  invoiceId: string | null;
}

/** Log lines whose record is an entry of its own (see the top of timeline.ts). */
const folded = [
  'reminder.planned',
  'reminder.sent',
  'flag.raised',
  'task.created',
  'call.planned',
  'letter.planned',
];

/** The summary of the log line that announced a message, flag or task: why the planner made it. */
const announcedWhy = (kind: string | string[], owner: MessageRef) => sql<string | null>`(
  select a.summary from activity_log a where a.org_id = ${owner.orgId} and a.customer_id = ${owner.customerId}
    and a.kind = any(${sql.param(typeof kind === 'string' ? [kind] : kind)}::text[]) and a.details->>'key' = ${owner.key} order by a.occurred_at limit 1)`;

export function readActivity(db: Database, scope: Scope, cursor: Cursor | null, rows: number) {
  return db
    .select({
      id: activityLog.id,
      kind: activityLog.kind,
      actor: activityLog.actor,
      summary: activityLog.summary,
      details: activityLog.details,
      invoiceId: activityLog.invoiceId,
      at: activityLog.occurredAt,
      atKey: atKeyOf(activityLog.occurredAt),
    })
    .from(activityLog)
    .where(
      and(
        ofDebtor(activityLog, scope),
        notInArray(activityLog.kind, folded),
        scope.invoiceId ? activityConcerns(scope.invoiceId) : undefined,
        olderThan(cursor, 'activity', activityLog.occurredAt, activityLog.id),
      ),
    )
    .orderBy(desc(activityLog.occurredAt), desc(activityLog.id))
    .limit(rows);
}
export type ActivityRow = Awaited<ReturnType<typeof readActivity>>[number];

const messageAt = sql`coalesce(${outboundMessages.sentAt}, ${outboundMessages.createdAt})`;

export function readMessages(db: Database, scope: Scope, cursor: Cursor | null, rows: number) {
  return db
    .select({
      id: outboundMessages.id,
      purpose: outboundMessages.purpose,
      status: outboundMessages.status,
      template: outboundMessages.template,
      renderInputs: outboundMessages.renderInputs,
      to: outboundMessages.to,
      cc: outboundMessages.cc,
      subject: outboundMessages.subject,
      text: outboundMessages.bodyText,
      html: outboundMessages.bodyHtml,
      createdAt: outboundMessages.createdAt,
      sentAt: outboundMessages.sentAt,
      deliveredAt: outboundMessages.deliveredAt,
      openedAt: outboundMessages.openedAt,
      deliveryProblem: outboundMessages.deliveryProblem,
      lastError: outboundMessages.lastError,
      attempts: outboundMessages.attempts,
      atKey: atKeyOf(messageAt),
      invoiceIds: messageInvoiceIds(ownMessage),
      why: announcedWhy('reminder.planned', ownMessage),
    })
    .from(outboundMessages)
    .where(
      and(
        ofDebtor(outboundMessages, scope),
        scope.invoiceId ? messageConcerns(ownMessage, scope.invoiceId) : undefined,
        olderThan(cursor, 'message', messageAt, outboundMessages.id),
      ),
    )
    .orderBy(desc(messageAt), desc(outboundMessages.id))
    .limit(rows);
}
export type MessageRow = Awaited<ReturnType<typeof readMessages>>[number];

const writeAt = sql`coalesce(${ledgerWrites.doneAt}, ${ledgerWrites.createdAt})`;
const namedInvoices = sql`${ledgerWrites.payload}->'invoiceIds'`;

/**
 * Write-backs carry no debtor: they are the ones on the debtor's invoices, by the invoice they are
 * about or the several a note names. No index leads there yet, so this filters the organisation's
 * write-backs; a `customer_id` column (or a GIN index on the named invoices) would let one.
 */
export function readWriteBacks(db: Database, scope: Scope, cursor: Cursor | null, rows: number) {
  const debtorInvoices = sql`select i.id from invoices i
    where i.org_id = ${scope.orgId}::uuid and i.customer_id = ${scope.customerId}::uuid`;
  const concerns = scope.invoiceId
    ? sql`(${ledgerWrites.invoiceId} = ${scope.invoiceId}::uuid or ${namedInvoices} ? ${scope.invoiceId}::text)`
    : sql`(${ledgerWrites.invoiceId} = any(array(${debtorInvoices}))
        or ${namedInvoices} ?| array(select id::text from (${debtorInvoices}) d))`;
  return db
    .select({
      id: ledgerWrites.id,
      kind: ledgerWrites.kind,
      status: ledgerWrites.status,
      attempts: ledgerWrites.attempts,
      lastError: ledgerWrites.lastError,
      payload: ledgerWrites.payload,
      result: ledgerWrites.result,
      doneAt: ledgerWrites.doneAt,
      createdAt: ledgerWrites.createdAt,
      atKey: atKeyOf(writeAt),
      invoiceIds: sql<string[]>`case
        when jsonb_typeof(${namedInvoices}) = 'array' then array(select jsonb_array_elements_text(${namedInvoices}))
        when ${ledgerWrites.invoiceId} is not null then array[${ledgerWrites.invoiceId}::text]
        else '{}'::text[] end`,
    })
    .from(ledgerWrites)
    .where(
      and(
        eq(ledgerWrites.orgId, scope.orgId),
        concerns,
        olderThan(cursor, 'write_back', writeAt, ledgerWrites.id),
      ),
    )
    .orderBy(desc(writeAt), desc(ledgerWrites.id))
    .limit(rows);
}
export type WriteBackRow = Awaited<ReturnType<typeof readWriteBacks>>[number];

/** A flag or task: a debtor's row, about the invoices it lists, made by the planner under a key. */
type PlannedRow = typeof collectionFlags | typeof collectionTasks;

const keyedBy = (table: PlannedRow): MessageRef => ({
  orgId: table.orgId,
  customerId: table.customerId,
  key: table.idempotencyKey,
});

/** The debtor's rows (those listing the invoice, when set) after the cursor. */
const ownRowsAfter = (table: PlannedRow, source: 'flag' | 'task', scope: Scope, cursor: Cursor | null) =>
  and(
    ofDebtor(table, scope),
    scope.invoiceId ? sql`${table.invoiceIds} ? ${scope.invoiceId}::text` : undefined,
    olderThan(cursor, source, table.createdAt, table.id),
  );

export const flagFields = {
  id: collectionFlags.id,
  kinds: collectionFlags.kinds,
  invoiceIds: collectionFlags.invoiceIds,
  daysOverdue: collectionFlags.daysOverdue,
  recommendation: collectionFlags.recommendation,
  status: collectionFlags.status,
  decision: collectionFlags.decision,
  decidedBy: collectionFlags.decidedBy,
  decidedAt: collectionFlags.decidedAt,
  createdAt: collectionFlags.createdAt,
};

export function readFlags(db: Database, scope: Scope, cursor: Cursor | null, rows: number) {
  return db
    .select({
      ...flagFields,
      atKey: atKeyOf(collectionFlags.createdAt),
      why: announcedWhy('flag.raised', keyedBy(collectionFlags)),
    })
    .from(collectionFlags)
    .where(ownRowsAfter(collectionFlags, 'flag', scope, cursor))
    .orderBy(desc(collectionFlags.createdAt), desc(collectionFlags.id))
    .limit(rows);
}
export type FlagRow = Awaited<ReturnType<typeof readFlags>>[number];
/** A flag's own fields, as a log line about it reads them. */
export type FlagFields = Omit<FlagRow, 'atKey' | 'why'>;

export function readTasks(db: Database, scope: Scope, cursor: Cursor | null, rows: number) {
  return db
    .select({
      id: collectionTasks.id,
      kind: collectionTasks.kind,
      description: collectionTasks.description,
      invoiceIds: collectionTasks.invoiceIds,
      status: collectionTasks.status,
      closedAt: collectionTasks.closedAt,
      closedBy: collectionTasks.closedBy,
      createdAt: collectionTasks.createdAt,
      atKey: atKeyOf(collectionTasks.createdAt),
      // A call or letter is announced as such (record-taken.ts): a rung a person carries out.
      why: announcedWhy(['task.created', 'call.planned', 'letter.planned'], keyedBy(collectionTasks)),
    })
    .from(collectionTasks)
    .where(ownRowsAfter(collectionTasks, 'task', scope, cursor))
    .orderBy(desc(collectionTasks.createdAt), desc(collectionTasks.id))
    .limit(rows);
}
export type TaskRow = Awaited<ReturnType<typeof readTasks>>[number];
