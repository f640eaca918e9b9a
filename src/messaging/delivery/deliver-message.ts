import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DebtorSnapshot } from '../../collections/snapshot.js';
import type { Database } from '../../db/client.js';
import { activityLog, collectionSteps, outboundMessages } from '../../db/schema/index.js';
import type { ReplyAddresses } from '../../domain/reply-address.js';
import { sendingOf, toOwners } from '../../organisations/sending.js';
import { organisationProfile } from '../../organisations/settings.js';
import { invoicesOfMessage, recordSent } from '../record-sent.js';
import { isHeadsUp } from '../render/cover-at-sending.js';
import { renderQueuedMessage } from '../render/queued-message.js';
import { type EmailTransport, TransportUnavailableError } from '../transport/types.js';
import { type MessageInvoice, refreshBalances } from './balances.js';
import { claim, deliverable, inFlight, recover } from './claim.js';
import type { DeliveryDeps, DeliveryOutcome, Message } from './deps.js';
import { type TextPart, textPart } from './text-part.js';

/** What a run remembers between messages: the organisation's reply-to address. */
export type ReplyToCache = Map<string, Promise<{ email: string; name: string } | null>>;

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
 * A reminder's own reply address, named as the organisation: its replies come back to Dunwell, are
 * matched to this message, and pause the debtor's chasing until a person reads them.
 */
async function ownReplyTo(
  db: Database,
  message: { id: string; orgId: string },
  addresses: ReplyAddresses,
  cache: ReplyToCache,
) {
  const organisation = await replyToOf(db, message.orgId, cache);
  const email = addresses.addressFor(message.id);
  return organisation ? { email, name: organisation.name } : { email };
}

/** Drops a reminder nothing of which is owed any more (or a heads-up whose time has passed); the next evaluation plans afresh. */
async function cancelNoLongerOwed(
  deps: DeliveryDeps,
  message: Message,
  settled: Array<{ id: string; number: string | null }>,
  tooLate = false,
  unreachable?: string,
) {
  await deps.db.transaction(async (tx) => {
    await tx
      .update(outboundMessages)
      .set({
        status: 'cancelled',
        lastError: unreachable
          ? `could not be texted (${unreachable}) and has no email address`
          : tooLate
            ? 'a heads-up before the due date, and the due date has come: not sent late'
            : `no longer owed${settled.length > 0 ? `: ${settled.map((row) => row.number ?? row.id).join(', ')}` : ''}`,
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
      summary: unreachable
        ? `Not sent: the reminder could not be texted (${unreachable}) and the customer takes no emails; the next evaluation plans afresh`
        : tooLate
          ? 'Not sent: a heads-up before the due date, held until the due date had come; it is not sent late'
          : 'Not sent: paid or closed in the ledger since it was planned',
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
      const owed = current.some((row) => row.status === 'open' && row.balanceMinor > 0);
      const tooLate = owed && message.renderInputs !== null && isHeadsUp(message.renderInputs);
      await cancelNoLongerOwed(deps, message, tooLate ? [] : current, tooLate);
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
export async function send(
  deps: DeliveryDeps,
  message: Message,
  replyTo: ReplyToCache,
  /** The reminder's invoices, read after its balances were re-read (else read here). */
  known?: MessageInvoice[],
  /** The batch's debtors as the mirror has them after the re-read (else each is read when rendered). */
  snapshots?: Map<string, DebtorSnapshot>,
): Promise<DeliveryOutcome> {
  if (!(await claim(deps, message))) return 'not_due';
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
    await release(deps, message, { lastError: errorText(error) });
    throw error;
  }
  let text: TextPart;
  try {
    text = await textPart(
      deps,
      message,
      covered?.map((row) => row.id),
    );
  } catch (error) {
    await release(deps, message, { lastError: errorText(error) });
    throw error;
  }
  if (text.kind === 'later') {
    // The email of an email-and-text reminder waits too: the two are one contact.
    await release(deps, message, {
      sendAfter: text.notBefore,
      lastError: `waiting for the debtor's texting hours (from ${text.notBefore.toISOString()})`,
    });
    return 'not_due';
  }
  if (text.kind === 'retry') {
    await release(deps, message, { lastError: text.reason.slice(0, 500) });
    throw new Error(`the text could not be handed to the provider: ${text.reason}`);
  }
  const byEmail = message.via !== 'text' || text.kind === 'not_possible';
  if (byEmail && message.to.length === 0) {
    await cancelNoLongerOwed(deps, message, [], false, text.kind === 'not_possible' ? text.reason : 'none');
    return 'cancelled';
  }
  const texted = text.kind === 'sent' ? { textedTo: text.phone } : {};
  const notTexted = text.kind === 'not_possible' ? { notTexted: text.reason } : {};
  if (!byEmail) {
    await recordSent(
      deps.db,
      { ...message, subject: content.subject },
      { at: deps.now(), providerMessageId: null, emailed: false, ...texted, ...(covered ? { covered } : {}) },
    );
    return 'sent';
  }
  let result: Awaited<ReturnType<EmailTransport['send']>>;
  try {
    result = await deps.transport.send({
      messageId: message.id,
      orgId: message.orgId,
      from: deps.from,
      replyTo:
        deps.replyAddresses && message.purpose === 'reminder' && message.customerId
          ? await ownReplyTo(deps.db, message, deps.replyAddresses, replyTo)
          : await replyToOf(deps.db, message.orgId, replyTo),
      to: message.to,
      cc: message.cc,
      subject: content.subject,
      html: content.html,
      text: content.text,
      categories: ['dunwell', message.purpose, `template:${message.template}`],
      unsubscribeUrl: deps.unsubscribeUrl(message),
      attachments: content.attachments,
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
    {
      at: deps.now(),
      providerMessageId: result.providerMessageId,
      ...texted,
      ...notTexted,
      ...(covered ? { covered } : {}),
    },
  );
  return 'sent';
}

const errorText = (error: unknown) => (error instanceof Error ? error.message.slice(0, 500) : String(error));

/** Gives a claimed message back to the outbox (for a retry, or until `sendAfter`), if still ours. */
async function release(
  deps: DeliveryDeps,
  message: Message,
  change: { lastError: string; sendAfter?: Date },
) {
  await deps.db
    .update(outboundMessages)
    .set({ status: 'pending', ...change })
    .where(
      and(
        eq(outboundMessages.id, message.id),
        eq(outboundMessages.status, 'sending'),
        eq(outboundMessages.attempts, message.attempts + 1),
      ),
    );
}

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
  // Held while its organisation is not live (the claim checks again): no ledger read for nothing.
  if (!toOwners(message) && (await sendingOf(deps.db, message.orgId)) !== 'live') return 'not_due';
  const refreshed = await refreshBalances(deps, message.orgId, [message]);
  if (refreshed.errors.length > 0) throw refreshed.errors[0];
  return send(deps, message, new Map());
}
