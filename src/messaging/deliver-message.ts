import { and, asc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { DebtorSnapshot } from '../collections/snapshot.js';
import { anyUuid } from '../db/any-of.js';
import { arrayParam } from '../db/array-param.js';
import type { Database } from '../db/client.js';
import {
  activityLog,
  collectionSteps,
  invoices,
  type MessageAddress,
  outboundMessages,
} from '../db/schema/index.js';
import type { PortalLinks } from '../domain/portal-links.js';
import type { LedgerContext } from '../ledger/context.js';
import { organisationProfile } from '../organisations/settings.js';
import { refreshInvoices } from '../sync/refresh-invoices.js';
import { invoicesOfMessage, messageInvoiceColumns, recordSent, sendAttemptedAt } from './record-sent.js';
import { renderQueuedMessage, snapshotsOfDebtors } from './render/queued-message.js';
import { type EmailTransport, TransportUnavailableError } from './transport/types.js';

type Message = typeof outboundMessages.$inferSelect;

export interface DeliveryDeps {
  db: Database;
  ledger: LedgerContext;
  transport: EmailTransport;
  from: { email: string; name: string };
  /** Signs the portal links of reminders rendered at send time. */
  links: PortalLinks;
  /**
   * Builds the one-click opt-out link of a message: a debtor's portal opt-out, or for a message to
   * the organisation's own people (no customer: the weekly summary) that recipient's unsubscribe.
   */
  unsubscribeUrl: (message: {
    id: string;
    orgId: string;
    customerId: string | null;
    purpose: 'reminder' | 'notice';
    template: string;
    to: MessageAddress[];
  }) => string | null;
  now: () => Date;
  /**
   * The lock held by the job this delivery runs in, recorded on each message it claims, and how to
   * tell whether another claimant's lock is still held: a message left "sending" by an attempt whose
   * job is over (its worker died) is then looked up at once, not after `inFlightMs`.
   */
  claimant?: { key: string; isHeld(key: string): Promise<boolean> };
}

export type DeliveryOutcome = 'sent' | 'cancelled' | 'rejected' | 'uncertain' | 'not_due';

/** Messages taken per batch of a delivery run: their debtors' invoices are re-read together. */
export const defaultRunBatch = 200;
/** Messages of one batch delivered at the same time. */
const defaultConcurrency = 4;

/**
 * How long a message marked "sending" is taken to be in flight: longer than any provider call (the
 * SendGrid transport gives up after 30 s). Only after it is one found "sending" looked up and, if
 * the provider never had it, sent again; so two deliveries of one message (a run and a retry) never
 * both send it, with no lock held across the provider call.
 */
export const inFlightMs = 120_000;

/**
 * Whether a message found "sending" may still be on its way to the provider. Not when its attempt
 * reported how it ended (an attempt that saw its call fail records why; a crashed one records
 * nothing). Claimed under a job's lock, it is in flight while that lock is held by another session:
 * our own job's lock means the claim is from an earlier attempt of this job, which is over. Claimed
 * with no lock, it is in flight for `inFlightMs`.
 */
async function inFlight(deps: DeliveryDeps, message: Message): Promise<boolean> {
  if (message.lastError !== null) return false;
  if (message.sendingBy !== null && deps.claimant) {
    if (message.sendingBy === deps.claimant.key) return false;
    return deps.claimant.isHeld(message.sendingBy);
  }
  return deps.now().getTime() - sendAttemptedAt(message).getTime() < inFlightMs;
}

/** What re-reading a batch's balances did, and which debtors could not be re-read. */
interface Refreshed {
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
async function refreshBalances(deps: DeliveryDeps, orgId: string, messages: Message[]): Promise<Refreshed> {
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

type MessageInvoice = Awaited<ReturnType<typeof invoicesOfMessage>>[number];

/** The invoices of many reminders in one read (as `invoicesOfMessage`), by debtor and key. */
async function invoicesOfMessages(db: Database, orgId: string, messages: Message[]) {
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

/** What a run remembers between messages: the organisation's reply-to address. */
type ReplyToCache = Map<string, Promise<{ email: string; name: string } | null>>;

/** Replies go to the organisation's contact address, when it gave one. */
function replyToOf(db: Database, orgId: string, cache: ReplyToCache) {
  let found = cache.get(orgId);
  if (!found) {
    found = organisationProfile(db, orgId).then((profile) =>
      profile?.settings.contactEmail ? { email: profile.settings.contactEmail, name: profile.name } : null,
    );
    cache.set(orgId, found);
  }
  return found;
}

/**
 * A message found "sending" (a crash between marking it and hearing back): looked up at the
 * provider, never blindly sent again. `resend` when the provider never had it.
 */
async function recover(deps: DeliveryDeps, message: Message): Promise<DeliveryOutcome | 'resend'> {
  const found = await deps.transport.lookup(message.id, sendAttemptedAt(message));
  if (found.status === 'sent') {
    await recordSent(deps.db, message, {
      at: deps.now(),
      providerMessageId: found.providerMessageId ?? null,
    });
    return 'sent';
  }
  if (found.status === 'unknown') {
    await deps.db
      .update(outboundMessages)
      .set({
        status: 'uncertain',
        lastError: 'the provider cannot tell whether it was sent; a person decides',
      })
      .where(eq(outboundMessages.id, message.id));
    return 'uncertain';
  }
  return 'resend';
}

/** Drops a reminder nothing of which is owed any more; the next evaluation plans afresh. */
async function cancelNoLongerOwed(
  deps: DeliveryDeps,
  message: Message,
  settled: Array<{ id: string; number: string | null }>,
) {
  await deps.db.transaction(async (tx) => {
    await tx
      .update(outboundMessages)
      .set({
        status: 'cancelled',
        lastError: `no longer owed${settled.length > 0 ? `: ${settled.map((row) => row.number ?? row.id).join(', ')}` : ''}`,
      })
      .where(eq(outboundMessages.id, message.id));
    await tx
      .delete(collectionSteps)
      .where(
        and(
          eq(collectionSteps.customerId, message.customerId ?? sql`null`),
          eq(collectionSteps.orgId, message.orgId),
          eq(collectionSteps.effectKey, message.idempotencyKey),
        ),
      );
    await tx.insert(activityLog).values({
      orgId: message.orgId,
      customerId: message.customerId,
      kind: 'reminder.cancelled',
      actor: 'system',
      summary: 'Not sent: paid or closed in the ledger since it was planned',
      details: { messageId: message.id, settled: settled.map((row) => row.id) },
    });
  });
}

/**
 * What a claimed message will say: a reminder nothing of which is owed is cancelled; one with some
 * invoices paid loses their steps (its note then names only what it asked for) and is rendered
 * afresh. An outcome when it is not to be sent after all.
 */
async function prepare(
  deps: DeliveryDeps,
  message: Message,
  known: MessageInvoice[] | undefined,
  snapshots: Map<string, DebtorSnapshot> | undefined,
): Promise<
  | { outcome: DeliveryOutcome; content?: undefined; covered?: undefined }
  | { outcome?: undefined; content: RenderedContent; covered: MessageInvoice[] | undefined }
> {
  const isReminder = message.purpose === 'reminder';
  let dropped = false;
  let covered: MessageInvoice[] | undefined;
  if (isReminder) {
    const current = known ?? (await invoicesOfMessage(deps.db, message));
    const settled = current.filter((row) => row.status !== 'open' || row.balanceMinor <= 0);
    if (settled.length === current.length) {
      await cancelNoLongerOwed(deps, message, settled);
      return { outcome: 'cancelled' };
    }
    dropped = settled.length > 0;
    covered = current.filter((row) => !settled.includes(row));
    if (dropped)
      await deps.db.delete(collectionSteps).where(
        and(
          eq(collectionSteps.customerId, message.customerId ?? sql`null`),
          eq(collectionSteps.orgId, message.orgId),
          eq(collectionSteps.effectKey, message.idempotencyKey),
          inArray(
            collectionSteps.invoiceId,
            settled.map((row) => row.id),
          ),
        ),
      );
  }
  // Rendered afresh from the mirror as just re-read when what is stored may list an invoice paid
  // since: some were dropped, or an earlier attempt stored it. Otherwise what was stored at
  // planning stays; a message without render inputs always keeps its content.
  const stale = message.renderInputs && (dropped || message.attempts > 0);
  const toRender = stale ? { ...message, subject: null, bodyHtml: null, bodyText: null } : message;
  const content = await renderQueuedMessage(deps.db, toRender, {
    now: deps.now(),
    links: deps.links,
    ...(snapshots ? { snapshots } : {}),
  });
  if (!content) {
    if (isReminder) {
      const current = await invoicesOfMessage(deps.db, message);
      await cancelNoLongerOwed(deps, message, current);
      return { outcome: 'cancelled' };
    }
    await deps.db
      .update(outboundMessages)
      .set({ status: 'failed', lastError: 'the message could not be rendered' })
      .where(eq(outboundMessages.id, message.id));
    return { outcome: 'rejected' };
  }
  return { content, covered };
}

type RenderedContent = NonNullable<Awaited<ReturnType<typeof renderQueuedMessage>>>;

/**
 * Sends a message whose balances were just re-read. It is first claimed (marked "sending", only if
 * no one else changed it since it was read), so two deliveries of it never both act on it; then
 * prepared (see `prepare`: a reminder nothing of which is owed is cancelled, one with some paid goes
 * with the rest), sent, and recorded.
 */
async function send(
  deps: DeliveryDeps,
  message: Message,
  replyTo: ReplyToCache,
  /** The reminder's invoices, read after its balances were re-read (else read here). */
  known?: MessageInvoice[],
  /** The batch's debtors as the mirror has them after the re-read (else each is read when rendered). */
  snapshots?: Map<string, DebtorSnapshot>,
): Promise<DeliveryOutcome> {
  const claimed = await deps.db
    .update(outboundMessages)
    .set({
      status: 'sending',
      sendingSince: deps.now(),
      sendingBy: deps.claimant?.key ?? null,
      attempts: sql`${outboundMessages.attempts} + 1`,
      lastError: null,
    })
    .where(
      and(
        eq(outboundMessages.id, message.id),
        eq(outboundMessages.status, message.status),
        eq(outboundMessages.attempts, message.attempts),
      ),
    )
    .returning({ id: outboundMessages.id });
  if (claimed.length === 0) return 'not_due';
  // Claimed: from here on this delivery alone decides what becomes of the message.
  let content: RenderedContent;
  let covered: MessageInvoice[] | undefined;
  try {
    const prepared = await prepare(deps, message, known, snapshots);
    if (prepared.outcome) return prepared.outcome;
    content = prepared.content;
    covered = prepared.covered;
  } catch (error) {
    // Nothing left: back in the outbox for the retry.
    await deps.db
      .update(outboundMessages)
      .set({
        status: 'pending',
        lastError: error instanceof Error ? error.message.slice(0, 500) : String(error),
      })
      .where(
        and(
          eq(outboundMessages.id, message.id),
          eq(outboundMessages.status, 'sending'),
          eq(outboundMessages.attempts, message.attempts + 1),
        ),
      );
    throw error;
  }
  let result: Awaited<ReturnType<EmailTransport['send']>>;
  try {
    result = await deps.transport.send({
      messageId: message.id,
      orgId: message.orgId,
      from: deps.from,
      replyTo: await replyToOf(deps.db, message.orgId, replyTo),
      to: message.to,
      cc: message.cc,
      subject: content.subject,
      html: content.html,
      text: content.text,
      categories: ['dunwell', message.purpose, `template:${message.template}`],
      unsubscribeUrl: deps.unsubscribeUrl(message),
    });
  } catch (error) {
    // Refused before it reached the provider: safe to try again later. Otherwise stay "sending", so
    // the retry looks it up first.
    const refused = error instanceof TransportUnavailableError && !error.mayHaveBeenAccepted;
    const why = error instanceof Error ? error.message.slice(0, 500) : String(error);
    await deps.db
      .update(outboundMessages)
      .set(
        refused ? { status: 'pending', lastError: why } : { lastError: `the provider may have it: ${why}` },
      )
      .where(
        and(
          eq(outboundMessages.id, message.id),
          eq(outboundMessages.status, 'sending'),
          eq(outboundMessages.attempts, message.attempts + 1),
        ),
      );
    throw error;
  }
  if (result.status === 'rejected') {
    await deps.db
      .update(outboundMessages)
      .set({ status: 'failed', lastError: result.reason.slice(0, 500) })
      .where(eq(outboundMessages.id, message.id));
    return 'rejected';
  }
  await recordSent(
    deps.db,
    { ...message, subject: content.subject },
    { at: deps.now(), providerMessageId: result.providerMessageId, ...(covered ? { covered } : {}) },
  );
  return 'sent';
}

/** Whether a message can be delivered at all (a reminder is always to a debtor). */
const deliverable = (message: Message) =>
  (message.status === 'pending' || message.status === 'sending') &&
  (message.customerId !== null || message.purpose !== 'reminder');

/**
 * Delivers one queued message exactly once: re-reads from the ledger that what it asks for is still
 * owed, marks it "sending" before the provider call, and "sent" after. Found in "sending" (a crash
 * in between), it is looked up at the provider, never blindly sent again; when that cannot be known
 * it becomes "uncertain" for a person to decide; while its send may still be in flight (see
 * `inFlightMs`) it is left alone ('not_due'), for a later run.
 */
export async function deliverMessage(deps: DeliveryDeps, messageId: string): Promise<DeliveryOutcome> {
  const [message] = await deps.db.select().from(outboundMessages).where(eq(outboundMessages.id, messageId));
  if (!message || !deliverable(message)) return 'not_due';
  if (message.status === 'sending') {
    if (await inFlight(deps, message)) return 'not_due';
    const recovered = await recover(deps, message);
    if (recovered !== 'resend') return recovered;
  }
  const refreshed = await refreshBalances(deps, message.orgId, [message]);
  if (refreshed.errors.length > 0) throw refreshed.errors[0];
  return send(deps, message, new Map());
}

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
