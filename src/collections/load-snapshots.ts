import { and, asc, between, eq, gt, gte, isNull, or, sql } from 'drizzle-orm';
import { loadArrangements } from '../arrangements/load-arrangements.js';
import { anyUuid } from '../db/any-of.js';
import type { Database } from '../db/client.js';
import { ofDebtors } from '../db/debtor-scope.js';
import {
  collectionFlags,
  collectionSteps,
  collectionTasks,
  customerContacts,
  customers,
  invoices,
  ledgerCredits,
  organisations,
  outboundMessages,
  paymentAllocations,
  payments,
} from '../db/schema/index.js';
import type { CustomerOverrides, DebtorSnapshot, PastContact } from './snapshot.js';

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

/**
 * One batch of debtors (customers owing something), after `afterCustomerId`, as planner snapshots:
 * a handful of set-based queries per batch, never one per debtor.
 */
export async function loadSnapshots(
  db: Database,
  org: OrganisationContext,
  options:
    | { afterCustomerId: string | null; limit: number; now: Date }
    | { customerIds: string[]; now: Date },
): Promise<DebtorSnapshot[]> {
  const since = new Date(options.now.getTime() - historyDays * 86_400_000);
  const debtors = await db
    .select({
      id: customers.id,
      name: customers.name,
      timeZone: customers.timeZone,
      country: customers.country,
      optedOutAt: customers.optedOutAt,
      overrides: customers.collectionOverrides,
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
  if (debtors.length === 0) return [];
  const ids = debtors.map((debtor) => debtor.id);

  // Read once, used twice: the snapshots' invoices, and the balances that measure plans' progress.
  const openRows = Promise.resolve(
    db
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
      ),
  );
  const arrangements = loadArrangements(
    db,
    org.orgId,
    ids,
    openRows.then((rows) => new Map(rows.map((row) => [row.id, row.balanceMinor]))),
    since,
  );
  const [open, contacts, steps, messages, paid, recentPayments, lifetime, closed, credits, openWork] =
    await Promise.all([
      openRows,
      db
        .select({
          customerId: customerContacts.customerId,
          email: customerContacts.email,
          name: customerContacts.name,
          role: customerContacts.role,
          bouncedAt: customerContacts.bouncedAt,
        })
        .from(customerContacts)
        .where(ofDebtors(customerContacts, org.orgId, ids)),
      db
        .select({
          customerId: collectionSteps.customerId,
          invoiceId: collectionSteps.invoiceId,
          stepKey: collectionSteps.stepKey,
          kind: collectionSteps.kind,
          effectKey: collectionSteps.effectKey,
          takenAt: collectionSteps.takenAt,
        })
        .from(collectionSteps)
        .where(and(ofDebtors(collectionSteps, org.orgId, ids), gte(collectionSteps.takenAt, since))),
      // What became of each email planned: a contact counts from when it was sent, not planned.
      db
        .select({
          customerId: outboundMessages.customerId,
          effectKey: outboundMessages.idempotencyKey,
          status: outboundMessages.status,
          sentAt: outboundMessages.sentAt,
        })
        .from(outboundMessages)
        .where(and(ofDebtors(outboundMessages, org.orgId, ids), gte(outboundMessages.createdAt, since))),
      // Paid invoices: when the last payment came in, and in how many parts.
      db
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
        .groupBy(invoices.id, invoices.customerId, invoices.dueDate),
      db
        .select({ customerId: payments.customerId, paidOn: payments.paidOn })
        .from(payments)
        .where(
          and(ofDebtors(payments, org.orgId, ids), gte(payments.paidOn, since.toISOString().slice(0, 10))),
        ),
      db
        .select({
          customerId: payments.customerId,
          total: sql<number>`coalesce(sum(${payments.amountMinor}), 0)::bigint`,
          first: sql<string | null>`min(${payments.paidOn})`,
        })
        .from(payments)
        .where(and(ofDebtors(payments, org.orgId, ids), eq(payments.currency, org.currency)))
        .groupBy(payments.customerId),
      // Closed lately, or taken out of the schedule by an approved flag: where each debtor's journey began.
      db
        .select({
          customerId: invoices.customerId,
          dueDate: invoices.dueDate,
          closedAt: sql<Date | null>`least(${invoices.closedAt}, ${invoices.heldAt})`.mapWith(
            invoices.closedAt,
          ),
        })
        .from(invoices)
        .where(
          and(
            ofDebtors(invoices, org.orgId, ids),
            or(gte(invoices.closedAt, since), gte(invoices.heldAt, since)),
          ),
        ),
      db
        .select({
          customerId: ledgerCredits.customerId,
          currency: ledgerCredits.currency,
          amountMinor: sql<number>`sum(${ledgerCredits.remainingMinor})::bigint`,
        })
        .from(ledgerCredits)
        .where(and(ofDebtors(ledgerCredits, org.orgId, ids), gt(ledgerCredits.remainingMinor, 0)))
        .groupBy(ledgerCredits.customerId, ledgerCredits.currency),
      // Tasks and flags still waiting for a person: one of each kind per debtor at a time.
      Promise.all([
        db
          .select({ customerId: collectionTasks.customerId, effectKey: collectionTasks.idempotencyKey })
          .from(collectionTasks)
          .where(and(ofDebtors(collectionTasks, org.orgId, ids), eq(collectionTasks.status, 'open'))),
        db
          .select({ customerId: collectionFlags.customerId, effectKey: collectionFlags.idempotencyKey })
          .from(collectionFlags)
          .where(and(ofDebtors(collectionFlags, org.orgId, ids), eq(collectionFlags.status, 'pending'))),
      ]).then(([tasks, flags]) => [...tasks, ...flags]),
    ]);

  const group = <Row extends { customerId: string | null }>(rows: Row[]) => {
    const map = new Map<string, Row[]>();
    for (const row of rows) {
      if (!row.customerId) continue;
      const list = map.get(row.customerId);
      if (list) list.push(row);
      else map.set(row.customerId, [row]);
    }
    return map;
  };
  const openBy = group(open);
  const contactsBy = group(contacts);
  const messagesBy = group(messages);
  const stepsBy = group(steps);
  const paidBy = group(paid);
  const paymentsBy = group(recentPayments);
  const closedBy = group(closed);
  const creditsBy = group(credits);
  const openKeys = new Set(openWork.map((row) => `${row.customerId}|${row.effectKey}`));
  const lifetimeBy = new Map(lifetime.map((row) => [row.customerId, row]));
  const arrangementsBy = await arrangements;

  return debtors.map((debtor) => {
    const pastContacts = new Map<string, PastContact>();
    for (const step of stepsBy.get(debtor.id) ?? []) {
      let contact = pastContacts.get(step.effectKey);
      if (!contact) {
        contact = { at: step.takenAt.toISOString(), kind: step.kind, steps: [] };
        if (step.kind !== 'email' && openKeys.has(`${debtor.id}|${step.effectKey}`)) contact.open = true;
        pastContacts.set(step.effectKey, contact);
      }
      contact.steps.push({ invoiceId: step.invoiceId, stepKey: step.stepKey });
    }
    for (const message of messagesBy.get(debtor.id) ?? []) {
      const contact = pastContacts.get(message.effectKey);
      if (contact?.kind !== 'email') continue;
      if (message.sentAt) contact.at = message.sentAt.toISOString();
      else if (unsentStatuses.has(message.status)) contact.unsent = true;
    }
    return {
      orgId: org.orgId,
      customerId: debtor.id,
      customerName: debtor.name,
      orgTimeZone: org.timeZone,
      debtorTimeZone: debtor.timeZone,
      orgCountry: org.country ?? null,
      debtorCountry: debtor.country,
      orgCurrency: org.currency,
      credits: (creditsBy.get(debtor.id) ?? []).map((row) => ({
        currency: row.currency,
        amountMinor: Number(row.amountMinor),
      })),
      // The rows as read (with their customer id): copying a million of them only fed the collector.
      invoices: openBy.get(debtor.id) ?? [],
      contacts: (contactsBy.get(debtor.id) ?? []).flatMap((contact) =>
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
      history: {
        contacts: [...pastContacts.values()],
        closedInvoices: (closedBy.get(debtor.id) ?? []).flatMap((row) =>
          row.closedAt ? [{ dueDate: row.dueDate, closedAt: row.closedAt.toISOString() }] : [],
        ),
        paidInvoices: (paidBy.get(debtor.id) ?? []).map((row) => ({
          dueDate: row.dueDate,
          paidOn: String(row.paidOn).slice(0, 10),
          partPayments: row.parts,
        })),
        payments: (paymentsBy.get(debtor.id) ?? []).map((row) => ({ paidOn: row.paidOn })),
        promises: [],
        plan: null,
        settlements: [],
        disputes: [],
        lastResponseAt: null,
        ...arrangementsBy.get(debtor.id),
        optedOut: debtor.optedOutAt !== null,
        lifetimePaidMinor: Number(lifetimeBy.get(debtor.id)?.total ?? 0),
        firstInvoiceDate: lifetimeBy.get(debtor.id)?.first ?? null,
      },
      overrides: debtor.overrides as CustomerOverrides,
    };
  });
}
