import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { cloudEvent, quickCloudEvent } from '../../connectors/quickbooks/webhooks.js';
import { quickXeroEvent, xeroEvent } from '../../connectors/xero/webhooks.js';

/** Values around each rule's edges: empty, at and past the length limits, other JSON types. */
const odd = fc.oneof(
  fc.constantFrom('', 'x'.repeat(40), 'x'.repeat(41), 'x'.repeat(64), 'x'.repeat(65)),
  fc.constantFrom('x'.repeat(200), 'x'.repeat(201), 'QBO.Payment.Deleted.V12', 'qbo.invoice.updated'),
  fc.constantFrom('qbo..updated.v1', 'xqbo.invoice.updated.v1', 'qbo.invoice.updated.v1 ', undefined),
  fc.string({ maxLength: 70 }),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);
const text = (max: number) => fc.string({ minLength: 1, maxLength: max });

/** Items that mostly fit the rules (`fitting`, one arbitrary per key), some field now and then odd. */
function items(fitting: Record<string, fc.Arbitrary<unknown>>) {
  const field = (arbitrary: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 6, arbitrary }, { weight: 1, arbitrary: odd });
  const keys = Object.keys(fitting);
  return fc.oneof(
    {
      weight: 9,
      arbitrary: fc.record(Object.fromEntries(keys.map((key) => [key, field(fitting[key] ?? odd)]))),
    },
    { weight: 1, arbitrary: odd },
  );
}

function agreesWithSchema(
  schema: z.ZodType,
  quick: (item: unknown) => unknown,
  fitting: Record<string, fc.Arbitrary<unknown>>,
) {
  let taken = 0;
  let left = 0;
  fc.assert(
    fc.property(items(fitting), (item) => {
      const read = quick(item);
      const parsed = schema.safeParse(item);
      // What the quick reader takes, the schema takes, with the same fields.
      if (read !== undefined) {
        taken += 1;
        expect(parsed.success).toBe(true);
        expect(read).toEqual(parsed.data);
      } else if (!parsed.success) left += 1;
    }),
    { numRuns: 4000 },
  );
  // Both kinds of item were tried.
  expect(taken).toBeGreaterThan(500);
  expect(left).toBeGreaterThan(500);
}

describe('webhook events read without zod', () => {
  it('take only what the schema takes, read as the schema reads it', () => {
    agreesWithSchema(cloudEvent, quickCloudEvent, {
      id: text(200),
      type: fc.constantFrom('qbo.invoice.updated.v1', 'qbo.creditmemo.deleted.v2', 'QBO.Payment.Voided.V10'),
      time: fc.oneof(fc.string(), fc.constant(undefined)),
      intuitaccountid: text(64),
      intuitentityid: text(64),
      specversion: fc.constant('1.0'),
    });
    agreesWithSchema(xeroEvent, quickXeroEvent, {
      resourceId: text(64),
      tenantId: text(64),
      eventCategory: text(40),
      eventType: text(40),
      eventDateUtc: fc.oneof(fc.string(), fc.constant(undefined)),
      resourceUrl: fc.oneof(fc.string(), fc.constant(undefined)),
      tenantType: fc.oneof(fc.string(), fc.constant(undefined)),
    });
  });

  it('take the vendors’ usual events, so the schema is left for the odd ones', () => {
    const quickBooks = {
      specversion: '1.0',
      id: '0ae1f4d7-3b0c-4c29-9d5c-2f4a4b1e7e11',
      source: 'intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=',
      type: 'qbo.invoice.updated.v1',
      datacontenttype: 'application/json',
      time: '2026-11-20T10:00:00.000Z',
      intuitentityid: '1234',
      intuitaccountid: '9130355377384706',
      data: {},
    };
    expect(quickCloudEvent(quickBooks)).toEqual(cloudEvent.parse(quickBooks));
    const withoutTime = { ...quickBooks, time: undefined };
    expect(quickCloudEvent(withoutTime)).toEqual(cloudEvent.parse(withoutTime));
    const xero = {
      resourceUrl: 'https://api.xero.com/api.xro/2.0/Invoices/6b1a2e2a-0bb0-4c1f-9d5c-1f4f5e6a7b8c',
      resourceId: '6b1a2e2a-0bb0-4c1f-9d5c-1f4f5e6a7b8c',
      eventDateUtc: '2026-11-20T10:00:00.000',
      eventType: 'UPDATE',
      eventCategory: 'INVOICE',
      tenantId: 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f',
      tenantType: 'ORGANISATION',
    };
    expect(quickXeroEvent(xero)).toEqual(xeroEvent.parse(xero));
    // The odd ones are left to the schema.
    expect(quickCloudEvent({ ...quickBooks, type: 'invoice.updated' })).toBeUndefined();
    expect(quickXeroEvent({ ...xero, tenantId: '' })).toBeUndefined();
  });
});
