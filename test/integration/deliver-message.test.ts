import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import type { RenderEmail } from '../../src/collections/apply-plan.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { advisoryLockHeld, withAdvisoryLock } from '../../src/db/advisory-lock.js';
import { collectionSteps, ledgerWrites, outboundMessages } from '../../src/db/schema/index.js';
import { deliverMessage } from '../../src/messaging/delivery/deliver-message.js';
import type { DeliveryDeps } from '../../src/messaging/delivery/deps.js';
import { createLocalTransport, type LocalTransport } from '../../src/messaging/transport/local.js';
import type { EmailTransport } from '../../src/messaging/transport/types.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const dayFromToday = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const seed: CompanySeed = {
  name: 'Deliver Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Pays Late', email: 'ap@late.example' },
    { id: '2', displayName: 'Still Owes', email: 'ap@owes.example' },
    { id: '3', displayName: 'Crashy', email: 'ap@crashy.example' },
    { id: '4', displayName: 'Unknown', email: 'ap@unknown.example' },
  ],
  invoices: ['1', '2', '3', '4'].map((customerId) => ({
    id: `10${customerId}`,
    customerId,
    total: 25_000,
    status: 'overdue' as const,
    dueDate: dayFromToday(-3),
  })),
};
const render: RenderEmail = async (action, snapshot) => ({
  subject: `Reminder for ${snapshot.customerName}`,
  html: `<p>${action.invoiceSteps.length}</p>`,
  text: `${action.invoiceSteps.length}`,
});

describe('delivering a message exactly once', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  let transport: LocalTransport;
  const db = () => qbo.runtime.database.db;
  const deps = (override: Partial<DeliveryDeps> = {}): DeliveryDeps => ({
    db: db(),
    ledger: qbo.runtime.ledger,
    transport,
    from: { email: 'reminders@dunwell.example', name: 'Deliver Ltd' },
    links: portalClient(qbo).links,
    unsubscribeUrl: ({ id }) => `https://dunwell.example/opt-out/${id}`,
    now: () => new Date(),
    ...override,
  });
  const messageFor = async (subject: string) =>
    (await db().select().from(outboundMessages).where(eq(outboundMessages.subject, subject)))[0];

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    ({ orgId } = await qbo.connectAndSync());
    // A Wednesday morning in the organisation's time zone (UTC), inside the sending window.
    const wednesday = new Date(`${dayFromToday(0)}T11:00:00Z`);
    while (wednesday.getUTCDay() !== 3) wednesday.setUTCDate(wednesday.getUTCDate() + 1);
    const result = await evaluateOrganisation(db(), orgId, { now: wednesday, render });
    expect(result.emails).toBe(4);
  }, 120_000);
  beforeEach(() => {
    transport = createLocalTransport();
  });
  afterAll(() => qbo?.stop());

  it('cancels a message whose invoice was paid in the ledger after it was planned', async () => {
    qbo.emulator
      .changes(qbo.realmId)
      .receivePayment({ customerId: '1', amount: 25_000, invoiceIds: ['101'] });
    const message = await messageFor('Reminder for Pays Late');
    expect(await deliverMessage(deps(), message?.id ?? '')).toBe('cancelled');
    expect(transport.sent()).toEqual([]);
    expect((await messageFor('Reminder for Pays Late'))?.status).toBe('cancelled');
    // Its steps are released, so the next evaluation plans what is still due afresh.
    expect(
      await db()
        .select()
        .from(collectionSteps)
        .where(
          and(eq(collectionSteps.orgId, orgId), eq(collectionSteps.effectKey, message?.idempotencyKey ?? '')),
        ),
    ).toEqual([]);
  });

  it('sends what is still owed, once, and leaves the collection note on the invoice', async () => {
    const message = await messageFor('Reminder for Still Owes');
    expect(await deliverMessage(deps(), message?.id ?? '')).toBe('sent');
    expect(await deliverMessage(deps(), message?.id ?? '')).toBe('not_due');
    expect(transport.sent().map((email) => email.to[0]?.email)).toEqual(['ap@owes.example']);
    expect(transport.sent()[0]?.unsubscribeUrl).toBe(`https://dunwell.example/opt-out/${message?.id}`);
    // One note for the message, naming every invoice it covered.
    const notes = await db()
      .select()
      .from(ledgerWrites)
      .where(eq(ledgerWrites.idempotencyKey, `note:${message?.idempotencyKey}`));
    const covered = await db()
      .select({ invoiceId: collectionSteps.invoiceId })
      .from(collectionSteps)
      .where(eq(collectionSteps.effectKey, message?.idempotencyKey ?? ''));
    expect(notes[0]?.payload['invoiceIds']).toEqual(covered.map((step) => step.invoiceId));
    expect(notes).toHaveLength(1);
    expect(String(notes[0]?.payload['text'])).toMatch(/emailed "Reminder for Still Owes" to ap@owes.example/);
  });

  it('after a crash once the provider took it, looks it up instead of sending it again', async () => {
    const message = await messageFor('Reminder for Crashy');
    transport.failNext('unavailable-after-accept');
    const triedAt = new Date(Date.now() - 600_000);
    await expect(deliverMessage(deps({ now: () => triedAt }), message?.id ?? '')).rejects.toThrow();
    expect(await messageFor('Reminder for Crashy')).toMatchObject({
      status: 'sending',
      sendingSince: triedAt,
    });
    // The provider is searched from when the attempt began, whenever the recovery runs.
    const searchedFrom: Date[] = [];
    const watched: EmailTransport = {
      ...transport,
      lookup: (id, sentAfter) => {
        searchedFrom.push(sentAfter);
        return transport.lookup(id, sentAfter);
      },
    };
    expect(await deliverMessage(deps({ transport: watched }), message?.id ?? '')).toBe('sent');
    expect(searchedFrom).toEqual([triedAt]);
    expect(transport.sent()).toHaveLength(1);
  });

  it('after a crash of the process once the local transport took it, a new process finds it sent (#17)', async () => {
    const message = await messageFor('Reminder for Crashy');
    const byId = async () =>
      (
        await db()
          .select()
          .from(outboundMessages)
          .where(eq(outboundMessages.id, message?.id ?? ''))
      )[0];
    // Back to how a crash would leave it: "sending", handed to the transport, never marked sent.
    await db()
      .update(outboundMessages)
      .set({ status: 'pending', sendingSince: null, sentAt: null, providerMessageId: null })
      .where(eq(outboundMessages.id, message?.id ?? ''));
    const before = createLocalTransport({ db: db() });
    const crashing: EmailTransport = {
      ...before,
      send: async (email) => {
        await before.send(email);
        throw new Error('the process died here');
      },
    };
    const triedAt = new Date(Date.now() - 600_000);
    await expect(
      deliverMessage(deps({ transport: crashing, now: () => triedAt }), message?.id ?? ''),
    ).rejects.toThrow('the process died here');
    expect((await byId())?.status).toBe('sending');
    expect(before.sent()).toHaveLength(1);
    // The restarted process has a new transport with nothing in memory: its lookup reads the record.
    const after = createLocalTransport({ db: db() });
    expect(await deliverMessage(deps({ transport: after }), message?.id ?? '')).toBe('sent');
    expect(after.sent()).toEqual([]);
    expect(await byId()).toMatchObject({
      status: 'sent',
      providerMessageId: (await before.lookup(message?.id ?? '', triedAt)).providerMessageId,
    });
    expect((await after.lookup(message?.id ?? '', triedAt)).status).toBe('sent');
    expect((await after.lookup(crypto.randomUUID(), triedAt)).status).toBe('not_sent');
  });

  it('marks a message uncertain for a person when the provider cannot say whether it went', async () => {
    const message = await messageFor('Reminder for Unknown');
    // Marked "sending" a moment ago: its send may still be on its way, so it is left alone.
    await db()
      .update(outboundMessages)
      .set({ status: 'sending', sendingSince: new Date() })
      .where(eq(outboundMessages.id, message?.id ?? ''));
    const untouchable: EmailTransport = {
      name: 'sendgrid',
      send: async () => {
        throw new Error('must not send while in flight');
      },
      lookup: async () => {
        throw new Error('must not look up while in flight');
      },
    };
    expect(await deliverMessage(deps({ transport: untouchable }), message?.id ?? '')).toBe('not_due');
    expect((await messageFor('Reminder for Unknown'))?.status).toBe('sending');
    // Its attempt began ten minutes ago and never reported back.
    await db()
      .update(outboundMessages)
      .set({ status: 'sending', sendingSince: new Date(Date.now() - 600_000) })
      .where(eq(outboundMessages.id, message?.id ?? ''));
    const blind: EmailTransport = {
      name: 'sendgrid',
      send: async () => {
        throw new Error('must not send again');
      },
      lookup: async () => ({ status: 'unknown' }),
    };
    expect(await deliverMessage(deps({ transport: blind }), message?.id ?? '')).toBe('uncertain');
    expect((await messageFor('Reminder for Unknown'))?.status).toBe('uncertain');
  });

  it('looks up at once a message claimed by a job whose lock is gone (its worker died), not after two minutes (#17)', async () => {
    const message = await messageFor('Reminder for Unknown');
    const deadJob = 'job:collections.deliver-due:a-worker-that-will-die';
    const claimedJustNow = async (sendingBy: string) =>
      db()
        .update(outboundMessages)
        .set({ status: 'sending', sendingSince: new Date(), sendingBy, lastError: null })
        .where(eq(outboundMessages.id, message?.id ?? ''));
    const asJob = (key: string) =>
      deps({ claimant: { key, isHeld: (held) => advisoryLockHeld(db(), held) } });
    const pool = qbo.runtime.database.pool;

    await claimedJustNow(deadJob);
    // While that job holds its lock, its send may be under way: left alone.
    await withAdvisoryLock(pool, deadJob, async () => {
      expect(await advisoryLockHeld(db(), deadJob)).toBe(true);
      expect(await deliverMessage(asJob('job:collections.deliver-message:other'), message?.id ?? '')).toBe(
        'not_due',
      );
    });
    expect(transport.sent()).toEqual([]);
    // The lock is free (the worker died with its connection): looked up, not found, sent — once.
    expect(await advisoryLockHeld(db(), deadJob)).toBe(false);
    expect(await deliverMessage(asJob('job:collections.deliver-message:other'), message?.id ?? '')).toBe(
      'sent',
    );
    expect(transport.sent()).toHaveLength(1);
    expect((await messageFor('Reminder for Unknown'))?.sendingBy).toBe(
      'job:collections.deliver-message:other',
    );

    // A claim by this very job's earlier attempt (a retry holds the same lock): over, looked up at once.
    const ownJob = 'job:collections.deliver-due:this-org';
    await claimedJustNow(ownJob);
    await withAdvisoryLock(pool, ownJob, async () => {
      const found = createLocalTransport();
      expect(await deliverMessage({ ...asJob(ownJob), transport: found }, message?.id ?? '')).toBe('sent');
      expect(found.sent()).toHaveLength(1);
    });
  });
});
