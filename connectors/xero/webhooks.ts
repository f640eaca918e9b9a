import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { LedgerEvent, WebhookParse } from '../ledger.js';
import { headerValue } from '../shared/headers.js';
import { hasValidHmacSignature } from '../shared/signature.js';
import { readEach } from '../shared/webhook-batch.js';

const categories: Record<string, LedgerEvent['entity']> = {
  INVOICE: 'invoice',
  CONTACT: 'customer',
  CREDITNOTE: 'credit',
};
const operations: Record<string, LedgerEvent['operation']> = { CREATE: 'created', UPDATE: 'updated' };

const xeroEvent = z.object({
  resourceId: z.string().min(1).max(64),
  tenantId: z.string().min(1).max(64),
  eventCategory: z.string().min(1).max(40),
  eventType: z.string().min(1).max(40),
  eventDateUtc: z.string().optional(),
  resourceUrl: z.string().optional(),
  tenantType: z.string().optional(),
});
// An empty list is Xero's intent-to-receive handshake: valid, with nothing to do.
const xeroPayload = z.object({ events: z.array(z.unknown()).max(1000) });

/** Verifies `x-xero-signature` over the raw body, then reads the events (none in the handshake). */
export function parseXeroWebhook(
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
  webhookKey: string,
): WebhookParse {
  if (!hasValidHmacSignature(rawBody, headerValue(headers, 'x-xero-signature'), webhookKey)) {
    return { ok: false, reason: 'signature', detail: 'x-xero-signature does not match the body' };
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed', detail: 'the body is not JSON' };
  }
  const parsed = xeroPayload.safeParse(body);
  if (!parsed.success)
    return { ok: false, reason: 'malformed', detail: parsed.error.issues[0]?.message ?? 'bad payload' };
  return readEach(parsed.data.events, xeroEvent, (event) => ({
    // Xero events carry no id; the same event always digests to the same one.
    eventId: `xero-${createHash('sha256')
      .update(
        [
          event.tenantId,
          event.eventCategory,
          event.resourceId,
          event.eventType,
          event.eventDateUtc ?? '',
        ].join('|'),
      )
      .digest('base64url')
      .slice(0, 32)}`,
    tenantId: event.tenantId,
    entity: categories[event.eventCategory.toUpperCase()] ?? 'other',
    entityId: event.resourceId,
    operation: operations[event.eventType.toUpperCase()] ?? 'other',
    occurredAt: event.eventDateUtc ?? null,
  }));
}
