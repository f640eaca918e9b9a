import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import {
  activityLog,
  collectionFlags,
  collectionSteps,
  collectionTasks,
  invoices,
  ledgerWrites,
  outboundMessages,
} from '../db/schema/index.js';
import type { PlannedAction, PlanResult } from './plan.js';
import { recommend } from './recommendations.js';
import type { DebtorSnapshot } from './snapshot.js';

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Turns a planned email into its subject and parts (the templates, with the debtor's data). */
export type RenderEmail = (
  action: Extract<PlannedAction, { kind: 'email' }>,
  snapshot: DebtorSnapshot,
) => { subject: string; html: string; text: string };

export interface AppliedCounts {
  emails: number;
  tasks: number;
  flags: number;
}

/** The collection note a task or flag leaves on each invoice it concerns. */
function noteFor(action: Exclude<PlannedAction, { kind: 'email' }>, day: string): string {
  return action.kind === 'task'
    ? `Dunwell ${day}: task for a person — ${action.task} (${action.why}).`
    : `Dunwell ${day}: flagged for ${action.flags.join(' / ').replaceAll('_', ' ')}, waiting for approval (${action.why}).`;
}

/**
 * Writes one debtor's plan, exactly once: each action's effect (outbox message, task or flag) under
 * its idempotency key, and only when that effect is new, the steps it takes, the activity log and
 * the ledger notes. Planning the same thing twice changes nothing.
 */
export async function applyPlan(
  db: Database,
  snapshot: DebtorSnapshot,
  result: PlanResult,
  options: { now: Date; connectionId: (invoiceId: string) => string | undefined; render: RenderEmail },
): Promise<AppliedCounts> {
  const counts: AppliedCounts = { emails: 0, tasks: 0, flags: 0 };
  if (result.actions.length === 0) return counts;
  const day = options.now.toISOString().slice(0, 10);
  await db.transaction(async (tx) => {
    for (const action of result.actions) {
      const created = await createEffect(tx, snapshot, action, options);
      if (!created) continue;
      counts[action.kind === 'email' ? 'emails' : action.kind === 'task' ? 'tasks' : 'flags'] += 1;
      await tx
        .insert(collectionSteps)
        .values(
          action.invoiceSteps.map((entry) => ({
            orgId: snapshot.orgId,
            customerId: snapshot.customerId,
            invoiceId: entry.invoiceId,
            stepKey: entry.stepKey,
            kind: action.kind,
            effectKey: action.idempotencyKey,
            takenAt: options.now,
          })),
        )
        .onConflictDoNothing();
      await tx.insert(activityLog).values({
        orgId: snapshot.orgId,
        customerId: snapshot.customerId,
        kind:
          action.kind === 'email'
            ? 'reminder.planned'
            : action.kind === 'task'
              ? 'task.created'
              : 'flag.raised',
        actor: 'system',
        summary: action.why,
        details: {
          stepKey: action.stepKey,
          invoiceIds: action.invoiceSteps.map((entry) => entry.invoiceId),
          key: action.idempotencyKey,
        },
        occurredAt: options.now,
      });
      // A message's note is written when it is sent (that is the fact); tasks and flags now.
      if (action.kind === 'email') continue;
      const notes = action.invoiceSteps.flatMap((entry) => {
        const connectionId = options.connectionId(entry.invoiceId);
        return connectionId
          ? [
              {
                orgId: snapshot.orgId,
                connectionId,
                invoiceId: entry.invoiceId,
                kind: 'note' as const,
                idempotencyKey: `note:${action.idempotencyKey}:${entry.invoiceId}`,
                payload: { text: noteFor(action, day) },
              },
            ]
          : [];
      });
      if (notes.length > 0) await tx.insert(ledgerWrites).values(notes).onConflictDoNothing();
    }
  });
  return counts;
}

async function createEffect(
  tx: Transaction,
  snapshot: DebtorSnapshot,
  action: PlannedAction,
  options: { render: RenderEmail },
): Promise<boolean> {
  const invoiceIds = action.invoiceSteps.map((entry) => entry.invoiceId);
  if (action.kind === 'email') {
    const rendered = options.render(action, snapshot);
    const inserted = await tx
      .insert(outboundMessages)
      .values({
        orgId: snapshot.orgId,
        customerId: snapshot.customerId,
        idempotencyKey: action.idempotencyKey,
        status: action.requiresApproval ? 'awaiting_approval' : 'pending',
        to: action.to.map((contact) => ({
          email: contact.email,
          ...(contact.name ? { name: contact.name } : {}),
        })),
        cc: action.cc.map((contact) => ({
          email: contact.email,
          ...(contact.name ? { name: contact.name } : {}),
        })),
        subject: rendered.subject,
        template: action.template,
        bodyHtml: rendered.html,
        bodyText: rendered.text,
      })
      .onConflictDoNothing()
      .returning({ id: outboundMessages.id });
    return inserted.length > 0;
  }
  if (action.kind === 'task') {
    const inserted = await tx
      .insert(collectionTasks)
      .values({
        orgId: snapshot.orgId,
        customerId: snapshot.customerId,
        idempotencyKey: action.idempotencyKey,
        description: action.task,
        invoiceIds,
      })
      .onConflictDoNothing()
      .returning({ id: collectionTasks.id });
    return inserted.length > 0;
  }
  // The arithmetic is on what is owed in the organisation's currency; other currencies are listed.
  const owed = snapshot.invoices.filter((invoice) => invoiceIds.includes(invoice.id));
  const inHomeCurrency = owed
    .filter((invoice) => invoice.currency === snapshot.orgCurrency)
    .reduce((sum, invoice) => sum + invoice.balanceMinor, 0);
  const recommendation = recommend({
    balance: { amountMinor: inHomeCurrency, currency: snapshot.orgCurrency },
    daysOverdue: action.daysOverdue,
  });
  const inserted = await tx
    .insert(collectionFlags)
    .values({
      orgId: snapshot.orgId,
      customerId: snapshot.customerId,
      idempotencyKey: action.idempotencyKey,
      kinds: action.flags,
      invoiceIds,
      daysOverdue: action.daysOverdue,
      recommendation: {
        ...recommendation,
        otherCurrencies: owed
          .filter((invoice) => invoice.currency !== snapshot.orgCurrency)
          .map((invoice) => ({ amountMinor: invoice.balanceMinor, currency: invoice.currency })),
      } as unknown as Record<string, unknown>,
    })
    .onConflictDoNothing()
    .returning({ id: collectionFlags.id });
  return inserted.length > 0;
}

/** Which connection each invoice of a batch belongs to (ledger notes go to it). */
export async function connectionsOfInvoices(
  db: Database,
  invoiceIds: string[],
): Promise<Map<string, string>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await db
    .select({ id: invoices.id, connectionId: invoices.connectionId })
    .from(invoices)
    .where(sql`${invoices.id} = any(${sql.param(invoiceIds)}::uuid[])`);
  return new Map(rows.map((row) => [row.id, row.connectionId]));
}
