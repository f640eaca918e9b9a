import { and, eq, inArray } from 'drizzle-orm';
import { disputeReasons } from '../arrangements/disputes.js';
import type { Database } from '../db/client.js';
import {
  collectionFlags,
  disputes,
  outboundMessages,
  paymentPlans,
  paymentPromises,
  settlements,
} from '../db/schema/index.js';
import { messageInvoiceIds, ownMessage } from './timeline-concerns.js';
import type { TimelineArrangement } from './timeline-entry.js';
import { type ActivityRow, type FlagFields, flagFields } from './timeline-sources.js';

/** A record a log line is about, with the invoices it covers. */
export interface LinkedRecord<T> {
  value: T;
  invoiceIds: string[];
}

/** The records the page's log lines name, by id: one query per kind named, never one per line. */
export interface Linked {
  arrangements: Map<string, LinkedRecord<TimelineArrangement>>;
  flags: Map<string, FlagFields>;
  messageInvoices: Map<string, string[]>;
}

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const arrangementKeys = ['promiseId', 'planId', 'disputeId', 'settlementId'] as const;

export function namedId(details: Record<string, unknown>, key: string): string | null {
  const value = details[key];
  return typeof value === 'string' && uuidShape.test(value) ? value : null;
}

export async function readLinked(db: Database, orgId: string, rows: ActivityRow[]): Promise<Linked> {
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
    flags: new Map(flags.map((row) => [row.id, row])),
    messageInvoices: new Map(messages.map((row) => [row.id, row.invoiceIds])),
  };
}
