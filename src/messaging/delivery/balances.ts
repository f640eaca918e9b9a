import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { anyUuid } from '../../db/any-of.js';
import { arrayParam } from '../../db/array-param.js';
import type { Database } from '../../db/client.js';
import { collectionSteps, invoices } from '../../db/schema/index.js';
import { refreshInvoices } from '../../sync/refresh-invoices.js';
import { type invoicesOfMessage, messageInvoiceColumns } from '../record-sent.js';
import type { DeliveryDeps, Message } from './deps.js';

/** What re-reading a batch's balances did, and which debtors could not be re-read. */
export interface Refreshed {
  ledgerReads: number;
  invoicesRead: number;
  /** Debtors with an invoice on a connection whose re-read failed: nothing of theirs may go. */
  unconfirmed: Set<string>;
  errors: unknown[];
}

/**
 * Has the sync re-read from the ledger, every time, the balances of every open invoice of the
 * messages' debtors (a reminder lists all of them), plus any still-open invoice the messages' steps
 * name, and write them to the mirror (`refreshInvoices`: batched per connection).
 */
export async function refreshBalances(
  deps: DeliveryDeps,
  orgId: string,
  messages: Message[],
): Promise<Refreshed> {
  const refreshed: Refreshed = { ledgerReads: 0, invoicesRead: 0, unconfirmed: new Set(), errors: [] };
  // A notice (a dispute passed on to the organisation) asks for no money: nothing to re-check.
  const reminders = messages.filter((message) => message.purpose === 'reminder' && message.customerId);
  if (reminders.length === 0) return refreshed;
  const debtors = [...new Set(reminders.map((message) => message.customerId ?? ''))];
  const keys = [...new Set(reminders.map((message) => message.idempotencyKey))];
  const rows = await deps.db
    .select({
      connectionId: invoices.connectionId,
      externalId: invoices.externalId,
      customerId: invoices.customerId,
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.orgId, orgId),
        anyUuid(invoices.customerId, debtors),
        eq(invoices.status, 'open'),
        or(
          and(gt(invoices.balanceMinor, 0), isNull(invoices.collectionHold)),
          sql`${invoices.id} in (select ${collectionSteps.invoiceId} from ${collectionSteps}
                where ${collectionSteps.orgId} = ${orgId} and ${anyUuid(collectionSteps.customerId, debtors)}
                  and ${collectionSteps.effectKey} = any(${arrayParam(keys, 'text')}))`,
        ),
      ),
    );
  const reread = await refreshInvoices(deps, orgId, rows);
  refreshed.ledgerReads = reread.ledgerReads;
  refreshed.invoicesRead = reread.invoicesRead;
  // Unconfirmed balances never go out; the rest of the run carries on.
  const failed = new Set(reread.failed.map(({ connectionId }) => connectionId));
  for (const row of rows) if (failed.has(row.connectionId)) refreshed.unconfirmed.add(row.customerId);
  refreshed.errors = reread.failed.map(({ error }) => error);
  return refreshed;
}

export type MessageInvoice = Awaited<ReturnType<typeof invoicesOfMessage>>[number];

/** The invoices of many reminders in one read (as `invoicesOfMessage`), by debtor and key. */
export async function invoicesOfMessages(db: Database, orgId: string, messages: Message[]) {
  const byMessage = new Map<string, MessageInvoice[]>();
  const reminders = messages.filter((message) => message.purpose === 'reminder' && message.customerId);
  if (reminders.length === 0) return byMessage;
  for (const message of reminders) byMessage.set(`${message.customerId}|${message.idempotencyKey}`, []);
  const rows = await db
    .select({
      customerId: collectionSteps.customerId,
      effectKey: collectionSteps.effectKey,
      ...messageInvoiceColumns,
    })
    .from(collectionSteps)
    .innerJoin(invoices, eq(invoices.id, collectionSteps.invoiceId))
    .where(
      and(
        eq(collectionSteps.orgId, orgId),
        anyUuid(collectionSteps.customerId, [
          ...new Set(reminders.map((message) => message.customerId ?? '')),
        ]),
        sql`${collectionSteps.effectKey} = any(${arrayParam(
          [...new Set(reminders.map((message) => message.idempotencyKey))],
          'text',
        )})`,
      ),
    );
  for (const { customerId, effectKey, ...row } of rows)
    byMessage.get(`${customerId}|${effectKey}`)?.push(row);
  return byMessage;
}
