import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { plannedNow } from '../../src/collections/planned-now.js';
import {
  activityLog,
  collectionFlags,
  collectionSteps,
  collectionTasks,
  customers,
  ledgerWrites,
  organisations,
  outboundMessages,
  users,
} from '../../src/db/schema/index.js';
import { addDays, localMoment } from '../../src/domain/local-time.js';
import { AppError } from '../../src/errors.js';
import { claim } from '../../src/messaging/delivery/claim.js';
import { deliverMessage } from '../../src/messaging/delivery/deliver-message.js';
import { deliverDue } from '../../src/messaging/delivery/delivery-run.js';
import type { DeliveryDeps } from '../../src/messaging/delivery/deps.js';
import { createLocalTransport, type LocalTransport } from '../../src/messaging/transport/local.js';
import { goLive, goLiveChecklist, pauseSending } from '../../src/organisations/go-live.js';
import { sendTestEmail, testEmailsPerHour } from '../../src/organisations/test-email.js';
import type { ServiceContext } from '../../src/services/context.js';
import { Browser } from '../helpers/dunwell-harness.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const dayMs = 86_400_000;
const dayFromToday = (offset: number) => new Date(Date.now() + offset * dayMs).toISOString().slice(0, 10);
const owner = 'Owner@Harbour-Joinery.example';

const seed: CompanySeed = {
  name: 'Harbour Joinery',
  homeCurrency: 'USD',
  country: 'US',
  region: 'CA',
  user: { email: owner, givenName: 'Hana', familyName: 'Harbour' },
  customers: [
    { id: '1', displayName: 'Overdue One', email: 'ap@one.example' },
    { id: '2', displayName: 'Overdue Two', email: 'ap@two.example' },
    { id: '3', displayName: 'Due Soon', email: 'ap@soon.example' },
  ],
  invoices: [
    {
      id: '11',
      docNumber: 'O-11',
      customerId: '1',
      total: 10_000,
      status: 'overdue',
      dueDate: dayFromToday(-10),
    },
    {
      id: '21',
      docNumber: 'O-21',
      customerId: '2',
      total: 20_000,
      status: 'overdue',
      dueDate: dayFromToday(-12),
    },
    // Due three days after the first moment the tests plan at: its heads-up is due then, not past.
    {
      id: '31',
      docNumber: 'S-31',
      customerId: '3',
      total: 30_000,
      status: 'open',
      dueDate: addDays(localMoment(businessMoment(1), 'America/Los_Angeles').date, 3),
    },
  ],
};

/** The first moment from `days` ahead that is 11:00 on a weekday in Los Angeles (business hours). */
function businessMoment(days: number): Date {
  for (let offset = days; offset < days + 10; offset += 1) {
    const candidate = new Date(`${dayFromToday(offset)}T19:00:00Z`);
    const local = localMoment(candidate, 'America/Los_Angeles');
    const weekday = new Date(`${local.date}T12:00:00Z`).getUTCDay();
    const holiday = /-(12-25|01-01|07-04)$/.test(local.date);
    if (weekday >= 1 && weekday <= 5 && !holiday) return candidate;
  }
  throw new Error('no business moment found');
}

describe('safe go-live: a new organisation plans, sends nothing until it goes live, and a pause holds everything', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  let ctx: (now: Date) => ServiceContext;
  let transport: LocalTransport;
  let browser: Browser;
  const db = () => qbo.runtime.database.db;
  const deps = (now: Date): DeliveryDeps => ({
    db: db(),
    ledger: qbo.runtime.ledger,
    transport,
    from: { email: 'reminders@dunwell.example', name: 'Harbour Joinery' },
    links: portalClient(qbo).links,
    unsubscribeUrl: () => null,
    now: () => now,
  });
  const messages = () => db().select().from(outboundMessages).where(eq(outboundMessages.orgId, orgId));
  const debtorMessages = async () => (await messages()).filter((row) => row.customerId !== null);
  const customerOf = async (externalId: string) =>
    (
      await db()
        .select({ id: customers.id })
        .from(customers)
        .where(and(eq(customers.orgId, orgId), eq(customers.externalId, externalId)))
    )[0]?.id ?? '';

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    browser = new Browser();
    const { connectionId } = await browser.connect(qbo.runtime.url, 'quickbooks', { preview: true });
    await qbo.waitForSync(connectionId, (row) => row.syncProgress?.phase === 'done');
    const [organisation] = await db().select().from(organisations);
    orgId = organisation?.id ?? '';
    const [user] = await db().select({ id: users.id }).from(users);
    ctx = (now) => ({ orgId, actor: { kind: 'person', userId: user?.id ?? '' }, db: db(), now });
    transport = createLocalTransport({ keep: 100 });
  }, 180_000);
  afterAll(() => qbo?.stop());

  it('starts a connected company in preview, in its own time zone, with the owner’s verified address offered', async () => {
    const [organisation] = await db().select().from(organisations).where(eq(organisations.id, orgId));
    expect(organisation?.sending).toBe('preview');
    // QuickBooks keeps no time zone: the company address's state (California) stands in for one.
    expect(organisation?.timeZone).toBe('America/Los_Angeles');
    expect(organisation?.settings).toMatchObject({
      contactEmail: owner.toLowerCase(),
      notifyEmail: owner.toLowerCase(),
      weeklySummary: { recipients: [owner.toLowerCase()] },
      timeZoneOrigin: { timeZone: 'America/Los_Angeles', source: 'region' },
    });
    const checklist = await goLiveChecklist(ctx(new Date()));
    expect(checklist.ready).toBe(true);
    expect(checklist.items.find((item) => item.key === 'testEmail')?.done).toBe(false);
  });

  it('shows the checklist: each item with its state, and what would go if it went live', async () => {
    const page = await browser.request(`${qbo.runtime.url}/app/${orgId}/go-live`);
    expect(page.status).toBe(200);
    const text = (await page.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Preview. Dunwell plans every reminder and sends none');
    expect(text).toContain(
      'America/Los_Angeles . QuickBooks keeps no time zone, so this is a guess from your company address',
    );
    expect(text).toContain('If you went live: what would go');
    expect(text).toMatch(/Overdue One : .* to ap@one\.example/);
    // Someone else's organisation is not found.
    const other = await browser.request(
      `${qbo.runtime.url}/app/00000000-0000-4000-8000-000000000000/go-live`,
    );
    expect(other.status).toBe(404);
  });

  it('plans in preview and writes nothing: no email, no task or flag, no step, no ledger note', async () => {
    const now = businessMoment(1);
    const planned = await plannedNow(db(), orgId, { now, limit: 10 });
    // The two overdue customers get their first reminder, the one due soon a heads-up.
    expect(planned.emails).toBe(3);
    expect(planned.actions.map((action) => action.customerName).sort()).toEqual([
      'Due Soon',
      'Overdue One',
      'Overdue Two',
    ]);
    const result = await evaluateOrganisation(db(), orgId, { now });
    expect(result).toMatchObject({ emails: 0, tasks: 0, flags: 0, steps: 0 });
    expect(await messages()).toEqual([]);
    expect(await db().select().from(collectionSteps).where(eq(collectionSteps.orgId, orgId))).toEqual([]);
    expect(await db().select().from(collectionTasks).where(eq(collectionTasks.orgId, orgId))).toEqual([]);
    expect(await db().select().from(collectionFlags).where(eq(collectionFlags.orgId, orgId))).toEqual([]);
    expect(await db().select().from(ledgerWrites).where(eq(ledgerWrites.orgId, orgId))).toEqual([]);
  });

  it('holds a reminder already in the outbox at the last moment before the transport', async () => {
    const now = businessMoment(1);
    const customerId = await customerOf('1');
    const [queued] = await db()
      .insert(outboundMessages)
      .values({
        orgId,
        customerId,
        idempotencyKey: 'smuggled-in',
        to: [{ email: 'ap@one.example' }],
        template: 'reminder',
        renderInputs: {
          stepKey: 'reminder',
          tone: 'neutral',
          template: 'reminder',
          lateFeeNotice: false,
          brokenPromise: null,
          rung: 0,
        },
        sendAfter: now,
      })
      .returning();
    if (!queued) throw new Error('not queued');
    expect(await deliverDue(deps(now), orgId)).toMatchObject({ messages: 0, sent: 0 });
    expect(await deliverMessage(deps(now), queued.id)).toBe('not_due');
    // Even a delivery that read it before the state was checked cannot claim it.
    expect(await claim(deps(now), queued)).toBe(false);
    expect(transport.sent()).toEqual([]);
    const [after] = await db().select().from(outboundMessages).where(eq(outboundMessages.id, queued.id));
    expect(after).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('sends a test email in preview to the person who asks only, a few times an hour', async () => {
    const now = businessMoment(1);
    const { messageId, to } = await sendTestEmail(ctx(now), {});
    expect(to).toBe(owner.toLowerCase());
    expect(await deliverMessage(deps(now), messageId)).toBe('sent');
    const [email] = transport.sent();
    expect(email?.to).toEqual([{ email: owner.toLowerCase() }]);
    expect(email?.subject).toMatch(/^Test: /);
    for (let n = 1; n < testEmailsPerHour; n += 1) await sendTestEmail(ctx(now), {});
    const refused = await sendTestEmail(ctx(now), {}).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).statusCode).toBe(429);
    // An hour later it works again.
    await sendTestEmail(ctx(new Date(now.getTime() + 3_600_001)), {});
    const checklist = await goLiveChecklist(ctx(now));
    expect(checklist.items.find((item) => item.key === 'testEmail')?.done).toBe(true);
    // Nothing reached a customer.
    expect(transport.sent().every((sent) => sent.to[0]?.email === owner.toLowerCase())).toBe(true);
  });

  it('refuses to go live until the essentials are set', async () => {
    const now = businessMoment(1);
    const [organisation] = await db().select().from(organisations).where(eq(organisations.id, orgId));
    const settings = organisation?.settings ?? {};
    await db()
      .update(organisations)
      .set({ settings: { ...settings, contactEmail: null } })
      .where(eq(organisations.id, orgId));
    const refused = await goLive(ctx(now), {}).catch((error: unknown) => error);
    expect((refused as AppError).statusCode).toBe(409);
    expect((refused as AppError).message).toContain('where customers’ replies go');
    await db().update(organisations).set({ settings }).where(eq(organisations.id, orgId));
  });

  it('goes live without a backlog: what waited is taken back and planned afresh, at most one contact each', async () => {
    const now = businessMoment(1);
    const evaluations: string[] = [];
    const { from, withdrawn } = await goLive(ctx(now), {
      evaluate: async (id) => {
        evaluations.push(id);
      },
    });
    expect({ from, withdrawn, evaluations }).toEqual({ from: 'preview', withdrawn: 1, evaluations: [orgId] });
    expect((await debtorMessages()).map((row) => row.idempotencyKey)).not.toContain('smuggled-in');
    const taken = await db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.orgId, orgId), eq(activityLog.kind, 'reminder.withdrawn')));
    expect(taken).toHaveLength(1);

    expect(await evaluateOrganisation(db(), orgId, { now })).toMatchObject({ emails: 3 });
    const queued = await debtorMessages();
    expect(queued).toHaveLength(3);
    expect(new Set(queued.map((row) => row.customerId)).size).toBe(3);
  });

  it('pauses everything queued, and resuming days later sends nothing stale: no late heads-up, cap kept', async () => {
    const now = businessMoment(1);
    const one = await customerOf('1');
    const soon = await customerOf('3');
    const first = (await debtorMessages()).find((row) => row.customerId === one);
    if (!first) throw new Error('no message for customer 1');
    expect(await deliverMessage(deps(now), first.id)).toBe('sent');

    await pauseSending(ctx(now));
    const waiting = (await debtorMessages()).filter((row) => row.status === 'pending');
    expect(waiting).toHaveLength(2);
    // The owner's own emails (the test emails still waiting) go; nothing to a customer does.
    transport.clear();
    await deliverDue(deps(now), orgId);
    expect(transport.sent().filter((sent) => sent.to[0]?.email !== owner.toLowerCase())).toEqual([]);
    for (const message of waiting) expect(await claim(deps(now), message)).toBe(false);
    const headsUp = waiting.find((row) => row.customerId === soon);
    expect(headsUp?.renderInputs?.stepKey).toBe('heads-up');

    // Days later (a weekday, under a week after customer 1 heard from us) the invoice that was due
    // soon is overdue.
    const soonDue = addDays(localMoment(now, 'America/Los_Angeles').date, 3);
    let later = businessMoment(4);
    for (let days = 5; localMoment(later, 'America/Los_Angeles').date <= soonDue; days += 1)
      later = businessMoment(days);
    expect(later.getTime() - now.getTime()).toBeLessThan(7 * dayMs);
    const resumed = await goLive(ctx(later), {});
    expect(resumed).toEqual({ from: 'paused', withdrawn: 2 });
    await evaluateOrganisation(db(), orgId, { now: later });
    const pending = (await debtorMessages()).filter((row) => row.status === 'pending');
    // No heads-up after its day, nothing again for customer 1 within the week, one each for the rest.
    expect(pending.map((row) => row.renderInputs?.stepKey)).not.toContain('heads-up');
    expect(pending.map((row) => row.customerId).sort()).toEqual([await customerOf('2'), soon].sort());
    // Each as the day of resuming calls for: the invoice due soon gets its first reminder.
    expect(pending.find((row) => row.customerId === soon)?.renderInputs?.stepKey).toBe('reminder');
    // The withdrawn messages' steps went with them: only what was planned again holds a step.
    const replanned = new Set(pending.map((row) => row.idempotencyKey));
    const steps = await db()
      .select()
      .from(collectionSteps)
      .where(
        and(
          eq(collectionSteps.orgId, orgId),
          inArray(
            collectionSteps.effectKey,
            waiting.map((row) => row.idempotencyKey),
          ),
        ),
      );
    expect(steps.filter((step) => !replanned.has(step.effectKey))).toEqual([]);
    transport.clear();
    await deliverDue(deps(later), orgId);
    const toDebtors = transport.sent().filter((sent) => sent.to[0]?.email !== owner.toLowerCase());
    expect(toDebtors).toHaveLength(pending.length);
  });
});
