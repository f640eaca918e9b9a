import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseXeroWebhook } from '../../../connectors/xero/webhooks.js';

const key = 'xero-webhook-key';
const sign = (body: string, secret = key) => createHmac('sha256', secret).update(body).digest('base64');

const payload = JSON.stringify({
  events: [
    {
      resourceUrl: 'https://api.xero.com/api.xro/2.0/Invoices/6b1a2e2a-0bb0-4c1f-9d5c-1f4f5e6a7b8c',
      resourceId: '6b1a2e2a-0bb0-4c1f-9d5c-1f4f5e6a7b8c',
      eventDateUtc: '2026-11-20T10:00:00.000',
      eventType: 'UPDATE',
      eventCategory: 'INVOICE',
      tenantId: 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f',
      tenantType: 'ORGANISATION',
    },
    {
      resourceId: '1c2d3e4f-0000-4000-8000-000000000001',
      eventDateUtc: '2026-11-20T10:00:01.000',
      eventType: 'CREATE',
      eventCategory: 'CONTACT',
      tenantId: 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f',
      tenantType: 'ORGANISATION',
    },
  ],
  firstEventSequence: 7,
  lastEventSequence: 8,
  entropy: 'S0M3R4ND0MSTR1NG',
});
const handshake = JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: 'XYZ' });

describe('Xero webhooks', () => {
  it('reads signed events, with stable ids for repeated deliveries', () => {
    const first = parseXeroWebhook(Buffer.from(payload), { 'x-xero-signature': sign(payload) }, key);
    const again = parseXeroWebhook(Buffer.from(payload), { 'X-Xero-Signature': sign(payload) }, key);
    expect(
      first.ok &&
        first.events.map(({ entity, entityId, operation, tenantId }) => ({
          entity,
          entityId,
          operation,
          tenantId,
        })),
    ).toEqual([
      {
        entity: 'invoice',
        entityId: '6b1a2e2a-0bb0-4c1f-9d5c-1f4f5e6a7b8c',
        operation: 'updated',
        tenantId: 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f',
      },
      {
        entity: 'customer',
        entityId: '1c2d3e4f-0000-4000-8000-000000000001',
        operation: 'created',
        tenantId: 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f',
      },
    ]);
    expect(first.ok && again.ok && first.events.map((event) => event.eventId)).toEqual(
      again.ok && again.events.map((event) => event.eventId),
    );
    expect(first.ok && new Set(first.events.map((event) => event.eventId)).size).toBe(2);
  });

  it('accepts the intent-to-receive handshake when signed, and refuses it when not', () => {
    expect(parseXeroWebhook(Buffer.from(handshake), { 'x-xero-signature': sign(handshake) }, key)).toEqual({
      ok: true,
      events: [],
      skipped: { count: 0, firstReason: null },
    });
    expect(
      parseXeroWebhook(Buffer.from(handshake), { 'x-xero-signature': sign(handshake, 'wrong') }, key),
    ).toMatchObject({
      ok: false,
      reason: 'signature',
    });
  });

  it('skips an unreadable event of a batch, not the batch', () => {
    const parsed = JSON.parse(payload) as { events: Array<Record<string, unknown>> };
    const body = JSON.stringify({
      ...parsed,
      events: [parsed.events[0], { resourceId: 'x' }, parsed.events[1]],
    });
    const result = parseXeroWebhook(Buffer.from(body), { 'x-xero-signature': sign(body) }, key);
    expect(result.ok && result.events).toHaveLength(2);
    expect(result.ok && result.skipped.count).toBe(1);
  });

  it('calls signed bodies that are not Xero webhooks malformed', () => {
    for (const body of ['[]', '{"events":"no"}', '{"events":[{"resourceId":"x"}]}', 'nope']) {
      expect(parseXeroWebhook(Buffer.from(body), { 'x-xero-signature': sign(body) }, key)).toMatchObject({
        ok: false,
        reason: 'malformed',
      });
    }
  });
});
