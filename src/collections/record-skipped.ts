import { sql } from 'drizzle-orm';
import { arrayParam } from '../db/array-param.js';
import type { Writer } from '../db/client.js';
import type { SkippedStep } from './heads-up.js';
import type { PlanResult } from './plan.js';
import type { DebtorSnapshot } from './snapshot.js';

/**
 * Records the steps the planner skipped (a heads-up whose day had passed) on the debtor's and the
 * invoice's timeline: one `step.skipped` entry per invoice, step and due date, however often the
 * planner sees it again. Only for an organisation that is live: one in preview or paused writes
 * nothing of its plans. Returns how many were recorded now.
 */
export async function recordSkipped(
  db: Writer,
  planned: Array<{ snapshot: DebtorSnapshot; result: PlanResult }>,
  at: Date,
): Promise<number> {
  const rows = planned.flatMap(({ snapshot, result }) =>
    (result.skipped ?? []).map((skipped: SkippedStep) => ({ snapshot, skipped })),
  );
  if (rows.length === 0) return 0;
  const column = (type: string, value: (row: (typeof rows)[number]) => unknown) =>
    arrayParam(rows.map(value), type);
  const inserted = await db.execute(sql`
    insert into activity_log (org_id, customer_id, invoice_id, kind, actor, summary, details, occurred_at)
    select s.org_id, s.customer_id, s.invoice_id, 'step.skipped', 'system', s.summary,
           jsonb_build_object('stepKey', s.step_key, 'invoiceIds', jsonb_build_array(s.invoice_id::text), 'key', s.key),
           ${at}::timestamptz
      from unnest(
        ${column('uuid', ({ snapshot }) => snapshot.orgId)},
        ${column('uuid', ({ snapshot }) => snapshot.customerId)},
        ${column('uuid', ({ skipped }) => skipped.invoiceId)},
        ${column('text', ({ skipped }) => skipped.stepKey)},
        ${column('text', ({ skipped }) => skipped.key)},
        ${column('text', ({ skipped }) => skipped.why)}
      ) as s (org_id, customer_id, invoice_id, step_key, key, summary)
     where exists (select 1 from organisations o where o.id = s.org_id and o.sending = 'live')
       and not exists (select 1 from activity_log a
                        where a.org_id = s.org_id and a.customer_id = s.customer_id
                          and a.kind = 'step.skipped' and a.details->>'key' = s.key)`);
  return inserted.rowCount ?? 0;
}
