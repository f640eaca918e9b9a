/**
 * Webhook events for every change, delivered signed: header `intuit-signature` =
 * base64(HMAC-SHA256(raw body, verifier token)).
 *
 * CloudEvents format (Intuit blog "Upcoming change to webhooks payload structure", 2025-11-12): a JSON array of
 *   {"specversion":"1.0","id":"…","source":"intuit.…","type":"qbo.account.created.v1",
 *    "datacontenttype":"application/json","time":"2025-09-10T21:31:25.179851517Z",
 *    "intuitentityid":"1234","intuitaccountid":"310687","data":{}}
 * at most 100 events per POST (larger queues go out in several POSTs). The HTTP Content-Type Intuit uses is not
 * documented; the emulator sends application/cloudevents+json unless the target says otherwise.
 * Legacy format: {"eventNotifications":[{"realmId","dataChangeEvent":{"entities":[{"id","operation","name",
 * "lastUpdated"}]}}]}, application/json. Duplicates keep their event id, so receivers can de-duplicate.
 * Failed deliveries are not retried (Intuit retries; tests drive retries with deliverWebhooks()).
 */
import { createHash, randomUUID } from 'node:crypto';
import { DeliveriesUnderWay, hmacSha256Base64, postWebhook } from '../kit/webhooks.js';
import type { ChangeEvent } from './store/ledger.js';
import type { WebhookTarget } from './types.js';

const MAX_QUEUED = 10_000;
const MAX_CLOUDEVENTS_PER_POST = 100;
const DELIVERY_TIMEOUT_MS = 10_000;
const VERB = { Create: 'created', Update: 'updated', Delete: 'deleted', Void: 'voided' } as const;

interface QueuedEvent extends ChangeEvent {
  eventId: string;
}

export function signWebhook(body: string, verifierToken: string): string {
  return hmacSha256Base64(body, verifierToken);
}

export class WebhookHub {
  private queue: QueuedEvent[] = [];
  private target: WebhookTarget | null = null;
  private readonly underWay = new DeliveriesUnderWay();
  private readonly source: string;

  constructor(
    private readonly verifierToken: string,
    clientId: string,
  ) {
    this.source = `intuit.${createHash('sha256').update(clientId).digest('base64')}`;
  }

  setTarget(target: WebhookTarget | null): void {
    this.target = target;
  }

  record(change: ChangeEvent): void {
    const event = { ...change, eventId: randomUUID() };
    if (this.target?.mode === 'auto') {
      this.underWay.add(this.post(this.target, [event]));
      return;
    }
    this.queue.push(event);
    if (this.queue.length > MAX_QUEUED) this.queue.shift();
  }

  async deliver(options: { duplicate?: boolean; reverse?: boolean } = {}): Promise<number[]> {
    const target = this.target;
    if (!target || this.queue.length === 0) return [];
    let events = this.queue;
    this.queue = [];
    if (options.duplicate) events = [...events, ...events];
    if (options.reverse) events = [...events].reverse();
    return this.post(target, events);
  }

  /** Waits for deliveries started in 'auto' mode. */
  idle(): Promise<void> {
    return this.underWay.idle();
  }

  private async post(target: WebhookTarget, events: QueuedEvent[]): Promise<number[]> {
    const statuses: number[] = [];
    if (target.format === 'legacy') {
      statuses.push(await this.send(target.url, legacyBody(events), 'application/json'));
      return statuses;
    }
    for (let i = 0; i < events.length; i += MAX_CLOUDEVENTS_PER_POST) {
      const body = JSON.stringify(
        events.slice(i, i + MAX_CLOUDEVENTS_PER_POST).map((e) => this.cloudEvent(e)),
      );
      statuses.push(await this.send(target.url, body, target.contentType ?? 'application/cloudevents+json'));
    }
    return statuses;
  }

  private cloudEvent(event: QueuedEvent) {
    return {
      specversion: '1.0',
      id: event.eventId,
      source: this.source,
      type: `qbo.${event.entity.toLowerCase()}.${VERB[event.operation]}.v1`,
      datacontenttype: 'application/json',
      time: new Date(event.at).toISOString(),
      intuitentityid: event.id,
      intuitaccountid: event.realmId,
      data: {},
    };
  }

  /** Status 0 means the receiver could not be reached or did not answer in time. */
  private send(url: string, body: string, contentType: string): Promise<number> {
    const headers = {
      'content-type': contentType,
      'intuit-signature': signWebhook(body, this.verifierToken),
      'user-agent': 'Intuit-Webhooks-Emulator/1.0',
    };
    return postWebhook(url, body, headers, DELIVERY_TIMEOUT_MS);
  }
}

function legacyBody(events: QueuedEvent[]): string {
  const byRealm = new Map<string, QueuedEvent[]>();
  for (const event of events) byRealm.set(event.realmId, [...(byRealm.get(event.realmId) ?? []), event]);
  const eventNotifications = [...byRealm].map(([realmId, list]) => ({
    realmId,
    dataChangeEvent: {
      // Field order as in Intuit's published samples (QuickBooks V3 Java and .NET SDK webhook tests).
      entities: list.map((e) => ({
        name: e.entity,
        id: e.id,
        operation: e.operation,
        lastUpdated: new Date(e.at).toISOString(),
      })),
    },
  }));
  return JSON.stringify({ eventNotifications });
}
