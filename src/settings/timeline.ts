import { and, asc, desc, eq, gt, inArray, notInArray, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { disputeReasons } from '../arrangements/record.js';
import type { CustomerOverrides } from '../collections/snapshot.js';
import type { Database } from '../db/client.js';
import { ofDebtor } from '../db/debtor-scope.js';
import {
  activityLog,
  collectionFlags,
  collectionTasks,
  customerContacts,
  customers,
  disputes,
  type Installment,
  invoices,
  ledgerWrites,
  type MessageAddress,
  outboundMessages,
  paymentPlans,
  paymentPromises,
  type RenderInputs,
  settlements,
} from '../db/schema/index.js';
import { formatPlainMoney } from '../domain/money.js';
import { AppError } from '../errors.js';
import { flagKindsText } from './labels.js';

/*
 * The activity timeline of a debtor or of one invoice: "document everything", newest first.
 *
 * The activity log is the narrative (who did what, and why). Effects that have rows of their own are
 * entries of their own, because their content and state live there: each message (the contact, with
 * the email as rendered and its delivery), each write-back (with its status), each flag and task
 * (with the person's decision). The log lines that only announce those rows (`reminder.planned`,
 * `reminder.sent`, `flag.raised`, `task.created`) are folded into them: their summary becomes the
 * entry's reason. Delivery is kept on the message entry (first delivered, first opened, why it did
 * not arrive), since the outbox keeps only the first of each; the log's own `email.bounced` and
 * `email.opted_out` lines stay entries, pointing at their message.
 *
 * A message, write-back or log line is dated by when it happened (sent, done, occurred), else when it
 * was queued. Pages are keyset-paginated on (time to the microsecond, source, row id): each source is
 * read once per page, at most `limit + 1` rows, scoped by the organisation (and the debtor).
 */

/** What a timeline entry comes from; also the tie-break order between entries of the same instant. */
export type TimelineSource = 'activity' | 'flag' | 'message' | 'task' | 'write_back';

interface EntryBase {
  /** `<source>:<row id>`, unique in the timeline. */
  id: string;
  at: Date;
  /** Dotted verb: the log's own kind, or `message.<status>`, `write_back.<kind>`, `flag.raised`, `task.created`. */
  kind: string;
  /** `system`, `user:<id>` or `debtor`. */
  actor: string;
  summary: string;
  /** Why it happened or was decided, when the record says more than the summary. */
  reason: string | null;
  /** The invoices it concerns (a contact may cover several); empty when it is about the debtor as a whole. */
  invoiceIds: string[];
}

/** A message's state: `queued` is waiting to go (reminders are rendered only then). */
export type TimelineMessageStatus =
  | 'awaiting_approval'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'uncertain'
  | 'failed'
  | 'cancelled';

export interface TimelineMessage {
  id: string;
  purpose: 'reminder' | 'notice';
  status: TimelineMessageStatus;
  template: string;
  stepKey: string | null;
  tone: RenderInputs['tone'] | null;
  to: MessageAddress[];
  cc: MessageAddress[];
  /** False until it is rendered (at send time); subject, text and html are null until then. */
  rendered: boolean;
  subject: string | null;
  text: string | null;
  html: string | null;
  queuedAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  openedAt: Date | null;
  /** Why it did not arrive (bounce, drop, block), from the provider's events. */
  problem: string | null;
  /** Why it was not sent or is in doubt (cancelled, failed, uncertain), or the last transient error. */
  error: string | null;
  attempts: number;
}

export interface TimelineWriteBack {
  id: string;
  kind: 'note' | 'due_date' | 'credit';
  status: 'pending' | 'in_progress' | 'done' | 'failed';
  attempts: number;
  /** The vendor's refusal (failed) or the last transient error (pending, retried). */
  error: string | null;
  doneAt: Date | null;
  /** What the ledger made of it when it did not simply apply (a due date left as it was, a credit skipped). */
  outcome: string | null;
}

export interface TimelineFlag {
  id: string;
  kinds: string[];
  daysOverdue: number;
  recommended: string | null;
  status: 'pending' | 'approved' | 'rejected';
  decision: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export interface TimelineTask {
  id: string;
  description: string;
  status: 'open' | 'done' | 'dismissed';
  closedAt: Date | null;
  closedBy: string | null;
}

/** The promise, plan, dispute or settlement a log line is about, as it stands now. */
export type TimelineArrangement =
  | { type: 'promise'; id: string; status: 'open' | 'kept' | 'broken'; promisedDate: string }
  | {
      type: 'plan';
      id: string;
      status: 'awaiting_approval' | 'active' | 'completed' | 'broken' | 'rejected';
      currency: string;
      installments: Installment[];
      approvalReason: string | null;
    }
  | {
      type: 'dispute';
      id: string;
      status: 'open' | 'resolved';
      reason: string;
      message: string;
      resolution: string | null;
      resolvedBy: string | null;
    }
  | {
      type: 'settlement';
      id: string;
      status: 'offered' | 'accepted' | 'paid' | 'expired';
      currency: string;
      offerMinor: number;
      startBalanceMinor: number;
      payBy: string;
    };

export type TimelineEntry =
  | (EntryBase & {
      type: 'activity';
      /** The message a delivery event or a cancellation is about (its entry is in the timeline too). */
      messageId: string | null;
      arrangement: TimelineArrangement | null;
      flag: TimelineFlag | null;
    })
  | (EntryBase & { type: 'message'; message: TimelineMessage })
  | (EntryBase & { type: 'write_back'; ledgerWrite: TimelineWriteBack })
  | (EntryBase & { type: 'flag'; flag: TimelineFlag })
  | (EntryBase & { type: 'task'; task: TimelineTask });

export interface TimelinePage {
  entries: TimelineEntry[];
  /** Pass as `before` for the next (older) page; null on the last one. */
  nextCursor: string | null;
}

export interface TimelineOptions {
  orgId: string;
  /** At most this many entries (default 100, at most 500). */
  limit?: number;
  /** A previous page's `nextCursor`. */
  before?: string;
}

const defaultLimit = 100;
const maxLimit = 500;
/** Log lines whose record is an entry of its own (see the top of this file). */
const folded = ['reminder.planned', 'reminder.sent', 'flag.raised', 'task.created'];

interface Cursor {
  /** UTC, to the microsecond, as `atKeyOf` writes it. */
  at: string;
  source: TimelineSource;
  rowId: string;
}
const cursorShape =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)\|(activity|flag|message|task|write_back)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

function parseCursor(before: string | undefined): Cursor | null {
  if (before === undefined) return null;
  const match = cursorShape.exec(before);
  if (!match?.[1] || !match[2] || !match[3])
    throw new AppError(400, 'invalid_request', 'The timeline position is not valid; start from the top.');
  return { at: match[1], source: match[2] as TimelineSource, rowId: match[3] };
}

/** The time as sortable text to the microsecond: a Date keeps milliseconds, PostgreSQL microseconds. */
const atKeyOf = (at: SQL | AnyPgColumn) =>
  sql<string>`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Rows after the cursor in (time desc, source desc, id desc) order. */
function olderThan(cursor: Cursor | null, source: TimelineSource, at: SQL | AnyPgColumn, id: AnyPgColumn) {
  if (!cursor) return undefined;
  const cursorAt = sql`${cursor.at}::timestamptz`;
  if (source === cursor.source) return sql`(${at}, ${id}) < (${cursorAt}, ${cursor.rowId}::uuid)`;
  return source < cursor.source ? sql`${at} <= ${cursorAt}` : sql`${at} < ${cursorAt}`;
}

/** A uuid named in a log line's details, or null (never a cast error) when it is not one. */
const detailId = (key: string) =>
  sql`(case when ${activityLog.details}->>${key} ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (${activityLog.details}->>${key})::uuid end)`;

interface MessageRef {
  orgId: SQL | AnyPgColumn;
  customerId: SQL | AnyPgColumn;
  key: SQL | AnyPgColumn;
}

/**
 * A message's invoices: the steps it took (by its effect key), and the ones its planning logged, which
 * outlive the steps of a cancelled reminder.
 */
const messageInvoiceIds = (m: MessageRef) => sql<string[]>`array(
  select s.invoice_id::text from collection_steps s where s.customer_id = ${m.customerId} and s.org_id = ${m.orgId} and s.effect_key = ${m.key}
  union
  select jsonb_array_elements_text(p.details->'invoiceIds') from activity_log p
  where p.org_id = ${m.orgId} and p.customer_id = ${m.customerId} and p.kind = 'reminder.planned'
    and p.details->>'key' = ${m.key} and jsonb_typeof(p.details->'invoiceIds') = 'array')`;

const messageConcerns = (m: MessageRef, invoiceId: string) => sql`(
  exists (select 1 from collection_steps s where s.customer_id = ${m.customerId} and s.org_id = ${m.orgId} and s.effect_key = ${m.key}
    and s.invoice_id = ${invoiceId}::uuid)
  or exists (select 1 from activity_log p where p.org_id = ${m.orgId} and p.customer_id = ${m.customerId}
    and p.kind = 'reminder.planned' and p.details->>'key' = ${m.key} and p.details->'invoiceIds' ? ${invoiceId}::text))`;

/** The summary of the log line that announced a message, flag or task: why the planner made it. */
const announcedWhy = (kind: string, owner: MessageRef) => sql<string | null>`(
  select a.summary from activity_log a where a.org_id = ${owner.orgId} and a.customer_id = ${owner.customerId}
    and a.kind = ${kind} and a.details->>'key' = ${owner.key} order by a.occurred_at limit 1)`;

/** A log line concerns an invoice it names, or one named by the arrangement or message it is about. */
function activityConcerns(invoiceId: string): SQL {
  const arrangement = (table: string, key: string) =>
    sql`exists (select 1 from ${sql.identifier(table)} r where r.org_id = ${activityLog.orgId}
      and r.id = ${detailId(key)} and r.invoice_ids ? ${invoiceId}::text)`;
  const m = { orgId: sql`m.org_id`, customerId: sql`m.customer_id`, key: sql`m.idempotency_key` };
  return sql`(${activityLog.invoiceId} = ${invoiceId}::uuid
    or ${activityLog.details}->'invoiceIds' ? ${invoiceId}::text
    or ${arrangement('payment_promises', 'promiseId')} or ${arrangement('payment_plans', 'planId')}
    or ${arrangement('disputes', 'disputeId')} or ${arrangement('settlements', 'settlementId')}
    or exists (select 1 from outbound_messages m where m.org_id = ${activityLog.orgId}
      and m.id = ${detailId('messageId')} and ${messageConcerns(m, invoiceId)}))`;
}

/** Any spelling of a uuid: anything else names no row (and must not reach a uuid cast). */
const anyUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Scope {
  orgId: string;
  customerId: string;
  /** Only what concerns this invoice (of that debtor), when set. */
  invoiceId: string | null;
}

/** Every contact, delivery, arrangement, flag, task and write-back of one debtor, newest first. */
export async function debtorTimeline(
  db: Database,
  options: TimelineOptions & { customerId: string },
): Promise<TimelinePage> {
  if (!anyUuid.test(options.orgId) || !anyUuid.test(options.customerId))
    return { entries: [], nextCursor: null };
  return timeline(db, { orgId: options.orgId, customerId: options.customerId, invoiceId: null }, options);
}

/** The same, for one invoice: what concerns it, including contacts and notes covering it with others. */
export async function invoiceTimeline(
  db: Database,
  options: TimelineOptions & { invoiceId: string },
): Promise<TimelinePage> {
  if (!anyUuid.test(options.orgId) || !anyUuid.test(options.invoiceId))
    return { entries: [], nextCursor: null };
  const [invoice] = await db
    .select({ customerId: invoices.customerId })
    .from(invoices)
    .where(and(eq(invoices.orgId, options.orgId), eq(invoices.id, options.invoiceId)));
  if (!invoice) return { entries: [], nextCursor: null };
  return timeline(
    db,
    { orgId: options.orgId, customerId: invoice.customerId, invoiceId: options.invoiceId },
    options,
  );
}

/** One row read for a page, and how it becomes an entry once the page's linked records are read. */
interface Candidate {
  atKey: string;
  source: TimelineSource;
  rowId: string;
  build: (linked: Linked) => TimelineEntry;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const newestFirst = (a: Candidate, b: Candidate) =>
  compareText(b.atKey, a.atKey) || compareText(b.source, a.source) || compareText(b.rowId, a.rowId);

async function timeline(db: Database, scope: Scope, options: TimelineOptions): Promise<TimelinePage> {
  const cursor = parseCursor(options.before);
  const asked = Math.trunc(options.limit ?? defaultLimit);
  const limit = Number.isFinite(asked) ? Math.min(Math.max(asked, 1), maxLimit) : defaultLimit;
  // Each source's newest `limit + 1` rows after the cursor hold the page and tell whether more follow.
  const [activity, messages, writes, flags, tasks] = await Promise.all([
    readActivity(db, scope, cursor, limit + 1),
    readMessages(db, scope, cursor, limit + 1),
    readWriteBacks(db, scope, cursor, limit + 1),
    readFlags(db, scope, cursor, limit + 1),
    readTasks(db, scope, cursor, limit + 1),
  ]);
  const candidate =
    <T extends { id: string; atKey: string }>(
      source: TimelineSource,
      build: (row: T, linked: Linked) => TimelineEntry,
    ) =>
    (row: T): Candidate => ({
      atKey: row.atKey,
      source,
      rowId: row.id,
      build: (linked) => build(row, linked),
    });
  const candidates = [
    ...activity.map(candidate('activity', activityEntry)),
    ...messages.map(candidate('message', messageEntry)),
    ...writes.map(candidate('write_back', writeBackEntry)),
    ...flags.map(candidate('flag', flagEntry)),
    ...tasks.map(candidate('task', taskEntry)),
  ].sort(newestFirst);
  const page = candidates.slice(0, limit);
  const last = page.at(-1);
  const onPage = new Set(page.filter((entry) => entry.source === 'activity').map((entry) => entry.rowId));
  const linked = await readLinked(
    db,
    scope.orgId,
    activity.filter((row) => onPage.has(row.id)),
  );
  return {
    entries: page.map((entry) => entry.build(linked)),
    nextCursor: candidates.length > limit && last ? `${last.atKey}|${last.source}|${last.rowId}` : null,
  };
}

function readActivity(db: Database, scope: Scope, cursor: Cursor | null, rows: number) {
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
type ActivityRow = Awaited<ReturnType<typeof readActivity>>[number];

const messageAt = sql`coalesce(${outboundMessages.sentAt}, ${outboundMessages.createdAt})`;
const ownMessage: MessageRef = {
  orgId: outboundMessages.orgId,
  customerId: outboundMessages.customerId,
  key: outboundMessages.idempotencyKey,
};

function readMessages(db: Database, scope: Scope, cursor: Cursor | null, rows: number) {
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
type MessageRow = Awaited<ReturnType<typeof readMessages>>[number];

const writeAt = sql`coalesce(${ledgerWrites.doneAt}, ${ledgerWrites.createdAt})`;
const namedInvoices = sql`${ledgerWrites.payload}->'invoiceIds'`;

/**
 * Write-backs carry no debtor: they are the ones on the debtor's invoices, by the invoice they are
 * about or the several a note names. No index leads there yet, so this filters the organisation's
 * write-backs; a `customer_id` column (or a GIN index on the named invoices) would let one.
 */
function readWriteBacks(db: Database, scope: Scope, cursor: Cursor | null, rows: number) {
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
type WriteBackRow = Awaited<ReturnType<typeof readWriteBacks>>[number];

const flagFields = {
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

function readFlags(db: Database, scope: Scope, cursor: Cursor | null, rows: number) {
  const own = {
    orgId: collectionFlags.orgId,
    customerId: collectionFlags.customerId,
    key: collectionFlags.idempotencyKey,
  };
  return db
    .select({
      ...flagFields,
      atKey: atKeyOf(collectionFlags.createdAt),
      why: announcedWhy('flag.raised', own),
    })
    .from(collectionFlags)
    .where(
      and(
        ofDebtor(collectionFlags, scope),
        scope.invoiceId ? sql`${collectionFlags.invoiceIds} ? ${scope.invoiceId}::text` : undefined,
        olderThan(cursor, 'flag', collectionFlags.createdAt, collectionFlags.id),
      ),
    )
    .orderBy(desc(collectionFlags.createdAt), desc(collectionFlags.id))
    .limit(rows);
}
type FlagRow = Awaited<ReturnType<typeof readFlags>>[number];

function readTasks(db: Database, scope: Scope, cursor: Cursor | null, rows: number) {
  const own = {
    orgId: collectionTasks.orgId,
    customerId: collectionTasks.customerId,
    key: collectionTasks.idempotencyKey,
  };
  return db
    .select({
      id: collectionTasks.id,
      description: collectionTasks.description,
      invoiceIds: collectionTasks.invoiceIds,
      status: collectionTasks.status,
      closedAt: collectionTasks.closedAt,
      closedBy: collectionTasks.closedBy,
      createdAt: collectionTasks.createdAt,
      atKey: atKeyOf(collectionTasks.createdAt),
      why: announcedWhy('task.created', own),
    })
    .from(collectionTasks)
    .where(
      and(
        ofDebtor(collectionTasks, scope),
        scope.invoiceId ? sql`${collectionTasks.invoiceIds} ? ${scope.invoiceId}::text` : undefined,
        olderThan(cursor, 'task', collectionTasks.createdAt, collectionTasks.id),
      ),
    )
    .orderBy(desc(collectionTasks.createdAt), desc(collectionTasks.id))
    .limit(rows);
}
type TaskRow = Awaited<ReturnType<typeof readTasks>>[number];

/** A record a log line is about, with the invoices it covers. */
interface LinkedRecord<T> {
  value: T;
  invoiceIds: string[];
}

/** The records the page's log lines name, by id: one query per kind named, never one per line. */
interface Linked {
  arrangements: Map<string, LinkedRecord<TimelineArrangement>>;
  flags: Map<string, TimelineFlag>;
  messageInvoices: Map<string, string[]>;
}

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const arrangementKeys = ['promiseId', 'planId', 'disputeId', 'settlementId'] as const;

function namedId(details: Record<string, unknown>, key: string): string | null {
  const value = details[key];
  return typeof value === 'string' && uuidShape.test(value) ? value : null;
}

async function readLinked(db: Database, orgId: string, rows: ActivityRow[]): Promise<Linked> {
  const ids = (key: string) => [...new Set(rows.flatMap((row) => namedId(row.details, key) ?? []))];
  const read = <T>(wanted: string[], query: (wanted: string[]) => Promise<T[]>) =>
    wanted.length === 0 ? Promise.resolve([] as T[]) : query(wanted);
  const [promises, plans, disputeRows, offers, flags, messages] = await Promise.all([
    read(ids('promiseId'), (wanted) =>
      db
        .select()
        .from(paymentPromises)
        .where(and(eq(paymentPromises.orgId, orgId), inArray(paymentPromises.id, wanted))),
    ),
    read(ids('planId'), (wanted) =>
      db
        .select()
        .from(paymentPlans)
        .where(and(eq(paymentPlans.orgId, orgId), inArray(paymentPlans.id, wanted))),
    ),
    read(ids('disputeId'), (wanted) =>
      db
        .select()
        .from(disputes)
        .where(and(eq(disputes.orgId, orgId), inArray(disputes.id, wanted))),
    ),
    read(ids('settlementId'), (wanted) =>
      db
        .select()
        .from(settlements)
        .where(and(eq(settlements.orgId, orgId), inArray(settlements.id, wanted))),
    ),
    read(ids('flagId'), (wanted) =>
      db
        .select(flagFields)
        .from(collectionFlags)
        .where(and(eq(collectionFlags.orgId, orgId), inArray(collectionFlags.id, wanted))),
    ),
    read(ids('messageId'), (wanted) =>
      db
        .select({ id: outboundMessages.id, invoiceIds: messageInvoiceIds(ownMessage) })
        .from(outboundMessages)
        .where(and(eq(outboundMessages.orgId, orgId), inArray(outboundMessages.id, wanted))),
    ),
  ]);
  const arrangements = new Map<string, LinkedRecord<TimelineArrangement>>();
  const link = (value: TimelineArrangement, invoiceIds: string[]) =>
    arrangements.set(value.id, { value, invoiceIds });
  for (const row of promises)
    link({ type: 'promise', id: row.id, status: row.status, promisedDate: row.promisedDate }, row.invoiceIds);
  for (const row of plans)
    link(
      {
        type: 'plan',
        id: row.id,
        status: row.status,
        currency: row.currency,
        installments: row.installments,
        approvalReason: row.approvalReason,
      },
      row.invoiceIds,
    );
  for (const row of disputeRows)
    link(
      {
        type: 'dispute',
        id: row.id,
        status: row.status,
        reason: disputeReasons[row.reason as keyof typeof disputeReasons] ?? row.reason,
        message: row.message,
        resolution: row.resolution,
        resolvedBy: row.resolvedBy,
      },
      row.invoiceIds,
    );
  for (const row of offers)
    link(
      {
        type: 'settlement',
        id: row.id,
        status: row.status,
        currency: row.currency,
        offerMinor: row.offerMinor,
        startBalanceMinor: row.startBalanceMinor,
        payBy: row.payBy,
      },
      row.invoiceIds,
    );
  return {
    arrangements,
    flags: new Map(flags.map((row) => [row.id, timelineFlag(row)])),
    messageInvoices: new Map(messages.map((row) => [row.id, row.invoiceIds])),
  };
}

const union = (...lists: Array<readonly unknown[] | null | undefined>) =>
  [
    ...new Set(lists.flatMap((list) => (list ?? []).filter((id): id is string => typeof id === 'string'))),
  ].sort();

function activityEntry(row: ActivityRow, linked: Linked): TimelineEntry {
  const details = row.details;
  const arrangement =
    arrangementKeys
      .map((key) => linked.arrangements.get(namedId(details, key) ?? ''))
      .find((found) => found !== undefined) ?? null;
  const flagId = namedId(details, 'flagId');
  const messageId = namedId(details, 'messageId');
  const named = details['invoiceIds'];
  return {
    type: 'activity',
    id: `activity:${row.id}`,
    at: row.at,
    kind: row.kind,
    actor: row.actor,
    summary: row.summary,
    reason: activityReason(row.kind, details, arrangement?.value ?? null),
    invoiceIds: union(
      Array.isArray(named) ? named : null,
      [row.invoiceId],
      arrangement?.invoiceIds,
      messageId ? linked.messageInvoices.get(messageId) : null,
    ),
    messageId,
    arrangement: arrangement?.value ?? null,
    flag: flagId ? (linked.flags.get(flagId) ?? null) : null,
  };
}

/** The dispute's reason or resolution, why a plan needs approval, or the reason the line states. */
function activityReason(
  kind: string,
  details: Record<string, unknown>,
  arrangement: TimelineArrangement | null,
): string | null {
  if (arrangement?.type === 'dispute')
    return kind === 'dispute.resolved' ? arrangement.resolution : arrangement.reason;
  if (arrangement?.type === 'plan' && kind === 'plan.requested') return arrangement.approvalReason;
  const stated = details['reason'];
  return typeof stated === 'string' && stated.length > 0 ? stated : null;
}

function messageSummary(row: MessageRow, status: TimelineMessageStatus): string {
  const recipients = [...row.to.map((a) => a.email), ...row.cc.map((a) => `cc ${a.email}`)].join(', ');
  const what = row.subject !== null ? `"${row.subject}"` : `a ${row.purpose}`;
  const lead = `${what.charAt(0).toUpperCase()}${what.slice(1)} to ${recipients}`;
  switch (status) {
    case 'sent':
      return `Sent ${what} to ${recipients}`;
    case 'sending':
      return `Sending ${what} to ${recipients}`;
    case 'queued':
      return `${lead} is queued${row.subject === null ? '; it is written when it goes' : ''}`;
    case 'awaiting_approval':
      return `${lead} is waiting for a person's approval`;
    case 'uncertain':
      return `${lead} may or may not have gone; a person decides`;
    case 'failed':
      return `${lead} could not be sent`;
    case 'cancelled':
      return `${lead} was not sent`;
  }
}

function messageEntry(row: MessageRow): TimelineEntry {
  const status: TimelineMessageStatus = row.status === 'pending' ? 'queued' : row.status;
  return {
    type: 'message',
    id: `message:${row.id}`,
    at: row.sentAt ?? row.createdAt,
    kind: `message.${status}`,
    actor: 'system',
    summary: messageSummary(row, status),
    reason: row.why,
    invoiceIds: union(row.invoiceIds),
    message: {
      id: row.id,
      purpose: row.purpose,
      status,
      template: row.template,
      stepKey: row.renderInputs?.stepKey ?? null,
      tone: row.renderInputs?.tone ?? null,
      to: row.to,
      cc: row.cc,
      rendered: row.subject !== null,
      subject: row.subject,
      text: row.text,
      html: row.html,
      queuedAt: row.createdAt,
      sentAt: row.sentAt,
      deliveredAt: row.deliveredAt,
      openedAt: row.openedAt,
      problem: row.deliveryProblem,
      error: row.lastError,
      attempts: row.attempts,
    },
  };
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

function writeBackEntry(row: WriteBackRow): TimelineEntry {
  const { payload, result } = row;
  let summary: string;
  let reason: string | null = null;
  if (row.kind === 'note') summary = `Ledger note: ${text(payload['text']) ?? ''}`;
  else if (row.kind === 'due_date') {
    summary = `Due date moved to ${text(payload['dueDate']) ?? '?'} in the ledger`;
    reason = text(payload['reason']);
  } else {
    const amountMinor = payload['amountMinor'];
    const currency = text(payload['currency']);
    const target = payload['target'] as { description?: unknown } | undefined;
    const amount =
      typeof amountMinor === 'number' && currency ? formatPlainMoney({ amountMinor, currency }) : 'an amount';
    summary = `Credit of ${amount} to ${text(target?.description) ?? 'the chosen account'} in the ledger`;
    reason = text(payload['memo']);
  }
  const outcome =
    result?.['applied'] === false
      ? `the due date was left as it is: ${text(result['reason']) ?? 'the ledger refused it'}`
      : text(result?.['skipped']);
  return {
    type: 'write_back',
    id: `write_back:${row.id}`,
    at: row.doneAt ?? row.createdAt,
    kind: `write_back.${row.kind}`,
    actor: 'system',
    summary,
    reason,
    invoiceIds: union(row.invoiceIds),
    ledgerWrite: {
      id: row.id,
      kind: row.kind,
      status: row.status,
      attempts: row.attempts,
      error: row.lastError,
      doneAt: row.doneAt,
      outcome,
    },
  };
}

function timelineFlag(row: Omit<FlagRow, 'atKey' | 'why'>): TimelineFlag {
  return {
    id: row.id,
    kinds: row.kinds,
    daysOverdue: row.daysOverdue,
    recommended: text(row.recommendation['recommended']),
    status: row.status,
    decision: row.decision,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
  };
}

function flagEntry(row: FlagRow): TimelineEntry {
  return {
    type: 'flag',
    id: `flag:${row.id}`,
    at: row.createdAt,
    kind: 'flag.raised',
    actor: 'system',
    summary: `Flagged for ${flagKindsText(row.kinds, ' / ')} (${row.daysOverdue} days overdue)`,
    reason: row.why,
    invoiceIds: union(row.invoiceIds),
    flag: timelineFlag(row),
  };
}

function taskEntry(row: TaskRow): TimelineEntry {
  return {
    type: 'task',
    id: `task:${row.id}`,
    at: row.createdAt,
    kind: 'task.created',
    actor: 'system',
    summary: `Task for a person: ${row.description}`,
    reason: row.why,
    invoiceIds: union(row.invoiceIds),
    task: {
      id: row.id,
      description: row.description,
      status: row.status,
      closedAt: row.closedAt,
      closedBy: row.closedBy,
    },
  };
}

export interface CustomerHeader {
  id: string;
  name: string;
  currency: string | null;
  timeZone: string | null;
  active: boolean;
  /** Set when the ledger deleted or merged the customer. */
  deletedAt: Date | null;
  /** When the debtor opted out of emails; no automatic message after it. */
  optedOutAt: Date | null;
  /** A person's choices for this customer: excluded, do-not-contact, segment, own schedule. */
  overrides: CustomerOverrides;
  contacts: Array<{
    id: string;
    name: string | null;
    email: string | null;
    role: 'billing' | 'escalation' | 'other';
    source: 'ledger' | 'manual';
    /** Set when a message to it bounced: it is not written to again until fixed. */
    bouncedAt: Date | null;
  }>;
  /** What is owed on open invoices (those on hold for an agency or a write-off included), per currency. */
  openBalances: Array<{ currency: string; balanceMinor: number; invoiceCount: number }>;
}

/** What the top of a debtor's timeline shows; null when the customer is not the organisation's. */
export async function customerHeader(
  db: Database,
  debtor: { orgId: string; customerId: string },
): Promise<CustomerHeader | null> {
  if (!anyUuid.test(debtor.orgId) || !anyUuid.test(debtor.customerId)) return null;
  const [[customer], contacts, openBalances] = await Promise.all([
    db
      .select({
        id: customers.id,
        name: customers.name,
        currency: customers.currency,
        timeZone: customers.timeZone,
        active: customers.active,
        deletedAt: customers.deletedAt,
        optedOutAt: customers.optedOutAt,
        overrides: customers.collectionOverrides,
      })
      .from(customers)
      .where(and(eq(customers.orgId, debtor.orgId), eq(customers.id, debtor.customerId))),
    db
      .select({
        id: customerContacts.id,
        name: customerContacts.name,
        email: customerContacts.email,
        role: customerContacts.role,
        source: customerContacts.source,
        bouncedAt: customerContacts.bouncedAt,
      })
      .from(customerContacts)
      .where(ofDebtor(customerContacts, debtor))
      .orderBy(asc(customerContacts.role), asc(customerContacts.email)),
    db
      .select({
        currency: invoices.currency,
        balanceMinor: sql<number>`sum(${invoices.balanceMinor})::bigint`.mapWith(Number),
        invoiceCount: sql<number>`count(*)::int`.mapWith(Number),
      })
      .from(invoices)
      .where(and(ofDebtor(invoices, debtor), eq(invoices.status, 'open'), gt(invoices.balanceMinor, 0)))
      .groupBy(invoices.currency)
      .orderBy(asc(invoices.currency)),
  ]);
  if (!customer) return null;
  return { ...customer, overrides: customer.overrides as CustomerOverrides, contacts, openBalances };
}
