import type pg from 'pg';

/**
 * Queues, straight in SQL, what an evaluation would: one reminder per debtor (of `customerIds`, or
 * every debtor of the organisation owing something), covering each of its open invoices with a
 * "reminder" step, due at `sendAfter` and rendered when it is sent. Returns how many it queued.
 */
export async function queueReminders(
  pool: pg.Pool,
  orgId: string,
  options: { sendAfter?: Date; customerIds?: string[]; keyPrefix?: string; stepKey?: string } = {},
): Promise<number> {
  const renderInputs = {
    stepKey: options.stepKey ?? 'reminder',
    tone: 'neutral',
    template: 'reminder',
    lateFeeNotice: false,
    brokenPromise: null,
    rung: 1,
  };
  const result = await pool.query(
    `with debtors as (
       select c.id, c.external_id from customers c
        where c.org_id = $1 and ($4::uuid[] is null or c.id = any($4::uuid[]))
          and exists (select 1 from invoices i
                       where i.customer_id = c.id and i.status = 'open' and i.balance_minor > 0)
     ), queued as (
       insert into outbound_messages (org_id, customer_id, idempotency_key, purpose, "to", template, render_inputs, send_after)
       select $1, d.id, $5 || d.id, 'reminder',
              jsonb_build_array(jsonb_build_object('email', 'debtor-' || d.external_id || '@example.com')),
              'reminder', $2::jsonb, $3
         from debtors d
       returning customer_id, idempotency_key
     )
     insert into collection_steps (org_id, customer_id, invoice_id, step_key, kind, effect_key, taken_at)
     select $1, q.customer_id, i.id, $6, 'email', q.idempotency_key, now()
       from queued q join invoices i on i.customer_id = q.customer_id and i.status = 'open' and i.balance_minor > 0
     returning effect_key`,
    [
      orgId,
      JSON.stringify(renderInputs),
      options.sendAfter ?? new Date(Date.now() - 1_000),
      options.customerIds ?? null,
      options.keyPrefix ?? 'queued:',
      options.stepKey ?? 'reminder',
    ],
  );
  return new Set(result.rows.map((row: { effect_key: string }) => row.effect_key)).size;
}
