import { createHmac } from 'node:crypto';

/** base64(HMAC-SHA256(raw body, key)): how both vendors sign their webhooks, each in its own header. */
export function hmacSha256Base64(body: string, key: string): string {
  return createHmac('sha256', key).update(body, 'utf8').digest('base64');
}

/**
 * POSTs one webhook body; resolves with the receiver's status, or 0 when it could not be reached or did
 * not answer within `timeoutMs`.
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<number> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** Deliveries started as changes happen (a target in 'auto' mode), so closing can wait for them. */
export class DeliveriesUnderWay {
  private readonly inflight = new Set<Promise<unknown>>();

  add(delivery: Promise<unknown>): void {
    this.inflight.add(delivery);
    void delivery.finally(() => this.inflight.delete(delivery));
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }
}
