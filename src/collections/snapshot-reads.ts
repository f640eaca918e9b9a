import { and, eq, gt, gte, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { loadArrangements } from '../arrangements/load-arrangements.js';
import type { Database } from '../db/client.js';
import { ofDebtors } from '../db/debtor-scope.js';
import {
  collectionFlags,
  collectionSteps,
  collectionTasks,
  customerContacts,
  debtorReplies,
  invoices,
  ledgerCredits,
  outboundMessages,
  paymentAllocations,
  payments,
} from '../db/schema/index.js';
import { outOfOfficeDays } from './reply-wait.js';

/*
 * The set-based reads behind one batch of snapshots: each query reads every debtor of the batch at
 * once, never one debtor at a time.
 */

/** The batch: its organisation (and its currency), its debtors' ids, and how far back history goes. */
interface Batch {
  org: { orgId: string; currency: string; timeZone: string };
  ids: string[];
  since: Date;
}

/** Every row the batch's snapshots are made of, still in one list per kind. */
export type BatchRows = Awaited<ReturnType<typeof readBatch>>;

export async function readBatch(db: Database, batch: Batch) {
  // Read once, used twice: the snapshots' invoices, and the balances that measure plans' progress.
  const openRows = Promise.resolve(openInvoices(db, batch));
  const arrangements = loadArrangements(
    db,
    batch.org.orgId,
    batch.ids,
    openRows.then((rows) => new Map(rows.map((row) => [row.id, row.balanceMinor]))),
    batch.since,
  );
  const replyRows = unreadReplies(db, batch);
  const contactTaskRows = contactTasksSince(db, batch);
  const repliedRows = lastRepliedAt(db, batch);
  const awayRows = outOfOfficeReplies(db, batch);
  const [open, contacts, steps, messages, paid, recentPayments, lifetime, closed, credits, openWork] =
    await Promise.all([
      openRows,
      contactsOf(db, batch),
      stepsSince(db, batch),
      messagesSince(db, batch),
      paidInvoices(db, batch),
      paymentsSince(db, batch),
      lifetimePayments(db, batch),
      closedSince(db, batch),
      creditsOf(db, batch),
      waitingForPerson(db, batch),
    ]);
  const [replies, replied, contactTasks, away] = await Promise.all([
    replyRows,
    repliedRows,
    contactTaskRows,
    awayRows,
  ]);
  return {
    open,
    contacts,
    steps,
    messages,
    paid,
    recentPayments,
    lifetime,
    closed,
    credits,
    openWork,
    replies,
    replied,
    contactTasks,
    away,
    arrangements: await arrangements,
  };
}

function openInvoices(db: Database, { org, ids }: Batch) {
  return db
    .select({
      id: invoices.id,
      customerId: invoices.customerId,
      number: invoices.number,
      currency: invoices.currency,
      balanceMinor: invoices.balanceMinor,
      totalMinor: invoices.totalMinor,
      dueDate: invoices.dueDate,
      status: invoices.status,
      paymentUrl: invoices.paymentUrl,
      billEmail: invoices.billEmail,
      connectionId: invoices.connectionId,
    })
    .from(invoices)
    .where(
      and(
        ofDebtors(invoices, org.orgId, ids),
        eq(invoices.status, 'open'),
        // Referred to an agency or written off: out of the schedule for good.
        isNull(invoices.collectionHold),
      ),
    );
}

function contactsOf(db: Database, { org, ids }: Batch) {
  return db
    .select({
      customerId: customerContacts.customerId,
      email: customerContacts.email,
      name: customerContacts.name,
      role: customerContacts.role,
      bouncedAt: customerContacts.bouncedAt,
    })
    .from(customerContacts)
    .where(ofDebtors(customerContacts, org.orgId, ids));
}

function stepsSince(db: Database, { org, ids, since }: Batch) {
  return db
    .select({
      customerId: collectionSteps.customerId,
      invoiceId: collectionSteps.invoiceId,
      stepKey: collectionSteps.stepKey,
      kind: collectionSteps.kind,
      effectKey: collectionSteps.effectKey,
      takenAt: collectionSteps.takenAt,
    })
    .from(collectionSteps)
    .where(and(ofDebtors(collectionSteps, org.orgId, ids), gte(collectionSteps.takenAt, since)));
}

/** What became of each email planned: a contact counts from when it was sent, not planned. */
function messagesSince(db: Database, { org, ids, since }: Batch) {
  return db
    .select({
      customerId: outboundMessages.customerId,
      effectKey: outboundMessages.idempotencyKey,
      status: outboundMessages.status,
      sentAt: outboundMessages.sentAt,
    })
    .from(outboundMessages)
    .where(and(ofDebtors(outboundMessages, org.orgId, ids), gte(outboundMessages.createdAt, since)));
}

/** Paid invoices: when the last payment came in, and in how many parts. */
function paidInvoices(db: Database, { org, ids }: Batch) {
  return db
    .select({
      customerId: invoices.customerId,
      dueDate: invoices.dueDate,
      paidOn: sql<string>`max(${payments.paidOn})`,
      parts: sql<number>`count(*)::int`,
    })
    .from(invoices)
    .innerJoin(paymentAllocations, eq(paymentAllocations.invoiceId, invoices.id))
    .innerJoin(payments, eq(payments.id, paymentAllocations.paymentId))
    .where(and(ofDebtors(invoices, org.orgId, ids), eq(invoices.status, 'paid')))
    .groupBy(invoices.id, invoices.customerId, invoices.dueDate);
}

function paymentsSince(db: Database, { org, ids, since }: Batch) {
  return db
    .select({ customerId: payments.customerId, paidOn: payments.paidOn })
    .from(payments)
    .where(and(ofDebtors(payments, org.orgId, ids), gte(payments.paidOn, since.toISOString().slice(0, 10))));
}

/** All a debtor ever paid in the organisation's currency, and when they first paid. */
function lifetimePayments(db: Database, { org, ids }: Batch) {
  return db
    .select({
      customerId: payments.customerId,
      total: sql<number>`coalesce(sum(${payments.amountMinor}), 0)::bigint`,
      first: sql<string | null>`min(${payments.paidOn})`,
    })
    .from(payments)
    .where(and(ofDebtors(payments, org.orgId, ids), eq(payments.currency, org.currency)))
    .groupBy(payments.customerId);
}

/** Closed lately, or taken out of the schedule by an approved flag: where each debtor's journey began. */
function closedSince(db: Database, { org, ids, since }: Batch) {
  return db
    .select({
      customerId: invoices.customerId,
      dueDate: invoices.dueDate,
      closedAt: sql<Date | null>`least(${invoices.closedAt}, ${invoices.heldAt})`.mapWith(invoices.closedAt),
    })
    .from(invoices)
    .where(
      and(
        ofDebtors(invoices, org.orgId, ids),
        or(gte(invoices.closedAt, since), gte(invoices.heldAt, since)),
      ),
    );
}

function creditsOf(db: Database, { org, ids }: Batch) {
  return db
    .select({
      customerId: ledgerCredits.customerId,
      currency: ledgerCredits.currency,
      amountMinor: sql<number>`sum(${ledgerCredits.remainingMinor})::bigint`,
    })
    .from(ledgerCredits)
    .where(and(ofDebtors(ledgerCredits, org.orgId, ids), gt(ledgerCredits.remainingMinor, 0)))
    .groupBy(ledgerCredits.customerId, ledgerCredits.currency);
}

/** Replies to reminders no person has read yet, dated in the organisation's calendar. */
function unreadReplies(db: Database, { org, ids }: Batch) {
  return db
    .select({
      customerId: debtorReplies.customerId,
      receivedOn: sql<string>`to_char(${debtorReplies.receivedAt} at time zone ${org.timeZone}, 'YYYY-MM-DD')`,
      class: debtorReplies.class,
      returnsOn: debtorReplies.returnsOn,
    })
    .from(debtorReplies)
    .where(and(ofDebtors(debtorReplies, org.orgId, ids), isNull(debtorReplies.readAt)))
    .orderBy(debtorReplies.receivedAt);
}

/**
 * The out-of-office replies (read or not) since the batch's history starts, with the reminder each
 * answered: when the writer is back (their date, else three days after the reply came).
 */
function outOfOfficeReplies(db: Database, { org, ids, since }: Batch) {
  return db
    .select({
      customerId: debtorReplies.customerId,
      effectKey: outboundMessages.idempotencyKey,
      backOn: sql<string>`coalesce(to_char(${debtorReplies.returnsOn}, 'YYYY-MM-DD'), to_char((${debtorReplies.receivedAt} at time zone ${org.timeZone})::date + ${outOfOfficeDays}::int, 'YYYY-MM-DD'))`,
    })
    .from(debtorReplies)
    .innerJoin(outboundMessages, eq(outboundMessages.id, debtorReplies.messageId))
    .where(
      and(
        ofDebtors(debtorReplies, org.orgId, ids),
        gte(debtorReplies.receivedAt, since),
        eq(debtorReplies.class, 'out_of_office'),
      ),
    );
}

/**
 * When each debtor last replied to a reminder (read or not) since the batch's history starts: a reply
 * is a response, as anything done on their page is; an out-of-office notice is not.
 */
function lastRepliedAt(db: Database, { org, ids, since }: Batch) {
  return db
    .select({
      customerId: debtorReplies.customerId,
      at: sql<Date>`max(${debtorReplies.receivedAt})`.mapWith((value: string | Date) => new Date(value)),
    })
    .from(debtorReplies)
    .where(
      and(
        ofDebtors(debtorReplies, org.orgId, ids),
        gte(debtorReplies.receivedAt, since),
        sql`${debtorReplies.class} <> 'out_of_office'`,
      ),
    )
    .groupBy(debtorReplies.customerId);
}

/** Calls and letters a person made, posted or chose not to: a contact counts from when it was done. */
function contactTasksSince(db: Database, { org, ids, since }: Batch) {
  return db
    .select({
      customerId: collectionTasks.customerId,
      effectKey: collectionTasks.idempotencyKey,
      status: collectionTasks.status,
      closedAt: collectionTasks.closedAt,
    })
    .from(collectionTasks)
    .where(
      and(
        ofDebtors(collectionTasks, org.orgId, ids),
        inArray(collectionTasks.kind, ['call', 'letter']),
        ne(collectionTasks.status, 'open'),
        gte(collectionTasks.createdAt, since),
      ),
    );
}

/** Tasks and flags still waiting for a person: one of each kind per debtor at a time. */
async function waitingForPerson(db: Database, { org, ids }: Batch) {
  const [tasks, flags] = await Promise.all([
    db
      .select({ customerId: collectionTasks.customerId, effectKey: collectionTasks.idempotencyKey })
      .from(collectionTasks)
      .where(and(ofDebtors(collectionTasks, org.orgId, ids), eq(collectionTasks.status, 'open'))),
    db
      .select({ customerId: collectionFlags.customerId, effectKey: collectionFlags.idempotencyKey })
      .from(collectionFlags)
      .where(and(ofDebtors(collectionFlags, org.orgId, ids), eq(collectionFlags.status, 'pending'))),
  ]);
  return [...tasks, ...flags];
}
