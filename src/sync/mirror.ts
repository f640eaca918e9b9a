import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { LedgerCustomer, LedgerInvoice, LedgerPayment } from '../../connectors/ledger.js';
import type { Writer } from '../db/client.js';
import { customers, invoices, paymentAllocations, payments } from '../db/schema/index.js';
import { chunks, type MirrorScope, newer } from './mirror-batch.js';
import { replaceLedgerContacts } from './mirror-contacts.js';
import { storableCustomers, storableInvoices, storablePayments } from './storable-records.js';

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
          postalAddress: customer.postalAddress ?? null,
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
          postalAddress: newer('postal_address'),
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
/** Row ids of customers by external id, creating a stub for any the mirror has not seen yet. */
export async function customerIdsFor(
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
