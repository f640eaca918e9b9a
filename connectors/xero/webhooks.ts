import { hash } from 'node:crypto';
import { z } from 'zod';
import type { LedgerEvent, WebhookParse } from '../ledger.js';
import { headerValue } from '../shared/headers.js';
import { hasValidHmacSignature } from '../shared/signature.js';
import { isJsonObject, isTextOfLength, readEach } from '../shared/webhook-batch.js';

const categories: Record<string, LedgerEvent['entity']> = {
  INVOICE: 'invoice',
  CONTACT: 'customer',
  CREDITNOTE: 'credit',
};
const operations: Record<string, LedgerEvent['operation']> = { CREATE: 'created', UPDATE: 'updated' };

export const xeroEvent = z.object({
  resourceId: z.string().min(1).max(64),
  tenantId: z.string().min(1).max(64),
  eventCategory: z.string().min(1).max(40),
  eventType: z.string().min(1).max(40),
  eventDateUtc: z.string().optional(),
  resourceUrl: z.string().optional(),
  tenantType: z.string().optional(),
});
type XeroEvent = z.infer<typeof xeroEvent>;
const optionalText = (value: unknown): value is string | undefined =>
  value === undefined || typeof value === 'string';

/** `xeroEvent`'s rules checked by hand: the item when it fits them, else undefined (zod then says why). */
export function quickXeroEvent(item: unknown): XeroEvent | undefined {
  if (!isJsonObject(item)) return undefined;
  const { resourceId, tenantId, eventCategory, eventType, eventDateUtc, resourceUrl, tenantType } = item;
  return isTextOfLength(resourceId, 1, 64) &&
    isTextOfLength(tenantId, 1, 64) &&
    isTextOfLength(eventCategory, 1, 40) &&
    isTextOfLength(eventType, 1, 40) &&
    optionalText(eventDateUtc) &&
    optionalText(resourceUrl) &&
    optionalText(tenantType)
    ? { resourceId, tenantId, eventCategory, eventType, eventDateUtc, resourceUrl, tenantType }
    : undefined;
}

// An empty list is Xero's intent-to-receive handshake: valid, with nothing to do.
const maxEvents = 1000;
const xeroPayload = z.object({ events: z.array(z.unknown()).max(maxEvents) });

/** The events of a payload that fits `xeroPayload`, read by hand in the usual case. */
function payloadEvents(body: unknown): { ok: true; events: unknown[] } | { ok: false; detail: string } {
  if (isJsonObject(body) && Array.isArray(body['events']) && body['events'].length <= maxEvents)
    return { ok: true, events: body['events'] };
  const parsed = xeroPayload.safeParse(body);
  if (!parsed.success) return { ok: false, detail: parsed.error.issues[0]?.message ?? 'bad payload' };
  return { ok: true, events: parsed.data.events };
}

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
  const payload = payloadEvents(body);
  if (!payload.ok) return { ok: false, reason: 'malformed', detail: payload.detail };
  return readEach(payload.events, xeroEvent, toEvent, quickXeroEvent);
}

function toEvent(event: XeroEvent): LedgerEvent {
  return {
    // Xero events carry no id; the same event always digests to the same one.
    eventId: `xero-${hash(
      'sha256',
      [event.tenantId, event.eventCategory, event.resourceId, event.eventType, event.eventDateUtc ?? ''].join(
        '|',
      ),
      'base64url',
    ).slice(0, 32)}`,
    tenantId: event.tenantId,
    entity: categories[event.eventCategory.toUpperCase()] ?? 'other',
    entityId: event.resourceId,
    operation: operations[event.eventType.toUpperCase()] ?? 'other',
    occurredAt: event.eventDateUtc ?? null,
  };
}
