import type { z } from 'zod';
import type { LedgerEvent, WebhookParse, WebhookSkips } from '../ledger.js';

/**
 * Reads each item of a batch on its own: one that does not fit `schema` is counted and skipped. A
 * batch with items of which none could be read is malformed. `quickly` may read the usual item
 * without the schema (several times cheaper on a route posted thousands of times a second): it
 * returns the item when it certainly fits the schema, and undefined to leave the item to the schema,
 * which also gives the reason an item is skipped.
 */
export function readEach<Schema extends z.ZodType>(
  items: unknown[],
  schema: Schema,
  toEvent: (item: z.infer<Schema>) => LedgerEvent,
  quickly?: (item: unknown) => z.infer<Schema> | undefined,
): WebhookParse {
  const events: LedgerEvent[] = [];
  const skipped: WebhookSkips = { count: 0, firstReason: null };
  items.forEach((item, index) => {
    const read = quickly?.(item);
    if (read !== undefined) {
      events.push(toEvent(read));
      return;
    }
    const parsed = schema.safeParse(item);
    if (parsed.success) {
      events.push(toEvent(parsed.data));
      return;
    }
    skipped.count += 1;
    const issue = parsed.error.issues[0];
    skipped.firstReason ??= `event ${index}: ${issue ? `${issue.path.join('.') || 'event'} ${issue.message}` : 'unreadable'}`;
  });
  if (events.length === 0 && skipped.count > 0)
    return { ok: false, reason: 'malformed', detail: `no event could be read: ${skipped.firstReason}` };
  return { ok: true, events, skipped };
}

/** A JSON object (not an array, not null): what a webhook event is. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string of `min` to `max` UTF-16 units, as zod's `z.string().min(min).max(max)` counts them. */
export function isTextOfLength(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}
