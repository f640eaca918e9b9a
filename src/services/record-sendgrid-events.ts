import { type RecordedDeliveryEvents, recordDeliveryEvents } from '../messaging/record-delivery-events.js';
import { parseSendGridEvents } from '../messaging/sendgrid-events.js';
import type { Storage } from './context.js';

/**
 * A verified post of SendGrid's Event Webhook: its events read and recorded (bounces retire
 * addresses, unsubscribes and spam reports opt out), or why the body could not be read. Events span
 * organisations, each matched to the message it names, so there is no one organisation to act for.
 */
export async function recordSendGridEvents(
  storage: Storage,
  body: Buffer,
): Promise<
  | { ok: false; reason: string }
  | {
      ok: true;
      events: number;
      skipped: { unknownKind: number; invalid: number };
      recorded: RecordedDeliveryEvents;
    }
> {
  const parsed = parseSendGridEvents(body);
  if (!parsed.ok) return parsed;
  const recorded = await recordDeliveryEvents(storage.db, parsed.events);
  return { ok: true, events: parsed.events.length, skipped: parsed.skipped, recorded };
}
