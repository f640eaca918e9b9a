import { and, eq, inArray } from 'drizzle-orm';
import { record } from '../arrangements/arrangement-log.js';
import type { ArrangementRequest } from '../arrangements/arrangement-request.js';
import { openDispute } from '../arrangements/disputes.js';
import { makePromise } from '../arrangements/promises.js';
import { checkPromisedDate } from '../arrangements/proposals.js';
import { policyOf } from '../collections/policy-versions.js';
import type { Transaction } from '../db/client.js';
import { collectionTasks, invoices } from '../db/schema/index.js';
import { actorKey } from '../domain/actor.js';
import { localMoment } from '../domain/local-time.js';
import { type ContactTaskKind, promiseMaxDaysLimit } from '../domain/policy.js';
import { AppError, notFound } from '../errors.js';
import { organisationProfile } from '../organisations/settings.js';
import type { ServiceContext } from '../services/context.js';

export const callOutcomes = {
  reached: 'Reached them',
  no_answer: 'No answer (a message left, or none)',
  promise: 'They promised to pay by a date',
  dispute: 'They dispute the invoices',
  wrong_number: 'Wrong number',
} as const;
export type CallOutcome = keyof typeof callOutcomes;

/** The longest note a person may keep with a call or letter. */
const noteLength = 2_000;

/** What a person recorded of a call they made. */
export interface CallRecord {
  taskId: string;
  outcome: CallOutcome;
  /** For a promise: the date they gave (YYYY-MM-DD). */
  promisedDate?: string;
  /** What was said; for a dispute, what is wrong (required). */
  note?: string;
}

/**
 * A person made the call the journey asked for: recorded on the debtor's timeline and as a note on
 * each invoice in the ledger. It is a contact from now (the contact cap counts from it and the
 * journey moves past its rung) unless the number was wrong, which reached nobody: the call is set
 * aside and a task asks for the right number. A promise or a dispute made on the call is recorded
 * as the debtor's, as if they had made it on their page.
 */
export async function recordCallOutcome(ctx: ServiceContext, call: CallRecord): Promise<void> {
  if (!(call.outcome in callOutcomes))
    throw new AppError(400, 'invalid_request', 'Say how the call went: one of the outcomes offered.');
  const note = checkedNote(call.note);
  if (call.outcome === 'promise' && !call.promisedDate)
    throw new AppError(400, 'invalid_request', 'Give the date they promised to pay by.');
  if (call.outcome === 'dispute' && !note)
    throw new AppError(400, 'invalid_request', 'Say what they dispute, in their words.');
  const arrangement = await arrangementTerms(ctx);
  // A date the promise would refuse is refused before the call is recorded, so nothing is half done.
  if (call.outcome === 'promise') {
    const { today, limits } = arrangement('');
    checkPromisedDate(call.promisedDate ?? '', today, limits);
  }
  const customerId = await ctx.db.transaction(async (tx) => {
    const wrongNumber = call.outcome === 'wrong_number';
    const task = await closeContactTask(tx, ctx, call.taskId, 'call', wrongNumber ? 'dismissed' : 'done');
    const said = `${callOutcomes[call.outcome]}${call.promisedDate ? ` (${call.promisedDate})` : ''}`;
    await record(tx, { ...arrangement(task.customerId), now: ctx.now }, await invoicesOf(tx, task), {
      kind: 'call.made',
      summary: `A person called: ${said.charAt(0).toLowerCase()}${said.slice(1)}${note ? `; “${note}”` : ''}`,
      key: `call:${task.id}`,
      details: { taskId: task.id, outcome: call.outcome, ...(note ? { note } : {}) },
    });
    if (wrongNumber)
      await tx
        .insert(collectionTasks)
        .values({
          orgId: ctx.orgId,
          customerId: task.customerId,
          idempotencyKey: `right-number:${task.id}`,
          description:
            'The number on record was wrong: find the right number and update the customer in your books',
          invoiceIds: task.invoiceIds,
        })
        .onConflictDoNothing();
    return task.customerId;
  });
  if (call.outcome === 'promise')
    await makePromise(ctx.db, { ...arrangement(customerId), promisedDate: call.promisedDate ?? '' });
  if (call.outcome === 'dispute')
    await openDispute(ctx.db, { ...arrangement(customerId), reason: 'other', message: `On a call: ${note}` });
}

/**
 * A person posted the letter the journey asked for (certified or not, with its tracking number):
 * a contact from now, on the timeline and in the ledger.
 */
export async function markLetterPosted(
  ctx: ServiceContext,
  letter: { taskId: string; certified: boolean; tracking?: string },
): Promise<void> {
  const tracking = (letter.tracking ?? '').trim();
  if (tracking.length > 100)
    throw new AppError(400, 'invalid_request', 'A tracking number is at most 100 characters.');
  const arrangement = await arrangementTerms(ctx);
  await ctx.db.transaction(async (tx) => {
    const task = await closeContactTask(tx, ctx, letter.taskId, 'letter', 'done');
    const how = letter.certified ? 'by certified post' : 'by post';
    await record(tx, { ...arrangement(task.customerId), now: ctx.now }, await invoicesOf(tx, task), {
      kind: 'letter.posted',
      summary: `A person posted the letter ${how}${tracking ? `, tracking number ${tracking}` : ''}`,
      key: `letter:${task.id}`,
      details: { taskId: task.id, certified: letter.certified, ...(tracking ? { tracking } : {}) },
    });
  });
}

function checkedNote(note: string | undefined): string {
  const trimmed = (note ?? '').trim();
  if (trimmed.length > noteLength)
    throw new AppError(
      400,
      'invalid_request',
      `Keep the note under ${noteLength.toLocaleString('en')} characters.`,
    );
  return trimmed;
}

/** An arrangement made on a call, recorded by the person who called, under the organisation's terms. */
async function arrangementTerms(ctx: ServiceContext) {
  const [organisation, policy] = await Promise.all([
    organisationProfile(ctx.db, ctx.orgId),
    policyOf(ctx.db, ctx.orgId),
  ]);
  if (!organisation) throw notFound('organisation');
  return (customerId: string): ArrangementRequest => ({
    orgId: ctx.orgId,
    customerId,
    invoiceIds: [],
    source: 'call',
    actor: actorKey(ctx.actor),
    now: ctx.now,
    today: localMoment(ctx.now, organisation.timeZone).date,
    limits: { ...policy.arrangements, promiseMaxDays: promiseMaxDaysLimit },
  });
}

async function closeContactTask(
  tx: Transaction,
  ctx: ServiceContext,
  taskId: string,
  kind: ContactTaskKind,
  status: 'done' | 'dismissed',
) {
  const [task] = await tx
    .update(collectionTasks)
    .set({ status, closedAt: ctx.now, closedBy: actorKey(ctx.actor) })
    .where(
      and(
        eq(collectionTasks.id, taskId),
        eq(collectionTasks.orgId, ctx.orgId),
        eq(collectionTasks.kind, kind),
        eq(collectionTasks.status, 'open'),
      ),
    )
    .returning();
  if (!task) throw notFound(kind === 'call' ? 'call to make' : 'letter to post');
  return task;
}

/** The task's invoices with the ledger connection each note goes through. */
function invoicesOf(tx: Transaction, task: { orgId: string; invoiceIds: string[] }) {
  if (task.invoiceIds.length === 0) return Promise.resolve([]);
  return tx
    .select({ id: invoices.id, connectionId: invoices.connectionId })
    .from(invoices)
    .where(and(eq(invoices.orgId, task.orgId), inArray(invoices.id, task.invoiceIds)));
}
