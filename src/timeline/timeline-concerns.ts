import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { activityLog, outboundMessages } from '../db/schema/index.js';

/** A uuid named in a log line's details, or null (never a cast error) when it is not one. */
const detailId = (key: string) =>
  sql`(case when ${activityLog.details}->>${key} ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (${activityLog.details}->>${key})::uuid end)`;

export interface MessageRef {
  orgId: SQL | AnyPgColumn;
  customerId: SQL | AnyPgColumn;
  key: SQL | AnyPgColumn;
}

/**
 * A message's invoices: the steps it took (by its effect key), and the ones its planning logged, which
 * outlive the steps of a cancelled reminder.
 */
export const messageInvoiceIds = (m: MessageRef) => sql<string[]>`array(
  select s.invoice_id::text from collection_steps s where s.customer_id = ${m.customerId} and s.org_id = ${m.orgId} and s.effect_key = ${m.key}
  union
  select jsonb_array_elements_text(p.details->'invoiceIds') from activity_log p
  where p.org_id = ${m.orgId} and p.customer_id = ${m.customerId} and p.kind = 'reminder.planned'
    and p.details->>'key' = ${m.key} and jsonb_typeof(p.details->'invoiceIds') = 'array')`;

export const messageConcerns = (m: MessageRef, invoiceId: string) => sql`(
  exists (select 1 from collection_steps s where s.customer_id = ${m.customerId} and s.org_id = ${m.orgId} and s.effect_key = ${m.key}
    and s.invoice_id = ${invoiceId}::uuid)
  or exists (select 1 from activity_log p where p.org_id = ${m.orgId} and p.customer_id = ${m.customerId}
    and p.kind = 'reminder.planned' and p.details->>'key' = ${m.key} and p.details->'invoiceIds' ? ${invoiceId}::text))`;

/** A log line concerns an invoice it names, or one named by the arrangement or message it is about. */
export function activityConcerns(invoiceId: string): SQL {
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

/** The message a reader is reading, as a `MessageRef`. */
export const ownMessage: MessageRef = {
  orgId: outboundMessages.orgId,
  customerId: outboundMessages.customerId,
  key: outboundMessages.idempotencyKey,
};
