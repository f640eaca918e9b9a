import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { arrayParam } from '../db/array-param.js';
import type { Writer } from '../db/client.js';
import type { StepKind } from '../domain/policy.js';
import type { PlannedAction } from './plan.js';

/** A message, task or flag an evaluation has just created, and whose debtor it concerns. */
export interface TakenEffect {
  orgId: string;
  customerId: string;
  action: PlannedAction;
}

const activityKind: Record<StepKind, string> = {
  email: 'reminder.planned',
  task: 'task.created',
  flag: 'flag.raised',
  call: 'call.planned',
  letter: 'letter.planned',
};

/** How the step reaches the debtor: a call or letter is a task a person carries out. */
const stepKindOf = (action: PlannedAction): StepKind =>
  action.kind === 'task' && action.channel ? action.channel : action.kind;

/**
 * Records new effects: the step each takes on each of its invoices (`collection_steps`) and one
 * activity entry each, whose details name the step, the invoices and the effect's key.
 *
 * One statement from two sets of arrays, the effects' and their steps', rather than a row per step
 * that repeats its effect's key, debtor and kind and an activity entry that repeats its invoices: at a
 * million invoices, 1.4 million steps and 450,000 entries, that was 400 MB of parameters for Node to
 * write and PostgreSQL to parse; this is half. PostgreSQL joins the steps to their effect and builds
 * each entry's invoice list (in the order the plan gave).
 */
export async function recordTaken(db: Writer, effects: TakenEffect[], at: Date): Promise<void> {
  if (effects.length === 0) return;
  const steps = effects.flatMap(({ action }, index) =>
    action.invoiceSteps.map((entry) => ({ effect: index + 1, ...entry })),
  );
  const effectColumn = (type: string, value: (effect: TakenEffect) => unknown) =>
    arrayParam(effects.map(value), type);
  const stepColumn = (type: string, value: (step: (typeof steps)[number]) => unknown) =>
    arrayParam(steps.map(value), type);
  await db.execute(sql`
    with effect as (
      select * from unnest(
        ${effectColumn('uuid', () => uuidv7())},
        ${effectColumn('uuid', (effect) => effect.orgId)},
        ${effectColumn('uuid', (effect) => effect.customerId)},
        ${effectColumn('text', (effect) => stepKindOf(effect.action))},
        ${effectColumn('text', (effect) => effect.action.idempotencyKey)},
        ${effectColumn('text', (effect) => effect.action.stepKey)},
        ${effectColumn('text', (effect) => activityKind[stepKindOf(effect.action)])},
        ${effectColumn('text', (effect) => effect.action.why)}
      ) with ordinality as effect (activity_id, org_id, customer_id, kind, key, step_key, activity_kind, summary, n)
    ), step as (
      select * from unnest(
        ${stepColumn('integer', (step) => step.effect)},
        ${stepColumn('uuid', (step) => step.invoiceId)},
        ${stepColumn('text', (step) => step.stepKey)}
      ) with ordinality as step (effect, invoice_id, step_key, n)
    ), taken as (
      insert into collection_steps (org_id, customer_id, invoice_id, step_key, kind, effect_key, taken_at)
      select effect.org_id, effect.customer_id, step.invoice_id, step.step_key, effect.kind, effect.key, ${at}::timestamptz
        from step join effect on effect.n = step.effect
      on conflict do nothing
    ), invoices_of as (
      select effect, jsonb_agg(invoice_id order by n) as invoice_ids from step group by effect
    )
    insert into activity_log (id, org_id, customer_id, kind, actor, summary, details, occurred_at)
    select effect.activity_id, effect.org_id, effect.customer_id, effect.activity_kind, 'system', effect.summary,
           jsonb_build_object('stepKey', effect.step_key, 'invoiceIds', coalesce(invoices_of.invoice_ids, '[]'::jsonb), 'key', effect.key),
           ${at}::timestamptz
      from effect left join invoices_of on invoices_of.effect = effect.n`);
}
