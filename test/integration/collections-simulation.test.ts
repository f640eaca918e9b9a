import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import {
  collectionFlags,
  collectionSteps,
  customers,
  ledgerWrites,
  outboundMessages,
} from '../../src/db/schema/index.js';
import { defaultPolicy } from '../../src/domain/policy.js';
import { deliverLedgerWrite } from '../../src/ledger-writes/deliver-ledger-write.js';
import { deliverMessage } from '../../src/messaging/delivery/deliver-message.js';
import { createLocalTransport } from '../../src/messaging/transport/local.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const DAY_MS = 86_400_000;
/** Day 0 of the simulation: a Monday, 11:00 UTC (the organisation's zone), on or after today. */
const dayZero = (() => {
  const day = new Date(`${new Date().toISOString().slice(0, 10)}T11:00:00Z`);
  while (day.getUTCDay() !== 1) day.setUTCDate(day.getUTCDate() + 1);
  return day;
})();
const simulatedDay = (offset: number) => new Date(dayZero.getTime() + offset * DAY_MS);
const isoDay = (offset: number) => simulatedDay(offset).toISOString().slice(0, 10);
const dueDay = 3;
const paymentDay = 8;
const simulatedDays = 130;

const seed: CompanySeed = {
  name: 'Simulation Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Never Answers', email: 'ap@silent.example' },
    { id: '2', displayName: 'Pays Eventually', email: 'ap@pays.example' },
  ],
  invoices: [
    { id: '201', customerId: '1', total: 120_000, status: 'open', dueDate: isoDay(dueDay) },
    { id: '202', customerId: '2', total: 40_000, status: 'open', dueDate: isoDay(dueDay) },
  ],
};

describe(`${simulatedDays} simulated days of collections against a QuickBooks company`, () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  const transport = createLocalTransport();
  const db = () => qbo.runtime.database.db;
  const customerIds = new Map<string, string>();

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    ({ orgId } = await qbo.connectAndSync());
    for (const row of await db().select().from(customers)) customerIds.set(row.name, row.id);

    for (let day = 0; day <= simulatedDays; day += 1) {
      const now = simulatedDay(day);
      if (day === paymentDay) {
        // Paid in QuickBooks; Dunwell's mirror does not know yet (no sync runs in this simulation).
        qbo.emulator
          .changes(qbo.realmId)
          .receivePayment({ customerId: '2', amount: 40_000, invoiceIds: ['202'] });
      }
      // Planned without rendering, as the hourly job does: each reminder is rendered when it is sent.
      await evaluateOrganisation(db(), orgId, { now });
      const due = await db()
        .select({ id: outboundMessages.id })
        .from(outboundMessages)
        .where(and(eq(outboundMessages.status, 'pending'), lte(outboundMessages.sendAfter, now)));
      for (const message of due) {
        await deliverMessage(
          {
            db: db(),
            ledger: qbo.runtime.ledger,
            transport,
            from: { email: 'reminders@dunwell.example', name: 'Simulation Ltd' },
            links: portalClient(qbo).links,
            unsubscribeUrl: ({ id }) => `https://dunwell.example/opt-out/${id}`,
            now: () => now,
          },
          message.id,
        );
      }
      const writes = await db()
        .select({ id: ledgerWrites.id })
        .from(ledgerWrites)
        .where(eq(ledgerWrites.status, 'pending'));
      for (const write of writes) await deliverLedgerWrite(qbo.runtime.ledger, write.id);
    }
  }, 300_000);
  afterAll(() => qbo?.stop());

  const sentTo = (name: string) =>
    db()
      .select({
        at: outboundMessages.sentAt,
        status: outboundMessages.status,
        key: outboundMessages.idempotencyKey,
      })
      .from(outboundMessages)
      .where(eq(outboundMessages.customerId, customerIds.get(name) ?? ''))
      .orderBy(asc(outboundMessages.createdAt));
  const stepsOf = async (name: string) =>
    db()
      .select({
        stepKey: collectionSteps.stepKey,
        kind: collectionSteps.kind,
        takenAt: collectionSteps.takenAt,
      })
      .from(collectionSteps)
      .where(eq(collectionSteps.customerId, customerIds.get(name) ?? ''))
      .orderBy(asc(collectionSteps.takenAt));

  it('takes the silent debtor through every step in order, one at a time, never within 7 days, in working hours', async () => {
    const steps = await stepsOf('Never Answers');
    const emailSteps = steps.filter((step) => step.kind === 'email').map((step) => step.stepKey);
    const policyEmails = defaultPolicy.steps
      .filter((step) => step.action === 'email')
      .map((step) => step.key);
    expect(emailSteps).toEqual(policyEmails);

    const sent = (await sentTo('Never Answers')).filter((message) => message.status === 'sent');
    expect(sent).toHaveLength(policyEmails.length);
    expect(transport.sent().filter((email) => email.to[0]?.email === 'ap@silent.example')).toHaveLength(
      policyEmails.length,
    );
    const times = sent.map((message) => message.at?.getTime() ?? 0);
    for (const [index, at] of times.entries()) {
      const when = new Date(at);
      expect([0, 6]).not.toContain(when.getUTCDay());
      expect(when.getUTCHours()).toBeGreaterThanOrEqual(defaultPolicy.sendingWindow.startHour);
      if (index > 0) expect(at - (times[index - 1] ?? 0)).toBeGreaterThanOrEqual(7 * DAY_MS);
    }
    // No step before its day: each email step is taken on or after due date + its offset.
    const offsets = new Map(defaultPolicy.steps.map((step) => [step.key, step.offsetDays]));
    for (const step of steps.filter((entry) => entry.kind === 'email')) {
      const earliest = simulatedDay(dueDay + (offsets.get(step.stepKey) ?? 0)).getTime() - 11 * 3_600_000;
      expect(step.takenAt.getTime()).toBeGreaterThanOrEqual(earliest);
    }
  });

  it('flags the silent debtor once, for agency referral, and raises no second flag while that one waits for a person', async () => {
    const flags = await db()
      .select({
        kinds: collectionFlags.kinds,
        status: collectionFlags.status,
        createdAt: collectionFlags.createdAt,
      })
      .from(collectionFlags)
      .where(eq(collectionFlags.customerId, customerIds.get('Never Answers') ?? ''))
      .orderBy(asc(collectionFlags.createdAt));
    expect(flags.map((flag) => flag.kinds)).toEqual([['agency_referral']]);
    expect(flags.every((flag) => flag.status === 'pending')).toBe(true);
  });

  it('stops writing to the debtor who paid: the message planned before the sync knew is cancelled, nothing after', async () => {
    const messages = await sentTo('Pays Eventually');
    const sent = messages.filter((message) => message.status === 'sent');
    expect(sent.every((message) => (message.at?.getTime() ?? 0) < simulatedDay(paymentDay).getTime())).toBe(
      true,
    );
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(messages.filter((message) => message.status === 'cancelled')).toHaveLength(1);
    expect(messages.at(-1)?.status).toBe('cancelled');
    expect(transport.sent().filter((email) => email.to[0]?.email === 'ap@pays.example')).toHaveLength(
      sent.length,
    );
  });

  it('leaves a collection note in QuickBooks for every email sent and every flag raised, once', async () => {
    const notesOn = (invoiceId: string) =>
      qbo.emulator
        .company(qbo.realmId)
        .attachables.filter((attachable) =>
          JSON.stringify(attachable['AttachableRef'] ?? '').includes(`"${invoiceId}"`),
        );
    const silentSent = (await sentTo('Never Answers')).filter((message) => message.status === 'sent').length;
    expect(notesOn('201')).toHaveLength(silentSent + 1);
    const paidSent = (await sentTo('Pays Eventually')).filter((message) => message.status === 'sent').length;
    expect(notesOn('202')).toHaveLength(paidSent);
    const undelivered = await db()
      .select({ id: ledgerWrites.id })
      .from(ledgerWrites)
      .where(inArray(ledgerWrites.status, ['pending', 'failed']));
    expect(undelivered).toEqual([]);
  });

  it('makes each reminder due from the simulated instant it was planned, not from the wall clock', async () => {
    const planned = await db()
      .select({ sendAfter: outboundMessages.sendAfter, takenAt: collectionSteps.takenAt })
      .from(outboundMessages)
      .innerJoin(
        collectionSteps,
        and(
          eq(collectionSteps.customerId, outboundMessages.customerId),
          eq(collectionSteps.effectKey, outboundMessages.idempotencyKey),
        ),
      );
    expect(planned.length).toBeGreaterThan(0);
    for (const row of planned) expect(row.sendAfter.toISOString()).toBe(row.takenAt.toISOString());
  });
});
