import { hash } from 'node:crypto';
import { z } from 'zod';
import type { LedgerEvent, WebhookParse } from '../ledger.js';
import { headerValue } from '../shared/headers.js';
import { hasValidHmacSignature } from '../shared/signature.js';
import { isJsonObject, isTextOfLength, readEach } from '../shared/webhook-batch.js';

const entityNames: Record<string, LedgerEvent['entity']> = {
  invoice: 'invoice',
  customer: 'customer',
  payment: 'payment',
  creditmemo: 'credit',
};
const operations: Record<string, LedgerEvent['operation']> = {
  created: 'created',
  create: 'created',
  updated: 'updated',
  update: 'updated',
  deleted: 'deleted',
  delete: 'deleted',
  voided: 'voided',
  void: 'voided',
  merged: 'updated',
  merge: 'updated',
  emailed: 'other',
  emailsent: 'other',
};

// CloudEvents: a JSON array; `type` is qbo.<entity>.<operation>.v1, the realm is `intuitaccountid`.
const cloudEventType = /^qbo\.[a-z]+\.[a-z]+\.v\d+$/i;
export const cloudEvent = z.object({
  id: z.string().min(1).max(200),
  type: z.string().regex(cloudEventType),
  time: z.string().optional(),
  intuitaccountid: z.string().min(1).max(64),
  intuitentityid: z.string().min(1).max(64),
});
type CloudEvent = z.infer<typeof cloudEvent>;

/** `cloudEvent`'s rules checked by hand: the item when it fits them, else undefined (zod then says why). */
export function quickCloudEvent(item: unknown): CloudEvent | undefined {
  if (!isJsonObject(item)) return undefined;
  const { id, type, time, intuitaccountid, intuitentityid } = item;
  return isTextOfLength(id, 1, 200) &&
    typeof type === 'string' &&
    cloudEventType.test(type) &&
    (time === undefined || typeof time === 'string') &&
    isTextOfLength(intuitaccountid, 1, 64) &&
    isTextOfLength(intuitentityid, 1, 64)
    ? { id, type, time, intuitaccountid, intuitentityid }
    : undefined;
}
/** Intuit sends at most 100 events a batch; a longer list is not Intuit's. */
const maxBatch = 1000;

// The legacy format: one notification per realm, each with its changed entities.
const legacyEntity = z.object({
  realmId: z.string().min(1).max(64),
  name: z.string().min(1),
  id: z.string().min(1).max(64),
  operation: z.string().min(1),
  lastUpdated: z.string().optional(),
});
const legacyNotifications = z.object({
  eventNotifications: z
    .array(
      z.object({
        realmId: z.unknown(),
        dataChangeEvent: z.object({ entities: z.array(z.unknown()).max(maxBatch) }).optional(),
      }),
    )
    .min(1)
    .max(maxBatch),
});

function digest(parts: string[]): string {
  return hash('sha256', parts.join('|'), 'base64url').slice(0, 32);
}

/** Verifies `intuit-signature` over the raw body, then reads either webhook format into events. */
export function parseQuickBooksWebhook(
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
  verifierToken: string,
): WebhookParse {
  if (!hasValidHmacSignature(rawBody, headerValue(headers, 'intuit-signature'), verifierToken)) {
    return { ok: false, reason: 'signature', detail: 'intuit-signature does not match the body' };
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed', detail: 'the body is not JSON' };
  }

  if (Array.isArray(body)) {
    if (body.length === 0 || body.length > maxBatch)
      return { ok: false, reason: 'malformed', detail: `a batch holds 1 to ${maxBatch} events` };
    return readEach(
      body,
      cloudEvent,
      (event) => {
        const [, entity = '', operation = ''] = event.type.toLowerCase().split('.');
        return {
          eventId: event.id,
          tenantId: event.intuitaccountid,
          entity: entityNames[entity] ?? 'other',
          entityId: event.intuitentityid,
          operation: operations[operation] ?? 'other',
          occurredAt: event.time ?? null,
        };
      },
      quickCloudEvent,
    );
  }

  const legacy = legacyNotifications.safeParse(body);
  if (!legacy.success)
    return { ok: false, reason: 'malformed', detail: 'neither CloudEvents nor eventNotifications' };
  // Each entity carries its notification's realm, so each is read (or skipped) on its own.
  const entities = legacy.data.eventNotifications.flatMap((notification) =>
    (notification.dataChangeEvent?.entities ?? []).map((entity) =>
      typeof entity === 'object' && entity !== null ? { ...entity, realmId: notification.realmId } : entity,
    ),
  );
  return readEach(entities, legacyEntity, (entity) => ({
    // The legacy format has no event id: the same change always digests to the same id.
    eventId: `legacy-${digest([entity.realmId, entity.name, entity.id, entity.operation, entity.lastUpdated ?? ''])}`,
    tenantId: entity.realmId,
    entity: entityNames[entity.name.toLowerCase()] ?? 'other',
    entityId: entity.id,
    operation: operations[entity.operation.toLowerCase()] ?? 'other',
    occurredAt: entity.lastUpdated ?? null,
  }));
}
