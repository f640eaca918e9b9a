import type { Writer } from '../db/client.js';
import { type OwnerEventKind, ownerEvents } from '../db/schema/index.js';

/**
 * Tells the organisation's people about something a debtor did, in the caller's transaction: the
 * event waits in `owner_events` until the next digest carries it (src/messaging/owner-digest.ts), so
 * a burst of them is one email, and the event exists exactly when the thing it tells of does.
 *
 * The seam for replies (issue #20): when an inbound reply is stored, call this with `kind: 'reply'`
 * and a one-line summary in the same transaction; the digest already words and counts replies.
 */
export async function recordOwnerEvent(
  tx: Writer,
  event: {
    orgId: string;
    customerId: string;
    kind: OwnerEventKind;
    /** One line for the email: "disputed INV-12 (The amount is wrong): “…”". Never posted to Slack. */
    summary: string;
    /** What it is about (invoices of one currency), for the email and the Slack line. */
    invoices?: ReadonlyArray<{ balanceMinor: number; currency: string }>;
    now: Date;
  },
): Promise<void> {
  const invoices = event.invoices ?? [];
  const currency = invoices[0]?.currency ?? null;
  const sameCurrency = invoices.every((invoice) => invoice.currency === currency);
  await tx.insert(ownerEvents).values({
    orgId: event.orgId,
    customerId: event.customerId,
    kind: event.kind,
    summary: event.summary,
    amountMinor:
      currency && sameCurrency ? invoices.reduce((sum, invoice) => sum + invoice.balanceMinor, 0) : null,
    currency: currency && sameCurrency ? currency : null,
    occurredAt: event.now,
  });
}
