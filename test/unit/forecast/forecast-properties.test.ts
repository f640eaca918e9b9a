import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DebtorSnapshot } from '../../../src/collections/snapshot.js';
import { localMoment } from '../../../src/domain/local-time.js';
import { defaultPolicy } from '../../../src/domain/policy.js';
import { runForward } from '../../../src/forecast/run-forward.js';
import { day, debtor } from '../collections/debtor.js';

const dayMs = 86_400_000;
const from = new Date('2026-11-24T06:30:00Z');
const zones = ['Europe/London', 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Chatham'];
const ladder = ['reminder', 'firm', 'firm-fees', 'demand', 'final'];

const debtorsArbitrary = fc.array(
  fc.record({
    invoices: fc.array(
      fc.record({
        due: fc.integer({ min: -130, max: 25 }),
        status: fc.constantFrom('open', 'open', 'open', 'paid', 'voided'),
        balance: fc.integer({ min: 0, max: 200_000 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    zone: fc.option(fc.constantFrom(...zones), { nil: null }),
    lastSentHoursAgo: fc.option(fc.integer({ min: 1, max: 24 * 20 }), { nil: null }),
    lastStep: fc.constantFrom(...ladder),
    promiseDay: fc.option(fc.integer({ min: -5, max: 20 }), { nil: null }),
    bounced: fc.boolean(),
  }),
  { minLength: 1, maxLength: 5 },
);

type Shapes = typeof debtorsArbitrary extends fc.Arbitrary<infer Shape> ? Shape : never;

function snapshotsOf(shapes: Shapes): DebtorSnapshot[] {
  return shapes.map((shape, index) => {
    const snapshot = debtor(
      shape.invoices.map((invoice) => ({
        dueDate: day(invoice.due),
        status: invoice.status as 'open' | 'paid' | 'voided',
        balanceMinor: invoice.status === 'open' ? invoice.balance : 0,
      })),
      {
        contacts:
          shape.lastSentHoursAgo === null
            ? []
            : [
                {
                  at: new Date(from.getTime() - shape.lastSentHoursAgo * 3_600_000).toISOString(),
                  kind: 'email',
                  steps: [{ invoiceId: 'inv-1', stepKey: shape.lastStep }],
                },
              ],
        promises:
          shape.promiseDay === null
            ? []
            : [
                {
                  invoiceIds: ['inv-1'],
                  promisedDate: day(shape.promiseDay),
                  status: 'open',
                  madeOn: day(-6),
                },
              ],
      },
      { customerId: `cust-${index}`, debtorTimeZone: shape.zone },
    );
    snapshot.contacts = snapshot.contacts.map((contact) => ({ ...contact, bounced: shape.bounced }));
    return snapshot;
  });
}

describe('the forecast keeps the engine’s promises', () => {
  it('never plans two emails to a debtor within the contact cap, never outside working hours, never for an invoice not owed', () => {
    fc.assert(
      fc.property(debtorsArbitrary, (shapes) => {
        const snapshots = snapshotsOf(shapes);
        const entries = runForward(snapshots, defaultPolicy, { from, days: 30 });
        for (const snapshot of snapshots) {
          const owed = new Set(
            snapshot.invoices
              .filter((invoice) => invoice.status === 'open' && invoice.balanceMinor > 0)
              .map((invoice) => invoice.id),
          );
          let last = snapshot.history.contacts[0]?.at ?? null;
          for (const entry of entries.filter((candidate) => candidate.customerId === snapshot.customerId)) {
            for (const invoiceId of entry.invoiceIds) expect(owed.has(invoiceId)).toBe(true);
            if (entry.kind !== 'email') continue;
            if (last) expect(Date.parse(entry.at) - Date.parse(last)).toBeGreaterThanOrEqual(7 * dayMs);
            last = entry.at;
            const local = localMoment(new Date(entry.at), snapshot.debtorTimeZone ?? snapshot.orgTimeZone);
            expect(local.weekday).toBeLessThanOrEqual(5);
            expect(local.hour).toBeGreaterThanOrEqual(defaultPolicy.sendingWindow.startHour);
            expect(local.hour).toBeLessThan(defaultPolicy.sendingWindow.endHour);
            expect(entry.to.length).toBeGreaterThan(0);
          }
          // The snapshots given are not changed by the run.
          expect(snapshot.history.contacts.length).toBeLessThanOrEqual(1);
        }
        expect(snapshots.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });

  it('asks the planner only when its clock moves, and that changes nothing: the same forecast as asking it every hour', () => {
    fc.assert(
      fc.property(debtorsArbitrary, (shapes) => {
        const snapshots = snapshotsOf(shapes);
        const options = { from, days: 30 };
        expect(runForward(snapshots, defaultPolicy, options)).toEqual(
          runForward(snapshots, defaultPolicy, { ...options, everyHour: true }),
        );
      }),
      { numRuns: 40 },
    );
  });
});
