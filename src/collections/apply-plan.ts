import { sql } from 'drizzle-orm';
import { bulkInsert } from '../db/bulk-insert.js';
import type { Database } from '../db/client.js';
import type { collectionFlags, collectionTasks, outboundMessages } from '../db/schema/index.js';
import type { Money } from '../domain/money.js';
import type { RecoverySettings } from '../domain/policy.js';
import { notesFor } from '../ledger-writes/queue.js';
import { sendingOf } from '../organisations/sending.js';
import { type FlagChoice, recommendedChoiceUnder } from './choice-valuation.js';
import { flagColumns, ledgerWriteColumns, messageColumns, taskColumns } from './effect-columns.js';
import type { PlannedAction, PlanResult } from './plan.js';
import type { StoredRecommendation } from './recommendations.js';
import { recordTaken } from './record-taken.js';
import type { DebtorSnapshot } from './snapshot.js';

/** Turns a planned email into its subject and parts (the templates, with the debtor's data). */
export type RenderEmail = (
  action: Extract<PlannedAction, { kind: 'email' }>,
  snapshot: DebtorSnapshot,
) => Promise<{ subject: string; html: string; text: string }>;

export interface AppliedCounts {
  emails: number;
  tasks: number;
  flags: number;
  /** Rows of `collection_steps` written: an invoice's step taken by one of the effects. */
  steps: number;
  /**
   * Actions planned for an organisation that is not live (preview or paused) and held back: nothing
   * of them is written (no email, task, flag, step or ledger note); going live plans again from then.
   */
  held?: number;
}

/** The collection note a task or flag leaves on each invoice it concerns. */
function noteFor(action: Exclude<PlannedAction, { kind: 'email' }>, day: string): string {
  return action.kind === 'task'
    ? `Dunwell ${day}: task for a person — ${action.task} (${action.why}).`
    : `Dunwell ${day}: flagged for ${action.flags.join(' / ').replaceAll('_', ' ')}, waiting for approval (${action.why}).`;
}

/** One debtor's plan, ready to be written. */
export interface PlannedDebtor {
  snapshot: DebtorSnapshot;
  result: PlanResult;
}

type EffectRow =
  | { kind: 'email'; values: typeof outboundMessages.$inferInsert }
  | { kind: 'task'; values: typeof collectionTasks.$inferInsert }
  | { kind: 'flag'; values: typeof collectionFlags.$inferInsert };

interface ApplyOptions {
  now: Date;
  connectionId: (invoiceId: string) => string | undefined;
  /** Renders reminders now (tests, previews); without it they are rendered when sent. */
  render?: RenderEmail;
  /** The organisation's recovery assumptions (its policy), for the recommendation a new flag carries. */
  recovery: RecoverySettings;
}

/**
 * Writes a batch of debtors' plans in one transaction, exactly once: each action's effect (outbox
 * message, task or flag) under its idempotency key, and only for effects that are new, the steps
 * they take, the activity log and the ledger notes. A handful of multi-row statements per batch.
 * For an organisation in preview or paused, the plans are counted as held and nothing is written.
 */
export async function applyPlans(
  db: Database,
  planned: PlannedDebtor[],
  options: ApplyOptions,
): Promise<AppliedCounts> {
  const counts: AppliedCounts = { emails: 0, tasks: 0, flags: 0, steps: 0 };
  const all = planned.flatMap(({ snapshot, result }) =>
    result.actions.map((action) => ({ snapshot, action })),
  );
  if (all.length === 0) return counts;
  const orgIds = [...new Set(all.map(({ snapshot }) => snapshot.orgId))];
  const states = await Promise.all(orgIds.map((orgId) => sendingOf(db, orgId)));
  const live = new Set(orgIds.filter((_, index) => states[index] === 'live'));
  const entries = all.filter(({ snapshot }) => live.has(snapshot.orgId));
  if (entries.length < all.length) counts.held = all.length - entries.length;
  if (entries.length === 0) return counts;
  const day = options.now.toISOString().slice(0, 10);
  const choose = recommendedChoiceUnder(options.recovery);
  const effects = await Promise.all(
    entries.map(({ snapshot, action }) => effectRow(snapshot, action, options.render, choose)),
  );
  // Due from the planning instant (the injected clock), not the database's: a catch-up run for an
  // earlier moment must not hold its messages back until the wall clock.
  const messages = effects.flatMap((effect) =>
    effect.kind === 'email' ? [{ ...effect.values, sendAfter: options.now }] : [],
  );
  const tasks = effects.flatMap((effect) => (effect.kind === 'task' ? [effect.values] : []));
  const flags = effects.flatMap((effect) => (effect.kind === 'flag' ? [effect.values] : []));

  await db.transaction(async (tx) => {
    // Planning is deterministic and every effect has its idempotency key: a commit lost in a crash is
    // planned again, identically, at the next evaluation, so this transaction need not wait for its
    // WAL to reach the disk. Nothing leaves before it is durable: delivery first marks the row
    // "sending" / "in_progress" in an ordinary commit, which waits for the WAL up to it to be flushed.
    await tx.execute(sql`set local synchronous_commit = off`);
    const created = new Set<string>();
    const remember = (rows: Array<Record<string, unknown>>) => {
      for (const row of rows) created.add(`${row['org_id']}|${row['idempotency_key']}`);
    };
    const returning = { onConflictDoNothing: true, returning: ['org_id', 'idempotency_key'] };
    remember(await bulkInsert(tx, 'outbound_messages', messageColumns, messages, returning));
    remember(await bulkInsert(tx, 'collection_tasks', taskColumns, tasks, returning));
    remember(await bulkInsert(tx, 'collection_flags', flagColumns, flags, returning));

    const fresh = entries.filter(({ snapshot, action }) =>
      created.has(`${snapshot.orgId}|${action.idempotencyKey}`),
    );
    if (fresh.length === 0) return;
    for (const { action } of fresh) {
      counts[action.kind === 'email' ? 'emails' : action.kind === 'task' ? 'tasks' : 'flags'] += 1;
      counts.steps += action.invoiceSteps.length;
    }
    await recordTaken(
      tx,
      fresh.map(({ snapshot, action }) => ({
        orgId: snapshot.orgId,
        customerId: snapshot.customerId,
        action,
      })),
      options.now,
    );
    // A message's note is written when it is sent (that is the fact); tasks' and flags' now.
    const notes = fresh.flatMap(({ snapshot, action }) =>
      action.kind === 'email'
        ? []
        : notesFor(
            snapshot.orgId,
            action.invoiceSteps.flatMap((entry) => {
              const connectionId = options.connectionId(entry.invoiceId);
              return connectionId ? [{ id: entry.invoiceId, connectionId }] : [];
            }),
            `note:${action.idempotencyKey}`,
            noteFor(action, day),
          ),
    );
    await bulkInsert(tx, 'ledger_writes', ledgerWriteColumns, notes, { onConflictDoNothing: true });
  });
  return counts;
}

async function effectRow(
  snapshot: DebtorSnapshot,
  action: PlannedAction,
  render: RenderEmail | undefined,
  choose: (balance: Money, daysOverdue: number) => FlagChoice,
): Promise<EffectRow> {
  const invoiceIds = action.invoiceSteps.map((entry) => entry.invoiceId);
  const owner = {
    orgId: snapshot.orgId,
    customerId: snapshot.customerId,
    idempotencyKey: action.idempotencyKey,
  };
  if (action.kind === 'email') {
    const rendered = await render?.(action, snapshot);
    return {
      kind: 'email',
      values: {
        ...owner,
        status: action.requiresApproval ? 'awaiting_approval' : 'pending',
        via: action.via,
        to: action.to.map((contact) => ({
          email: contact.email,
          ...(contact.name ? { name: contact.name } : {}),
        })),
        cc: action.cc.map((contact) => ({
          email: contact.email,
          ...(contact.name ? { name: contact.name } : {}),
        })),
        subject: rendered?.subject ?? null,
        template: action.template,
        bodyHtml: rendered?.html ?? null,
        bodyText: rendered?.text ?? null,
        renderInputs: {
          stepKey: action.stepKey,
          tone: action.tone,
          template: action.template,
          lateFeeNotice: action.lateFeeNotice,
          rung: action.rung,
          brokenPromise: action.brokenPromise,
          ...(action.attachStatement ? { attachStatement: true } : {}),
        },
      },
    };
  }
  if (action.kind === 'task')
    return {
      kind: 'task',
      values: { ...owner, kind: action.channel ?? 'task', description: action.task, invoiceIds },
    };
  // The arithmetic is on what is owed in the organisation's currency; other currencies are listed.
  const owed = snapshot.invoices.filter((invoice) => invoiceIds.includes(invoice.id));
  const inHomeCurrency = owed
    .filter((invoice) => invoice.currency === snapshot.orgCurrency)
    .reduce((sum, invoice) => sum + invoice.balanceMinor, 0);
  const balance = { amountMinor: inHomeCurrency, currency: snapshot.orgCurrency };
  const stored: StoredRecommendation = {
    recommended: choose(balance, action.daysOverdue),
    balance,
    otherCurrencies: owed
      .filter((invoice) => invoice.currency !== snapshot.orgCurrency)
      .map((invoice) => ({ amountMinor: invoice.balanceMinor, currency: invoice.currency })),
  };
  return {
    kind: 'flag',
    values: {
      ...owner,
      kinds: action.flags,
      invoiceIds,
      daysOverdue: action.daysOverdue,
      recommendation: stored as unknown as Record<string, unknown>,
    },
  };
}
