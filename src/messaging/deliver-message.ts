import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import {
  activityLog,
  collectionSteps,
  invoices,
  type MessageAddress,
  outboundMessages,
} from '../db/schema/index.js';
import type { LedgerContext } from '../ledger/context.js';
import { openLedgerConnection } from '../ledger/open-connection.js';
import { organisationProfile } from '../organisations/settings.js';
import type { PortalLinks } from '../portal/links.js';
import { upsertInvoices } from '../sync/mirror.js';
import { invoicesOfMessage, type MessageKey, recordSent, sendAttemptedAt } from './record-sent.js';
import { renderQueuedMessage } from './render-queued-message.js';
import { type EmailTransport, TransportUnavailableError } from './transport/types.js';

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
  /** Balances confirmed with the ledger more recently than this are trusted as they are. */
  freshnessMs: number;
  now: () => Date;
}

export type DeliveryOutcome = 'sent' | 'cancelled' | 'rejected' | 'uncertain' | 'not_due';

/** Re-reads from the ledger (one batched read per connection) the balances older than the freshness window. */
async function refreshBalances(
  deps: DeliveryDeps,
  orgId: string,
  rows: Awaited<ReturnType<typeof invoicesOfMessage>>,
) {
  const stale = rows.filter(
    (row) =>
      !row.balanceCheckedAt || deps.now().getTime() - row.balanceCheckedAt.getTime() > deps.freshnessMs,
  );
  const byConnection = new Map<string, string[]>();
  for (const row of stale)
    byConnection.set(row.connectionId, [...(byConnection.get(row.connectionId) ?? []), row.externalId]);
  for (const [connectionId, externalIds] of byConnection) {
    const opened = await openLedgerConnection(deps.ledger, connectionId);
    if (!opened) continue;
    const current = await opened.connector.fetchInvoices(opened.handle, externalIds);
    await upsertInvoices(deps.db, { orgId, connectionId }, current);
    // What the ledger no longer returns was deleted there.
    const found = new Set(current.map((invoice) => invoice.externalId));
    const gone = externalIds.filter((externalId) => !found.has(externalId));
    if (gone.length > 0) {
      await deps.db
        .update(invoices)
        .set({ status: 'deleted', balanceMinor: 0, closedAt: sql`coalesce(${invoices.closedAt}, now())` })
        .where(and(eq(invoices.connectionId, connectionId), inArray(invoices.externalId, gone)));
    }
  }
}

/** Replies go to the organisation's contact address, when it gave one. */
async function replyToOf(db: Database, orgId: string) {
  const profile = await organisationProfile(db, orgId);
  return profile?.settings.contactEmail ? { email: profile.settings.contactEmail, name: profile.name } : null;
}

/** The invoices of a reminder, with balances confirmed with the ledger when the mirror's are stale. */
async function confirmedInvoicesOf(deps: DeliveryDeps, message: MessageKey) {
  await refreshBalances(deps, message.orgId, await invoicesOfMessage(deps.db, message));
  return invoicesOfMessage(deps.db, message);
}

/**
 * Delivers one queued message exactly once: re-checks that what it asks for is still owed, marks it
 * "sending" before the provider call, and "sent" after. Found in "sending" (a crash in between), it is
 * looked up at the provider, never blindly sent again; when that cannot be known it becomes
 * "uncertain" for a person to decide.
 */
export async function deliverMessage(deps: DeliveryDeps, messageId: string): Promise<DeliveryOutcome> {
  const [message] = await deps.db.select().from(outboundMessages).where(eq(outboundMessages.id, messageId));
  if (!message) return 'not_due';
  // A reminder is always to a debtor; only a notice (the weekly summary) may have no customer.
  if (!message.customerId && message.purpose === 'reminder') return 'not_due';

  if (message.status === 'sending') {
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
  } else if (message.status !== 'pending') {
    return 'not_due';
  }

  // A notice (a dispute passed on to the organisation) asks for no money: nothing to re-check.
  const current = message.purpose === 'notice' ? [] : await confirmedInvoicesOf(deps, message);
  const settled = current.filter((row) => row.status !== 'open' || row.balanceMinor <= 0);
  if (message.purpose === 'reminder' && (current.length === 0 || settled.length > 0)) {
    // Something in it is no longer owed: drop it; the next evaluation plans what is still due afresh.
    await deps.db.transaction(async (tx) => {
      await tx
        .update(outboundMessages)
        .set({
          status: 'cancelled',
          lastError: `no longer owed: ${settled.map((row) => row.number ?? row.id).join(', ')}`,
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
    return 'cancelled';
  }

  const content = await renderQueuedMessage(deps.db, message, { now: deps.now(), links: deps.links });
  if (!content) {
    await deps.db
      .update(outboundMessages)
      .set({ status: 'failed', lastError: 'the message could not be rendered: nothing it was about is owed' })
      .where(eq(outboundMessages.id, message.id));
    return 'rejected';
  }
  await deps.db
    .update(outboundMessages)
    .set({ status: 'sending', sendingSince: deps.now(), attempts: sql`${outboundMessages.attempts} + 1` })
    .where(eq(outboundMessages.id, message.id));
  let result: Awaited<ReturnType<EmailTransport['send']>>;
  try {
    result = await deps.transport.send({
      messageId: message.id,
      orgId: message.orgId,
      from: deps.from,
      replyTo: await replyToOf(deps.db, message.orgId),
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
    if (error instanceof TransportUnavailableError && !error.mayHaveBeenAccepted) {
      await deps.db
        .update(outboundMessages)
        .set({ status: 'pending', lastError: error.message })
        .where(eq(outboundMessages.id, message.id));
    }
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
    { at: deps.now(), providerMessageId: result.providerMessageId },
  );
  return 'sent';
}
