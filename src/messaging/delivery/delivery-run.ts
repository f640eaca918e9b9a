import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { outboundMessages } from '../../db/schema/index.js';
import { sendingOf, toOwnersSql } from '../../organisations/sending.js';
import { snapshotsOfDebtors } from '../render/queued-message.js';
import { TransportUnavailableError } from '../transport/types.js';
import { invoicesOfMessages, refreshBalances } from './balances.js';
import { deliverable, inFlight, recover } from './claim.js';
import { type ReplyToCache, send } from './deliver-message.js';
import type { DeliveryDeps, DeliveryOutcome, Message } from './deps.js';

/** Messages taken per batch of a delivery run: their debtors' invoices are re-read together. */
export const defaultRunBatch = 200;
/** Messages of one batch delivered at the same time. */
const defaultConcurrency = 4;

export interface DeliveryRunResult {
  /** Messages taken (due when the run read them). */
  messages: number;
  sent: number;
  cancelled: number;
  rejected: number;
  uncertain: number;
  /** Left for a later run: their balances could not be confirmed, or delivery failed. */
  deferred: number;
  /** Calls to the ledger that re-read balances. */
  ledgerReads: number;
  invoicesRead: number;
}

export interface DeliveryRunOptions {
  /** Messages per batch (their debtors' invoices are re-read together); default 200. */
  batchSize?: number;
  /** Messages of a batch delivered at the same time; default 4. */
  concurrency?: number;
  /** Stops between batches when aborted (the job expiring, the worker stopping). */
  signal?: AbortSignal;
}

/** Raised at the end of a run in which some messages could not be delivered; they wait for the retry. */
export class DeliveryRunError extends Error {
  constructor(
    readonly result: DeliveryRunResult,
    readonly errors: unknown[],
  ) {
    const first = errors[0] instanceof Error ? errors[0].message : String(errors[0]);
    super(
      `${result.deferred} message(s) not delivered in this run (${errors.length} error(s); first: ${first})`,
      {
        cause: errors[0],
      },
    );
    this.name = 'DeliveryRunError';
  }
}

/**
 * A delivery run: the organisation's due messages (pending, or left "sending" by a crash, with
 * `send_after` passed), a batch at a time. Per batch, every open invoice of their debtors is re-read
 * from the ledger in as few calls as each vendor allows, then each message is delivered as
 * `deliverMessage` does. Runs of one organisation are serialised by their job; a single delivery of
 * one of its messages at the same time is harmless (whoever claims it first sends it). Throws DeliveryRunError at the end when something was left
 * undelivered (a provider or ledger outage, a failure), after delivering everything else.
 */
export async function deliverDue(
  deps: DeliveryDeps,
  orgId: string,
  options: DeliveryRunOptions = {},
): Promise<DeliveryRunResult> {
  const batchSize = Math.max(1, options.batchSize ?? defaultRunBatch);
  const concurrency = Math.max(1, options.concurrency ?? defaultConcurrency);
  const result: DeliveryRunResult = {
    messages: 0,
    sent: 0,
    cancelled: 0,
    rejected: 0,
    uncertain: 0,
    deferred: 0,
    ledgerReads: 0,
    invoicesRead: 0,
  };
  const errors: unknown[] = [];
  const replyTo: ReplyToCache = new Map();
  const count = (outcome: DeliveryOutcome) => {
    if (outcome !== 'not_due') result[outcome] += 1;
  };
  {
    const until = deps.now();
    // Not live (preview or paused): only messages to the organisation's own people are taken, so the
    // debtors' reminders are neither re-read from the ledger nor claimed; the claim checks again.
    const onlyOwners = (await sendingOf(deps.db, orgId)) !== 'live';
    let after: { sendAfter: Date; id: string } | null = null;
    let transportDown = false;
    while (!transportDown && !options.signal?.aborted) {
      // Keyset order, so a message left undelivered is not taken again in the same run.
      const batch: Message[] = await deps.db
        .select()
        .from(outboundMessages)
        .where(
          and(
            eq(outboundMessages.orgId, orgId),
            inArray(outboundMessages.status, ['pending', 'sending']),
            lte(outboundMessages.sendAfter, until),
            onlyOwners ? toOwnersSql : undefined,
            after
              ? sql`(${outboundMessages.sendAfter}, ${outboundMessages.id}) > (${after.sendAfter.toISOString()}::timestamptz, ${after.id}::uuid)`
              : undefined,
          ),
        )
        .orderBy(asc(outboundMessages.sendAfter), asc(outboundMessages.id))
        .limit(batchSize);
      if (batch.length === 0) break;
      const last = batch[batch.length - 1] as Message;
      after = { sendAfter: last.sendAfter, id: last.id };
      result.messages += batch.length;

      const toSend: Message[] = [];
      for (const message of batch) {
        if (!deliverable(message)) continue;
        if (message.status === 'sending') {
          if (await inFlight(deps, message)) continue; // another delivery's send may be under way
          try {
            const recovered = await recover(deps, message);
            if (recovered !== 'resend') {
              count(recovered);
              continue;
            }
          } catch (error) {
            errors.push(error);
            result.deferred += 1;
            continue;
          }
        }
        toSend.push(message);
      }

      const refreshed = await refreshBalances(deps, orgId, toSend);
      result.ledgerReads += refreshed.ledgerReads;
      result.invoicesRead += refreshed.invoicesRead;
      errors.push(...refreshed.errors);
      const invoicesOf = await invoicesOfMessages(deps.db, orgId, toSend);
      // Every debtor of the batch read together, after the re-read: rendering then costs no queries.
      const snapshots = await snapshotsOfDebtors(
        deps.db,
        orgId,
        toSend.flatMap((message) => (message.customerId ? [message.customerId] : [])),
        { now: deps.now(), links: deps.links },
      );

      let next = 0;
      const worker = async () => {
        while (next < toSend.length && !transportDown) {
          const message = toSend[next++] as Message;
          if (message.customerId && refreshed.unconfirmed.has(message.customerId)) {
            result.deferred += 1;
            continue;
          }
          try {
            count(
              await send(
                deps,
                message,
                replyTo,
                invoicesOf.get(`${message.customerId}|${message.idempotencyKey}`),
                snapshots,
              ),
            );
          } catch (error) {
            errors.push(error);
            result.deferred += 1;
            // The provider is down: stop asking it; what is left waits for the retry.
            if (error instanceof TransportUnavailableError) transportDown = true;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, toSend.length) }, worker));
      // Not started because the provider went down: they wait for the retry too.
      result.deferred += toSend.length - next;
      if (batch.length < batchSize) break;
    }
  }
  if (errors.length > 0) throw new DeliveryRunError(result, errors);
  return result;
}
