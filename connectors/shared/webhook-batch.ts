import type { z } from 'zod';
import type { LedgerEvent, WebhookParse, WebhookSkips } from '../ledger.js';

/**
 * Reads each item of a batch on its own: one that does not fit `schema` is counted and skipped. A
 * batch with items of which none could be read is malformed.
 */
export function readEach<Schema extends z.ZodType>(
  items: unknown[],
  schema: Schema,
  toEvent: (item: z.infer<Schema>) => LedgerEvent,
): WebhookParse {
  const events: LedgerEvent[] = [];
  const skipped: WebhookSkips = { count: 0, firstReason: null };
  items.forEach((item, index) => {
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
