import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { CustomerOverrides } from '../collections/snapshot.js';
import type { Database } from '../db/client.js';
import { ofDebtor } from '../db/debtor-scope.js';
import { customerContacts, customers, invoices } from '../db/schema/index.js';
import { cursorAfter, parseCursor } from './timeline-cursor.js';
import type { TimelineEntry, TimelinePage, TimelineSource } from './timeline-entry.js';
import {
  activityEntry,
  flagEntry,
  messageEntry,
  taskEntry,
  writeBackEntry,
} from './timeline-entry-builders.js';
import { type Linked, readLinked } from './timeline-linked.js';
import {
  readActivity,
  readFlags,
  readMessages,
  readTasks,
  readWriteBacks,
  type Scope,
} from './timeline-sources.js';

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

export interface TimelineOptions {
  orgId: string;
  /** At most this many entries (default 100, at most 500). */
  limit?: number;
  /** A previous page's `nextCursor`. */
  before?: string;
}

const defaultLimit = 100;
const maxLimit = 500;
/** Any spelling of a uuid: anything else names no row (and must not reach a uuid cast). */
const anyUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    nextCursor: candidates.length > limit && last ? cursorAfter(last) : null,
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
