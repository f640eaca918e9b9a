import { and, asc, between, eq, gt, sql } from 'drizzle-orm';
import { anyUuid } from '../db/any-of.js';
import type { Database } from '../db/client.js';
import { customerPhones, customers, invoices, organisations } from '../db/schema/index.js';
import { contactTaskKinds } from '../domain/policy.js';
import type { CustomerOverrides, DebtorSnapshot, PastContact } from './snapshot.js';
import { type BatchRows, readBatch } from './snapshot-reads.js';

export interface OrganisationContext {
  orgId: string;
  timeZone: string;
  currency: string;
  country?: string | null;
}

export async function loadOrganisationContext(
  db: Database,
  orgId: string,
): Promise<OrganisationContext | null> {
  const [organisation] = await db
    .select({
      timeZone: organisations.timeZone,
      currency: organisations.currency,
      country: organisations.country,
    })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  return organisation ? { orgId, ...organisation } : null;
}

/** A customer with an open, unpaid invoice that is still chased. */
const owesSomething = sql`exists (select 1 from ${invoices} i where i.customer_id = ${customers.id} and i.status = 'open' and i.balance_minor > 0 and i.collection_hold is null)`;

/** Every debtor of an organisation (customers owing something), in id order: the evaluation's work list. */
export async function debtorIdsOf(db: Database, orgId: string): Promise<string[]> {
  const rows = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.orgId, orgId), owesSomething))
    .orderBy(asc(customers.id));
  return rows.map((row) => row.id);
}

/**
 * Customers by id, with the batch's lowest and highest id as well: an evaluation's batches are runs of
 * debtors in id order, and the bounds let PostgreSQL walk that stretch of the primary key (12 ms for
 * a thousand debtors among 200,000) where the id list alone had it scan every customer (80 ms).
 */
function idsWithin(ids: string[]) {
  // UUID text in one case sorts as PostgreSQL sorts uuids (byte by byte).
  const texts = ids.map((id) => id.toLowerCase());
  let lowest = texts[0] ?? '';
  let highest = lowest;
  for (const id of texts) {
    if (id < lowest) lowest = id;
    if (id > highest) highest = id;
  }
  return and(anyUuid(customers.id, ids), between(customers.id, lowest, highest));
}

/** How far back history is read: a year of paid invoices and steps is what the rules look at. */
const historyDays = 400;
/** Emails that have not reached the debtor yet but may: the next step waits for them. */
const unsentStatuses = new Set(['awaiting_approval', 'pending', 'sending', 'uncertain']);

type BatchOptions =
  | { afterCustomerId: string | null; limit: number; now: Date }
  | { customerIds: string[]; now: Date };

/**
 * One batch of debtors (customers owing something), after `afterCustomerId`, as planner snapshots:
 * a handful of set-based queries per batch, never one per debtor.
 */
export async function loadSnapshots(
  db: Database,
  org: OrganisationContext,
  options: BatchOptions,
): Promise<DebtorSnapshot[]> {
  const since = new Date(options.now.getTime() - historyDays * 86_400_000);
  const debtors = await readDebtors(db, org, options);
  if (debtors.length === 0) return [];
  const rows = await readBatch(db, { org, ids: debtors.map((debtor) => debtor.id), since });
  const byDebtor = byCustomer(rows);
  return debtors.map((debtor) => snapshotOf(org, debtor, byDebtor));
}

/** The batch's debtors: the ones named, or the next `limit` after `afterCustomerId`, in id order. */
function readDebtors(db: Database, org: OrganisationContext, options: BatchOptions) {
  return db
    .select({
      id: customers.id,
      name: customers.name,
      timeZone: customers.timeZone,
      country: customers.country,
      optedOutAt: customers.optedOutAt,
      overrides: customers.collectionOverrides,
      textable: sql<boolean>`exists (select 1 from ${customerPhones} p where p.customer_id = "customers"."id" and p.consent_at is not null and p.sms_opted_out_at is null)`,
    })
    .from(customers)
    .where(
      and(
        eq(customers.orgId, org.orgId),
        'customerIds' in options
          ? idsWithin(options.customerIds)
          : options.afterCustomerId
            ? gt(customers.id, options.afterCustomerId)
            : undefined,
        owesSomething,
      ),
    )
    .orderBy(asc(customers.id))
    .limit('customerIds' in options ? options.customerIds.length : options.limit);
}
type Debtor = Awaited<ReturnType<typeof readDebtors>>[number];

function groupByCustomer<Row extends { customerId: string | null }>(rows: Row[]) {
  const map = new Map<string, Row[]>();
  for (const row of rows) {
    if (!row.customerId) continue;
    const list = map.get(row.customerId);
    if (list) list.push(row);
    else map.set(row.customerId, [row]);
  }
  return map;
}

/** When the reader of each reminder that drew an out-of-office reply is back, by debtor and effect. */
function awayByEffect(rows: BatchRows['away']) {
  const map = new Map<string, string>();
  for (const row of rows) {
    const key = `${row.customerId}|${row.effectKey}`;
    const known = map.get(key);
    if (!known || row.backOn > known) map.set(key, row.backOn);
  }
  return map;
}

/** The later of two ISO instants, either of which may be missing. */
const latest = (one: string | null | undefined, other: string | undefined): string | null =>
  !one ? (other ?? null) : !other ? one : one > other ? one : other;

/** The batch's rows by debtor. */
function byCustomer(rows: BatchRows) {
  return {
    open: groupByCustomer(rows.open),
    contacts: groupByCustomer(rows.contacts),
    messages: groupByCustomer(rows.messages),
    steps: groupByCustomer(rows.steps),
    paid: groupByCustomer(rows.paid),
    payments: groupByCustomer(rows.recentPayments),
    closed: groupByCustomer(rows.closed),
    credits: groupByCustomer(rows.credits),
    replies: groupByCustomer(rows.replies),
    contactTasks: groupByCustomer(rows.contactTasks),
    openKeys: new Set(rows.openWork.map((row) => `${row.customerId}|${row.effectKey}`)),
    lifetime: new Map(rows.lifetime.map((row) => [row.customerId, row])),
    replied: new Map(rows.replied.map((row) => [row.customerId, row.at.toISOString()])),
    away: awayByEffect(rows.away),
    arrangements: rows.arrangements,
  };
}
type ByCustomer = ReturnType<typeof byCustomer>;

/**
 * The debtor's messages, tasks and flags: the steps taken under one effect, dated by the email's
 * sending, the call's making or the letter's posting.
 */
function pastContactsOf(debtorId: string, rows: ByCustomer): PastContact[] {
  const pastContacts = new Map<string, PastContact>();
  for (const step of rows.steps.get(debtorId) ?? []) {
    let contact = pastContacts.get(step.effectKey);
    if (!contact) {
      contact = { at: step.takenAt.toISOString(), kind: step.kind, steps: [] };
      if (step.kind !== 'email' && rows.openKeys.has(`${debtorId}|${step.effectKey}`)) contact.open = true;
      pastContacts.set(step.effectKey, contact);
    }
    contact.steps.push({ invoiceId: step.invoiceId, stepKey: step.stepKey });
  }
  for (const message of rows.messages.get(debtorId) ?? []) {
    const contact = pastContacts.get(message.effectKey);
    if (contact?.kind !== 'email') continue;
    if (message.sentAt) contact.at = message.sentAt.toISOString();
    else if (unsentStatuses.has(message.status)) contact.unsent = true;
    const awayUntil = rows.away.get(`${debtorId}|${message.effectKey}`);
    if (awayUntil) contact.awayUntil = awayUntil;
  }
  for (const task of rows.contactTasks.get(debtorId) ?? []) {
    const contact = pastContacts.get(task.effectKey);
    if (!contact || !contactTaskKinds.has(contact.kind)) continue;
    if (task.status === 'dismissed') contact.dismissed = true;
    else if (task.closedAt) contact.at = task.closedAt.toISOString();
  }
  return [...pastContacts.values()];
}

function snapshotOf(org: OrganisationContext, debtor: Debtor, rows: ByCustomer): DebtorSnapshot {
  const lifetime = rows.lifetime.get(debtor.id);
  return {
    orgId: org.orgId,
    customerId: debtor.id,
    customerName: debtor.name,
    orgTimeZone: org.timeZone,
    debtorTimeZone: debtor.timeZone,
    orgCountry: org.country ?? null,
    debtorCountry: debtor.country,
    orgCurrency: org.currency,
    credits: (rows.credits.get(debtor.id) ?? []).map((row) => ({
      currency: row.currency,
      amountMinor: Number(row.amountMinor),
    })),
    // The rows as read (with their customer id): copying a million of them only fed the collector.
    invoices: rows.open.get(debtor.id) ?? [],
    contacts: (rows.contacts.get(debtor.id) ?? []).flatMap((contact) =>
      contact.email
        ? [
            {
              email: contact.email,
              name: contact.name,
              role: contact.role,
              bounced: contact.bouncedAt !== null,
            },
          ]
        : [],
    ),
    ...(debtor.textable ? { textable: true } : {}),
    history: {
      contacts: pastContactsOf(debtor.id, rows),
      closedInvoices: (rows.closed.get(debtor.id) ?? []).flatMap((row) =>
        row.closedAt ? [{ dueDate: row.dueDate, closedAt: row.closedAt.toISOString() }] : [],
      ),
      paidInvoices: (rows.paid.get(debtor.id) ?? []).map((row) => ({
        dueDate: row.dueDate,
        paidOn: String(row.paidOn).slice(0, 10),
        partPayments: row.parts,
      })),
      payments: (rows.payments.get(debtor.id) ?? []).map((row) => ({ paidOn: row.paidOn })),
      promises: [],
      plan: null,
      settlements: [],
      disputes: [],
      ...rows.arrangements.get(debtor.id),
      lastResponseAt: latest(rows.arrangements.get(debtor.id)?.lastResponseAt, rows.replied.get(debtor.id)),
      unreadReplies: (rows.replies.get(debtor.id) ?? []).map((reply) => ({
        receivedOn: reply.receivedOn,
        outOfOffice: reply.class === 'out_of_office',
        returnsOn: reply.returnsOn,
      })),
      optedOut: debtor.optedOutAt !== null,
      lifetimePaidMinor: Number(lifetime?.total ?? 0),
      firstInvoiceDate: lifetime?.first ?? null,
    },
    overrides: debtor.overrides as CustomerOverrides,
  };
}
