import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseQuickBooksWebhook } from '../../../connectors/quickbooks/webhooks.js';

const verifier = 'verifier-token-123';
const sign = (body: string, secret = verifier) => createHmac('sha256', secret).update(body).digest('base64');

const cloudEvents = JSON.stringify([
  {
    specversion: '1.0',
    id: 'evt-1',
    source: 'intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=',
    type: 'qbo.invoice.updated.v1',
    datacontenttype: 'application/json',
    time: '2026-11-20T10:00:00Z',
    intuitentityid: '145',
    intuitaccountid: '9130355377384706',
    data: {},
  },
  {
    specversion: '1.0',
    id: 'evt-2',
    source: 'intuit.x',
    type: 'qbo.payment.created.v1',
    time: '2026-11-20T10:00:01Z',
    intuitentityid: '77',
    intuitaccountid: '9130355377384706',
    data: {},
  },
]);

const legacy = JSON.stringify({
  eventNotifications: [
    {
      realmId: '1185883450',
      dataChangeEvent: {
        entities: [
          { name: 'Invoice', id: '130', operation: 'Void', lastUpdated: '2026-11-20T10:00:00.000Z' },
          { name: 'Customer', id: '5', operation: 'Merge', lastUpdated: '2026-11-20T10:00:00.000Z' },
        ],
      },
    },
  ],
});

describe('QuickBooks webhooks', () => {
  it('reads CloudEvents with a valid signature', () => {
    const result = parseQuickBooksWebhook(
      Buffer.from(cloudEvents),
      { 'intuit-signature': sign(cloudEvents) },
      verifier,
    );
    expect(result).toEqual({
      ok: true,
      events: [
        {
          eventId: 'evt-1',
          tenantId: '9130355377384706',
          entity: 'invoice',
          entityId: '145',
          operation: 'updated',
          occurredAt: '2026-11-20T10:00:00Z',
        },
        {
          eventId: 'evt-2',
          tenantId: '9130355377384706',
          entity: 'payment',
          entityId: '77',
          operation: 'created',
          occurredAt: '2026-11-20T10:00:01Z',
        },
      ],
      skipped: { count: 0, firstReason: null },
    });
  });

  it('reads the legacy eventNotifications format, with stable ids for repeated deliveries', () => {
    const headers = { 'Intuit-Signature': sign(legacy) };
    const first = parseQuickBooksWebhook(Buffer.from(legacy), headers, verifier);
    const again = parseQuickBooksWebhook(Buffer.from(legacy), headers, verifier);
    expect(
      first.ok && first.events.map(({ entity, entityId, operation }) => ({ entity, entityId, operation })),
    ).toEqual([
      { entity: 'invoice', entityId: '130', operation: 'voided' },
      { entity: 'customer', entityId: '5', operation: 'updated' },
    ]);
    expect(first.ok && again.ok && first.events.map((e) => e.eventId)).toEqual(
      again.ok && again.events.map((e) => e.eventId),
    );
  });

  it('refuses a wrong, missing or re-used signature', () => {
    const body = Buffer.from(cloudEvents);
    for (const headers of [
      {},
      { 'intuit-signature': sign(cloudEvents, 'another-secret') },
      { 'intuit-signature': sign(legacy) },
      { 'intuit-signature': 'not base64 at all' },
    ]) {
      expect(parseQuickBooksWebhook(body, headers, verifier)).toMatchObject({
        ok: false,
        reason: 'signature',
      });
    }
  });

  it('detects a body changed after signing', () => {
    const tampered = cloudEvents.replace('"145"', '"146"');
    const result = parseQuickBooksWebhook(
      Buffer.from(tampered),
      { 'intuit-signature': sign(cloudEvents) },
      verifier,
    );
    expect(result).toMatchObject({ ok: false, reason: 'signature' });
  });

  it('skips an unreadable event of a batch, not the batch: its good events are kept', () => {
    const events = JSON.parse(cloudEvents) as Array<Record<string, unknown>>;
    const { intuitaccountid: _, ...noRealm } = events[1] ?? {};
    const body = JSON.stringify([events[0], noRealm, { ...events[1], id: 'evt-3' }]);
    const result = parseQuickBooksWebhook(Buffer.from(body), { 'intuit-signature': sign(body) }, verifier);
    expect(result.ok && result.events.map((event) => event.eventId)).toEqual(['evt-1', 'evt-3']);
    expect(result.ok && result.skipped).toEqual({
      count: 1,
      firstReason: expect.stringMatching(/^event 1: intuitaccountid/),
    });

    const mixedLegacy = JSON.stringify({
      eventNotifications: [
        {
          realmId: '1',
          dataChangeEvent: {
            entities: [{ name: 'Invoice', id: '9', operation: 'Create' }, { name: 'Invoice' }],
          },
        },
        { realmId: '2', dataChangeEvent: { entities: [{ name: 'Payment', id: '4', operation: 'Update' }] } },
      ],
    });
    const legacyResult = parseQuickBooksWebhook(
      Buffer.from(mixedLegacy),
      { 'intuit-signature': sign(mixedLegacy) },
      verifier,
    );
    expect(legacyResult.ok && legacyResult.events.map((event) => [event.tenantId, event.entityId])).toEqual([
      ['1', '9'],
      ['2', '4'],
    ]);
    expect(legacyResult.ok && legacyResult.skipped.count).toBe(1);
  });

  it('calls signed bodies that are not webhooks malformed', () => {
    for (const body of ['not json', '{}', '[]', '[{"id":"x"}]', '{"eventNotifications":[]}']) {
      expect(
        parseQuickBooksWebhook(Buffer.from(body), { 'intuit-signature': sign(body) }, verifier),
      ).toMatchObject({
        ok: false,
        reason: 'malformed',
      });
    }
  });
});
