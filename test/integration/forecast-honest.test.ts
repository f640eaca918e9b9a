import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import {
  collectionSteps,
  customerContacts,
  customers,
  invoices,
  organisations,
  outboundMessages,
  paymentPromises,
} from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { forecastDays, forecastOf, loadForecastInputs } from '../../src/forecast/forecast.js';
import { deliveryLagMs, evaluationInstants, type ForecastEntry } from '../../src/forecast/run-forward.js';
import { deliverDue } from '../../src/messaging/delivery/delivery-run.js';
import { createLocalTransport } from '../../src/messaging/transport/local.js';
import { seedFinalNotice } from '../helpers/journey.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

/**
 * The simulated start: a Monday about 100 days ahead, so that nothing is due at the real time the
 * runtime's own jobs run (its evaluation after the first sync, its hourly one), and the 30 days
 * cross the spring's public holidays in England some years.
 */
const start = (() => {
  const day = new Date(`${addDays(new Date().toISOString().slice(0, 10), 100)}T00:00:00Z`);
  while (day.getUTCDay() !== 1) day.setUTCDate(day.getUTCDate() + 1);
  return day;
})();
const startDay = start.toISOString().slice(0, 10);
const due = (days: number) => addDays(startDay, days);

const seed: CompanySeed = {
  name: 'Forecast Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Silent Ltd', email: 'ap@silent.example' },
    { id: '2', displayName: 'Heads Up Ltd', email: 'ap@headsup.example' },
    { id: '3', displayName: 'Promised Ltd', email: 'ap@promised.example' },
    { id: '4', displayName: 'No Address Ltd', email: null },
    { id: '5', displayName: 'Far Away Ltd', email: 'ap@faraway.example' },
    { id: '6', displayName: 'Final Ltd', email: 'ap@final.example' },
    { id: '7', displayName: 'Escalated Ltd', email: 'ap@escalated.example' },
    { id: '8', displayName: 'Opted Out Ltd', email: 'ap@optedout.example' },
    { id: '9', displayName: 'Two Invoices Ltd', email: 'ap@two.example' },
  ],
  invoices: [
    { id: '101', customerId: '1', total: 120_000, status: 'open', dueDate: due(-8) },
    { id: '201', customerId: '2', total: 40_000, status: 'open', dueDate: due(5) },
    { id: '301', customerId: '3', total: 60_000, status: 'open', dueDate: due(-20) },
    { id: '401', customerId: '4', total: 30_000, status: 'open', dueDate: due(-3), billEmail: null },
    { id: '501', customerId: '5', total: 75_000, status: 'open', dueDate: due(-15) },
    { id: '601', customerId: '6', total: 90_000, status: 'open', dueDate: due(-70) },
    { id: '701', customerId: '7', total: 55_000, status: 'open', dueDate: due(-25) },
    { id: '801', customerId: '8', total: 20_000, status: 'open', dueDate: due(-2) },
    { id: '901', customerId: '9', total: 10_000, status: 'open', dueDate: due(-1) },
    { id: '902', customerId: '9', total: 15_000, status: 'open', dueDate: due(12) },
  ],
};

interface Done {
  at: string;
  customer: string;
  kind: string;
  stepKey: string;
  to: string[];
  cc: string[];
  awaitsApproval: boolean;
}

describe('the forecast is what the engine then does', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  let forecast: ForecastEntry[];
  const names = new Map<string, string>();
  const transport = createLocalTransport({ keep: 1_000 });
  const db = () => qbo.runtime.database.db;

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    ({ orgId } = await qbo.connectAndSync());
    const rows = await db().select().from(customers).where(eq(customers.orgId, orgId));
    for (const row of rows) names.set(row.id, row.name);
    const id = (name: string) => rows.find((row) => row.name === name)?.id ?? '';
    // The engine sends (a newly connected organisation starts in preview; the forecast shows what
    // would go either way).
    await db().update(organisations).set({ sending: 'live' }).where(eq(organisations.id, orgId));
    // What the ledger does not say: a zone far away, an escalation contact, an opt-out, a promise.
    await db()
      .update(customers)
      .set({ timeZone: 'Pacific/Auckland' })
      .where(eq(customers.id, id('Far Away Ltd')));
    await db()
      .update(customers)
      .set({ optedOutAt: start })
      .where(eq(customers.id, id('Opted Out Ltd')));
    await db()
      .insert(customerContacts)
      .values({
        orgId,
        customerId: id('Escalated Ltd'),
        name: 'The Director',
        email: 'director@escalated.example',
        role: 'escalation',
        source: 'manual',
      });
    const [promised] = await db()
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.orgId, orgId), eq(invoices.customerId, id('Promised Ltd'))));
    await db()
      .insert(paymentPromises)
      .values({
        orgId,
        customerId: id('Promised Ltd'),
        invoiceIds: [promised?.id ?? ''],
        promisedDate: due(4),
        source: 'portal',
      });
    await seedFinalNotice(db(), orgId, 'Final Ltd', start, 10);

    const inputs = await loadForecastInputs(db(), orgId, { now: start });
    if (!inputs) throw new Error('no organisation');
    forecast = forecastOf(inputs, { from: start }).entries;

    // The engine through the same 30 days: every hourly evaluation, then a delivery run, nothing paid.
    const deps = {
      db: db(),
      ledger: qbo.runtime.ledger,
      transport,
      from: { email: 'reminders@dunwell.example', name: 'Forecast Ltd' },
      links: portalClient(qbo).links,
      unsubscribeUrl: ({ id: messageId }: { id: string }) => `https://dunwell.example/opt-out/${messageId}`,
    };
    for (const now of evaluationInstants(start, forecastDays)) {
      const planned = await evaluateOrganisation(db(), orgId, { now });
      // The delivery run follows within the minute, as the forecast assumes (deliveryLagMs).
      const sending = new Date(now.getTime() + deliveryLagMs);
      if (planned.emails > 0) await deliverDue({ ...deps, now: () => sending }, orgId);
    }
  }, 600_000);
  afterAll(() => qbo?.stop());

  /** What the engine did: each effect once, when it was taken, with an email's recipients and state. */
  const done = async (): Promise<Done[]> => {
    const steps = await db()
      .select()
      .from(collectionSteps)
      .where(eq(collectionSteps.orgId, orgId))
      .orderBy(asc(collectionSteps.takenAt));
    const messages = await db().select().from(outboundMessages).where(eq(outboundMessages.orgId, orgId));
    const effects = new Map<string, Done>();
    for (const step of steps) {
      if (step.takenAt < start || effects.has(step.effectKey)) continue;
      const message = messages.find((row) => row.idempotencyKey === step.effectKey);
      if (message?.status === 'sent')
        expect(message.sentAt?.getTime()).toBe(step.takenAt.getTime() + deliveryLagMs);
      effects.set(step.effectKey, {
        at: step.takenAt.toISOString(),
        customer: names.get(step.customerId) ?? step.customerId,
        kind: step.kind,
        stepKey: step.stepKey,
        to: (message?.to ?? []).map((address) => address.email),
        cc: (message?.cc ?? []).map((address) => address.email),
        awaitsApproval: message?.status === 'awaiting_approval',
      });
    }
    return [...effects.values()];
  };
  const forecastAsDone = (): Done[] =>
    forecast.map((entry) => ({
      at: entry.at,
      customer: entry.customerName,
      kind: entry.kind,
      stepKey: entry.stepKey,
      to: entry.to,
      cc: entry.cc,
      awaitsApproval: entry.awaitsApproval,
    }));
  const order = (list: Done[]) =>
    [...list].sort((a, b) =>
      `${a.at}${a.customer}${a.stepKey}`.localeCompare(`${b.at}${b.customer}${b.stepKey}`),
    );

  it('forecasts every email, task and flag the engine then sends or raises: same hour, customer, step and recipients', async () => {
    const actual = await done();
    expect(actual.length).toBeGreaterThan(15);
    expect(order(forecastAsDone())).toEqual(order(actual));
  });

  it('covers the cases that make it worth checking', async () => {
    const steps = (customer: string) =>
      forecast.filter((entry) => entry.customerName === customer).map((entry) => entry.stepKey);
    expect(steps('Heads Up Ltd')).toEqual(['heads-up', 'reminder', 'firm', 'firm-fees']);
    expect(steps('No Address Ltd')).toEqual(['find-address']);
    expect(steps('Opted Out Ltd')).toEqual(['contact-another-way']);
    expect(steps('Final Ltd')).toContain('agency');
    expect(
      forecast.find((entry) => entry.stepKey === 'demand' && entry.customerName === 'Escalated Ltd')?.cc,
    ).toEqual(['director@escalated.example']);
    const promised = forecast.filter((entry) => entry.customerName === 'Promised Ltd');
    expect(promised[0]?.day).toBe(due(8));
    expect(promised[0]?.why).toContain('broken promise');
    // Monday 00:07 in London is past 09:00 in Auckland: the first hour of the forecast.
    const faraway = forecast.find((entry) => entry.customerName === 'Far Away Ltd');
    expect(faraway?.at).toBe(`${startDay}T00:07:00.000Z`);
    const london = forecast.filter(
      (entry) => entry.customerName !== 'Far Away Ltd' && entry.kind === 'email',
    );
    for (const entry of london) expect(Number(entry.at.slice(11, 13))).toBeGreaterThanOrEqual(8);
    const sent = await db()
      .select({ id: outboundMessages.id })
      .from(outboundMessages)
      .where(and(eq(outboundMessages.orgId, orgId), inArray(outboundMessages.status, ['sent'])));
    expect(transport.sent()).toHaveLength(sent.length);
  });
});
