import { and, eq, inArray, isNull, notInArray, or, sql } from 'drizzle-orm';
import type {
  LedgerCredit,
  LedgerCreditKind,
  LedgerCreditRef,
  LedgerCustomer,
  LedgerInvoice,
  LedgerPayment,
} from '../../connectors/ledger.js';
import type { Writer } from '../db/client.js';
import {
  customerContacts,
  customers,
  invoices,
  ledgerCredits,
  paymentAllocations,
  payments,
} from '../db/schema/index.js';
import {
  storableCredits,
  storableCustomers,
  storableInvoices,
  storablePayments,
} from './storable-records.js';

/** The organisation and connection whose mirror is being written. */
export interface MirrorScope {
  orgId: string;
  connectionId: string;
}

const chunkSize = 500;

function chunks<Item>(items: Item[]): Item[][] {
  const result: Item[][] = [];
  for (let start = 0; start < items.length; start += chunkSize)
    result.push(items.slice(start, start + chunkSize));
  return result;
}

const newer = (column: unknown) => sql`excluded.${sql.raw(String(column))}`;

/** Customers and their ledger contacts; returns external id → row id. */
export async function upsertCustomers(
  db: Writer,
  scope: MirrorScope,
  rows: LedgerCustomer[],
): Promise<Map<string, string>> {
  // One odd record (a NUL, an impossible date, no id) must not stop the sync.
  rows = storableCustomers(rows);
  const ids = new Map<string, string>();
  for (const chunk of chunks(rows)) {
    const saved = await db
      .insert(customers)
      .values(
        chunk.map((customer) => ({
          orgId: scope.orgId,
          connectionId: scope.connectionId,
          externalId: customer.externalId,
          name: customer.name,
          currency: customer.currency,
          country: customer.country ?? null,
          active: customer.active,
          vendorUpdatedAt: customer.updatedAt ? new Date(customer.updatedAt) : null,
        })),
      )
      .onConflictDoUpdate({
        target: [customers.connectionId, customers.externalId],
        set: {
          name: newer('name'),
          currency: newer('currency'),
          country: newer('country'),
          active: newer('active'),
          deletedAt: sql`null`,
          vendorUpdatedAt: newer('vendor_updated_at'),
          updatedAt: sql`now()`,
        },
      })
      .returning({ id: customers.id, externalId: customers.externalId });
    for (const row of saved) ids.set(row.externalId, row.id);

    await replaceLedgerContacts(db, scope, chunk, ids);
  }
  return ids;
}

/** Ledger contacts follow the ledger; a bounce mark on an address that stays is kept. */
async function replaceLedgerContacts(
  db: Writer,
  scope: MirrorScope,
  chunk: LedgerCustomer[],
  ids: Map<string, string>,
): Promise<void> {
  const wanted = chunk.flatMap((customer) => {
    const customerId = ids.get(customer.externalId);
    return customerId
      ? customer.contacts.map((contact) => ({
          orgId: scope.orgId,
          customerId,
          name: contact.name,
          email: contact.email.toLowerCase(),
          role: contact.role,
          source: 'ledger' as const,
        }))
      : [];
  });
  const customerIds = chunk.flatMap((customer) => ids.get(customer.externalId) ?? []);
  if (customerIds.length === 0) return;
  const keep = wanted.map((contact) => `${contact.customerId}|${contact.email}`);
  await db
    .delete(customerContacts)
    .where(
      and(
        eq(customerContacts.source, 'ledger'),
        inArray(customerContacts.customerId, customerIds),
        keep.length > 0
          ? notInArray(sql`${customerContacts.customerId}::text || '|' || ${customerContacts.email}`, keep)
          : undefined,
      ),
    );
  if (wanted.length === 0) return;
  await db
    .insert(customerContacts)
    .values(wanted)
    .onConflictDoUpdate({
      target: [customerContacts.customerId, customerContacts.source, customerContacts.email],
      set: { name: newer('name'), role: newer('role'), updatedAt: sql`now()` },
    });
}

/** Row ids of customers by external id, creating a stub for any the mirror has not seen yet. */
async function customerIdsFor(
  db: Writer,
  scope: MirrorScope,
  externalIds: string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(externalIds.filter(Boolean))];
  const ids = new Map<string, string>();
  for (const chunk of chunks(wanted)) {
    const found = await db
      .select({ id: customers.id, externalId: customers.externalId })
      .from(customers)
      .where(and(eq(customers.connectionId, scope.connectionId), inArray(customers.externalId, chunk)));
    for (const row of found) ids.set(row.externalId, row.id);
  }
  const missing = wanted.filter((externalId) => !ids.has(externalId));
  if (missing.length > 0) {
    // An invoice can arrive before its customer (webhook order is not guaranteed); the next
    // customer sync fills the stub in.
    const stubs = await upsertCustomers(
      db,
      scope,
      missing.map((externalId) => ({
        externalId,
        name: `Customer ${externalId}`,
        active: true,
        currency: null,
        contacts: [],
        updatedAt: null,
      })),
    );
    for (const [externalId, id] of stubs) ids.set(externalId, id);
  }
  return ids;
}

/** Whether the ledger still has something owed on it. */
const owedOn = (invoice: LedgerInvoice) => invoice.status === 'open' && invoice.balanceMinor > 0;
/** When a closed invoice stopped being owed: the ledger's last change to it, else now. */
const closedMoment = (invoice: LedgerInvoice) =>
  invoice.updatedAt ? new Date(invoice.updatedAt) : new Date();

/** Invoices as the ledger has them now; an older version never overwrites a newer one. */
export async function upsertInvoices(db: Writer, scope: MirrorScope, rows: LedgerInvoice[]): Promise<number> {
  // One odd record (a NUL, an impossible date, no id) must not stop the sync.
  rows = storableInvoices(rows);
  const customerIds = await customerIdsFor(
    db,
    scope,
    rows.map((invoice) => invoice.customerExternalId),
  );
  let written = 0;
  for (const chunk of chunks(rows.filter((invoice) => customerIds.has(invoice.customerExternalId)))) {
    const saved = await db
      .insert(invoices)
      .values(
        chunk.map((invoice) => ({
          orgId: scope.orgId,
          connectionId: scope.connectionId,
          customerId: customerIds.get(invoice.customerExternalId) ?? '',
          externalId: invoice.externalId,
          number: invoice.number,
          currency: invoice.currency,
          totalMinor: invoice.totalMinor,
          balanceMinor: invoice.balanceMinor,
          issueDate: invoice.issueDate,
          dueDate: invoice.dueDate,
          status: invoice.status,
          vendorVersion: invoice.version,
          paymentUrl: invoice.paymentUrl,
          billEmail: invoice.billEmail?.toLowerCase() ?? null,
          closedAt: owedOn(invoice) ? null : closedMoment(invoice),
          vendorUpdatedAt: invoice.updatedAt ? new Date(invoice.updatedAt) : null,
          balanceCheckedAt: sql`now()`,
        })),
      )
      .onConflictDoUpdate({
        target: [invoices.connectionId, invoices.externalId],
        set: {
          customerId: newer('customer_id'),
          number: newer('number'),
          currency: newer('currency'),
          totalMinor: newer('total_minor'),
          balanceMinor: newer('balance_minor'),
          issueDate: newer('issue_date'),
          dueDate: newer('due_date'),
          status: newer('status'),
          vendorVersion: newer('vendor_version'),
          paymentUrl: sql`coalesce(excluded.payment_url, ${invoices.paymentUrl})`,
          billEmail: newer('bill_email'),
          // The first moment it was seen closed stays; reopened (a payment deleted), it is open again.
          closedAt: sql`case when excluded.closed_at is null then null else coalesce(${invoices.closedAt}, excluded.closed_at) end`,
          vendorUpdatedAt: newer('vendor_updated_at'),
          balanceCheckedAt: sql`now()`,
          updatedAt: sql`now()`,
        },
        setWhere: or(
          isNull(invoices.vendorUpdatedAt),
          sql`excluded.vendor_updated_at is null`,
          sql`excluded.vendor_updated_at >= ${invoices.vendorUpdatedAt}`,
        ),
      })
      .returning({ id: invoices.id });
    written += saved.length;
  }
  return written;
}

/** Payments and how they were allocated to the invoices the mirror knows. */
export async function upsertPayments(db: Writer, scope: MirrorScope, rows: LedgerPayment[]): Promise<number> {
  // One odd record (a NUL, an impossible date, no id) must not stop the sync.
  rows = storablePayments(rows);
  const customerIds = await customerIdsFor(
    db,
    scope,
    rows.flatMap((payment) => payment.customerExternalId ?? []),
  );
  let written = 0;
  for (const chunk of chunks(rows)) {
    const saved = await db
      .insert(payments)
      .values(
        chunk.map((payment) => ({
          orgId: scope.orgId,
          connectionId: scope.connectionId,
          customerId: payment.customerExternalId
            ? (customerIds.get(payment.customerExternalId) ?? null)
            : null,
          externalId: payment.externalId,
          currency: payment.amount.currency,
          amountMinor: payment.amount.amountMinor,
          paidOn: payment.paidOn,
        })),
      )
      .onConflictDoUpdate({
        target: [payments.connectionId, payments.externalId],
        set: {
          customerId: newer('customer_id'),
          currency: newer('currency'),
          amountMinor: newer('amount_minor'),
          paidOn: newer('paid_on'),
          updatedAt: sql`now()`,
        },
      })
      .returning({ id: payments.id, externalId: payments.externalId });
    written += saved.length;

    const paymentIds = new Map(saved.map((row) => [row.externalId, row.id]));
    const invoiceExternalIds = [
      ...new Set(chunk.flatMap((payment) => payment.allocations.map((a) => a.invoiceExternalId))),
    ];
    const knownInvoices =
      invoiceExternalIds.length === 0
        ? []
        : await db
            .select({ id: invoices.id, externalId: invoices.externalId })
            .from(invoices)
            .where(
              and(
                eq(invoices.connectionId, scope.connectionId),
                inArray(invoices.externalId, invoiceExternalIds),
              ),
            );
    const invoiceIds = new Map(knownInvoices.map((row) => [row.externalId, row.id]));
    await db
      .delete(paymentAllocations)
      .where(inArray(paymentAllocations.paymentId, [...paymentIds.values()]));
    // One payment may have several lines for the same invoice: sum them per pair, since one INSERT
    // cannot touch the same row twice.
    const allocations = new Map<
      string,
      { orgId: string; paymentId: string; invoiceId: string; amountMinor: number }
    >();
    for (const payment of chunk) {
      for (const allocation of payment.allocations) {
        const paymentId = paymentIds.get(payment.externalId);
        const invoiceId = invoiceIds.get(allocation.invoiceExternalId);
        if (!paymentId || !invoiceId) continue;
        const key = `${paymentId}|${invoiceId}`;
        const sum = allocations.get(key)?.amountMinor ?? 0;
        allocations.set(key, {
          orgId: scope.orgId,
          paymentId,
          invoiceId,
          amountMinor: sum + allocation.amountMinor,
        });
      }
    }
    if (allocations.size > 0) await db.insert(paymentAllocations).values([...allocations.values()]);
  }
  return written;
}

/**
 * Credits as the ledger has them now. One with credit left is written (with a stub for a customer
 * not seen yet); one used up (remaining zero) only brings a row the mirror has down to zero, so
 * every fully applied QuickBooks payment does not become a row. Rows are kept for the record.
 */
export async function upsertCredits(db: Writer, scope: MirrorScope, rows: LedgerCredit[]): Promise<number> {
  // One odd record (a NUL, an impossible date, no id) must not stop the sync.
  rows = storableCredits(rows);
  // The same credit twice in one batch (a repeated change): the last one wins.
  const latest = new Map<string, LedgerCredit>();
  for (const credit of rows) {
    if (credit.externalId && credit.customerExternalId)
      latest.set(`${credit.kind}|${credit.externalId}`, credit);
  }
  const open = [...latest.values()].filter((credit) => credit.remainingMinor > 0);
  const usedUp = [...latest.values()].filter((credit) => credit.remainingMinor <= 0);
  const customerIds = await customerIdsFor(
    db,
    scope,
    open.map((credit) => credit.customerExternalId),
  );
  let written = 0;
  for (const chunk of chunks(open.filter((credit) => customerIds.has(credit.customerExternalId)))) {
    const saved = await db
      .insert(ledgerCredits)
      .values(
        chunk.map((credit) => ({
          orgId: scope.orgId,
          connectionId: scope.connectionId,
          customerId: customerIds.get(credit.customerExternalId) ?? '',
          externalId: credit.externalId,
          kind: credit.kind,
          number: credit.number,
          currency: credit.currency,
          remainingMinor: credit.remainingMinor,
          issueDate: credit.issueDate,
        })),
      )
      .onConflictDoUpdate({
        target: [ledgerCredits.connectionId, ledgerCredits.kind, ledgerCredits.externalId],
        set: {
          customerId: newer('customer_id'),
          number: newer('number'),
          currency: newer('currency'),
          remainingMinor: newer('remaining_minor'),
          issueDate: newer('issue_date'),
          updatedAt: sql`now()`,
        },
      })
      .returning({ id: ledgerCredits.id });
    written += saved.length;
  }
  written += await zeroCredits(
    db,
    scope,
    usedUp.map((credit) => ({ kind: credit.kind, externalId: credit.externalId })),
  );
  return written;
}

/** Brings the named credits the mirror holds down to zero (used up, voided or deleted in the ledger). */
async function zeroCredits(db: Writer, scope: MirrorScope, refs: LedgerCreditRef[]): Promise<number> {
  const byKind = new Map<LedgerCreditKind, string[]>();
  for (const ref of refs) byKind.set(ref.kind, [...(byKind.get(ref.kind) ?? []), ref.externalId]);
  let changed = 0;
  for (const [kind, externalIds] of byKind) {
    for (const chunk of chunks(externalIds)) {
      const rows = await db
        .update(ledgerCredits)
        .set({ remainingMinor: 0, updatedAt: sql`now()` })
        .where(
          and(
            eq(ledgerCredits.connectionId, scope.connectionId),
            eq(ledgerCredits.kind, kind),
            inArray(ledgerCredits.externalId, chunk),
            sql`${ledgerCredits.remainingMinor} <> 0`,
          ),
        )
        .returning({ id: ledgerCredits.id });
      changed += rows.length;
    }
  }
  return changed;
}

/**
 * After a full read of the credits still open: any the mirror holds with credit left that the read
 * did not list were used up, voided or deleted while we were not looking.
 */
export async function zeroCreditsNotListed(
  db: Writer,
  scope: MirrorScope,
  listed: LedgerCreditRef[],
): Promise<number> {
  const open = await db
    .select({ kind: ledgerCredits.kind, externalId: ledgerCredits.externalId })
    .from(ledgerCredits)
    .where(and(eq(ledgerCredits.connectionId, scope.connectionId), sql`${ledgerCredits.remainingMinor} > 0`));
  const keep = new Set(listed.map((ref) => `${ref.kind}|${ref.externalId}`));
  return zeroCredits(
    db,
    scope,
    open.filter((row) => !keep.has(`${row.kind}|${row.externalId}`)),
  );
}

/**
 * Records the ledger's deletions: invoices close as deleted, customers are marked, payments go,
 * credits come down to zero.
 */
export async function applyDeletions(
  db: Writer,
  scope: MirrorScope,
  deleted: { invoices: string[]; customers: string[]; payments: string[]; credits?: LedgerCreditRef[] },
): Promise<void> {
  if (deleted.credits && deleted.credits.length > 0) await zeroCredits(db, scope, deleted.credits);
  if (deleted.invoices.length > 0) {
    await db
      .update(invoices)
      .set({
        status: 'deleted',
        balanceMinor: 0,
        balanceCheckedAt: sql`now()`,
        closedAt: sql`coalesce(${invoices.closedAt}, now())`,
      })
      .where(
        and(eq(invoices.connectionId, scope.connectionId), inArray(invoices.externalId, deleted.invoices)),
      );
  }
  if (deleted.customers.length > 0) {
    await db
      .update(customers)
      .set({ deletedAt: sql`now()`, active: false })
      .where(
        and(eq(customers.connectionId, scope.connectionId), inArray(customers.externalId, deleted.customers)),
      );
  }
  if (deleted.payments.length > 0) {
    await db
      .delete(payments)
      .where(
        and(eq(payments.connectionId, scope.connectionId), inArray(payments.externalId, deleted.payments)),
      );
  }
}

/**
 * For invoices whose payment list the ledger gave in full, removes the mirror's payments to them
 * that the list no longer names (deleted in the ledger).
 */
export async function dropPaymentsNotListed(
  db: Writer,
  scope: MirrorScope,
  invoiceExternalIds: string[],
  listedPaymentExternalIds: string[],
): Promise<number> {
  if (invoiceExternalIds.length === 0) return 0;
  const unlisted = await db
    .select({ id: payments.id })
    .from(payments)
    .innerJoin(paymentAllocations, eq(paymentAllocations.paymentId, payments.id))
    .innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
    .where(
      and(
        eq(payments.connectionId, scope.connectionId),
        inArray(invoices.externalId, invoiceExternalIds),
        listedPaymentExternalIds.length > 0
          ? notInArray(payments.externalId, listedPaymentExternalIds)
          : undefined,
      ),
    );
  if (unlisted.length === 0) return 0;
  const removed = await db
    .delete(payments)
    .where(inArray(payments.id, [...new Set(unlisted.map((row) => row.id))]))
    .returning({ id: payments.id });
  return removed.length;
}
