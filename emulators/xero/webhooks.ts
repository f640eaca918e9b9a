/**
 * Xero webhooks (developer.xero.com "Webhooks"; xero-webhooks.yaml):
 * - POST application/json `{"events":[{"resourceUrl","resourceId","eventDateUtc","eventType","eventCategory",
 *   "tenantId","tenantType":"ORGANISATION"}],"firstEventSequence":N,"lastEventSequence":M,"entropy":"…"}`;
 *   CREDITNOTE events also carry `"data":{"Type","Status"}` (CreditNoteWebhookEvent). eventDateUtc has no zone
 *   (`2024-06-21T01:15:39.902`), sequences count up from 1 per subscription.
 * - Header `x-xero-signature` = base64(HMAC-SHA256(raw body, webhook key)). The receiver must answer 200 (empty
 *   body) within 5 seconds to a correctly signed POST and 401 to a wrongly signed one.
 * - Intent to receive: Xero POSTs `{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"…"}`
 *   signed correctly and wrongly; the webhook is enabled only when the answers are 200 and 401.
 * Which changes raise events: invoice created/updated (payments, allocations, due-date edits, status changes,
 * all INVOICE UPDATE), contact created/updated/archived (CONTACT), credit note created/updated (CREDITNOTE).
 * Xero retries failed deliveries for up to 24 hours; the emulator keeps the events of a failed delivery (non-2xx,
 * no answer in 5 s) queued, so the next deliverWebhooks() sends them again.
 */
import { randomInt } from 'node:crypto';
import { DeliveriesUnderWay, hmacSha256Base64, postWebhook } from '../kit/webhooks.js';
import type { ChangeEvent } from './store/ledger.js';
import { webhookTimestamp } from './time.js';
import type { WebhookTarget } from './types.js';

const MAX_EVENTS_PER_POST = 100;
const DELIVERY_TIMEOUT_MS = 5_000;
const RESOURCE: Record<ChangeEvent['category'], string> = {
  INVOICE: 'Invoices',
  CONTACT: 'Contacts',
  CREDITNOTE: 'CreditNotes',
};

export interface WebhookEvent {
  resourceUrl: string;
  resourceId: string;
  eventDateUtc: string;
  eventType: 'CREATE' | 'UPDATE';
  eventCategory: ChangeEvent['category'];
  tenantId: string;
  tenantType: 'ORGANISATION';
  data?: Record<string, string>;
}

interface Sequenced {
  sequence: number;
  event: WebhookEvent;
}

export function signXeroWebhook(body: string, key: string): string {
  return hmacSha256Base64(body, key);
}

function entropy(): string {
  return Array.from({ length: 20 }, () => String.fromCharCode(65 + randomInt(26))).join('');
}

export function webhookPayload(events: readonly Sequenced[]): string {
  return JSON.stringify({
    events: events.map((e) => e.event),
    firstEventSequence: events[0]?.sequence ?? 0,
    lastEventSequence: events[events.length - 1]?.sequence ?? 0,
    entropy: entropy(),
  });
}

export class WebhookHub {
  private queue: Sequenced[] = [];
  private sequence = 0;
  private target: WebhookTarget | null = null;
  private readonly underWay = new DeliveriesUnderWay();

  constructor(
    private readonly key: string,
    private readonly apiBase: () => string,
  ) {}

  setTarget(target: WebhookTarget | null): void {
    this.target = target;
  }

  record(change: ChangeEvent): void {
    this.sequence += 1;
    const event: WebhookEvent = {
      resourceUrl: `${this.apiBase()}/${RESOURCE[change.category]}/${change.resourceId}`,
      resourceId: change.resourceId,
      eventDateUtc: webhookTimestamp(change.at),
      eventType: change.type,
      eventCategory: change.category,
      tenantId: change.tenantId,
      tenantType: 'ORGANISATION',
      ...(change.data ? { data: change.data } : {}),
    };
    const sequenced = { sequence: this.sequence, event };
    if (this.target?.mode === 'auto') {
      this.underWay.add(this.post(this.target.url, [sequenced]));
      return;
    }
    this.queue.push(sequenced);
  }

  /** Sends what is queued; `duplicate` sends every POST twice, `reverse` sends newest first. */
  async deliver(options: { duplicate?: boolean; reverse?: boolean } = {}): Promise<number[]> {
    const target = this.target;
    if (!target || this.queue.length === 0) return [];
    const events = this.queue;
    this.queue = [];
    const batches: Sequenced[][] = [];
    for (let i = 0; i < events.length; i += MAX_EVENTS_PER_POST)
      batches.push(events.slice(i, i + MAX_EVENTS_PER_POST));
    if (options.reverse) {
      batches.reverse();
      for (const batch of batches) batch.reverse();
    }
    const statuses: number[] = [];
    for (const batch of batches) {
      statuses.push(await this.post(target.url, batch));
      if (options.duplicate) statuses.push(await this.post(target.url, batch));
    }
    return statuses;
  }

  async intentToReceive(url: string): Promise<{ correct: number; incorrect: number }> {
    const body = webhookPayload([]);
    const correct = await this.send(url, body, signXeroWebhook(body, this.key));
    const wrong = signXeroWebhook(body, `${this.key}-not-the-key`);
    const incorrect = await this.send(url, body, wrong);
    return { correct, incorrect };
  }

  /** Waits for deliveries started in 'auto' mode. */
  idle(): Promise<void> {
    return this.underWay.idle();
  }

  private async post(url: string, batch: Sequenced[]): Promise<number> {
    const body = webhookPayload(batch);
    const status = await this.send(url, body, signXeroWebhook(body, this.key));
    if (status < 200 || status > 299) this.requeue(batch);
    return status;
  }

  private requeue(batch: Sequenced[]): void {
    const queued = new Set(this.queue.map((e) => e.sequence));
    const missing = batch.filter((e) => !queued.has(e.sequence));
    this.queue = [...missing, ...this.queue].sort((a, b) => a.sequence - b.sequence);
  }

  /** Status 0: the receiver could not be reached or did not answer within 5 seconds. */
  private send(url: string, body: string, signature: string): Promise<number> {
    const headers = { 'content-type': 'application/json', 'x-xero-signature': signature };
    return postWebhook(url, body, headers, DELIVERY_TIMEOUT_MS);
  }
}
