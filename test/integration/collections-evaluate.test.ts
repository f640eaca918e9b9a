import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RenderEmail } from '../../src/collections/apply-plan.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import {
  activityLog,
  collectionFlags,
  collectionSteps,
  collectionTasks,
  customerContacts,
  ledgerConnections,
  ledgerWrites,
  organisations,
  outboundMessages,
} from '../../src/db/schema/index.js';
import { createLogger } from '../../src/logger.js';
import { upsertCustomers, upsertInvoices, upsertPayments } from '../../src/sync/mirror.js';

const render: RenderEmail = async (action, snapshot) => ({
  subject: `${action.stepKey} for ${snapshot.customerName}`,
  html: `<p>${action.invoiceSteps.length} invoice(s)</p>`,
  text: `${action.invoiceSteps.length} invoice(s)`,
});

describe('evaluating an organisation', () => {
  let database: DatabaseHandle;
  let orgId: string;
  const now = new Date('2026-11-24T10:00:00Z');
  const db = () => database.db;

  beforeAll(async () => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 4, logger: createLogger('silent') });
    const [organisation] = await db()
      .insert(organisations)
      .values({ name: 'Evaluate Ltd', currency: 'GBP', timeZone: 'Europe/London' })
      .returning();
    orgId = organisation?.id ?? '';
    const [connection] = await db()
      .insert(ledgerConnections)
      .values({ orgId, vendor: 'xero', tenantId: `tenant-${Date.now()}` })
      .returning();
    const scope = { orgId, connectionId: connection?.id ?? '' };
    const contact = (email: string) => [{ name: null, email, role: 'billing' as const }];
    await upsertCustomers(db(), scope, [
      {
        externalId: 'a',
        name: 'Reminded Ltd',
        active: true,
        currency: 'GBP',
        updatedAt: null,
        contacts: contact('ap@a.example'),
      },
      {
        externalId: 'b',
        name: 'Bounced Ltd',
        active: true,
        currency: 'GBP',
        updatedAt: null,
        contacts: contact('ap@b.example'),
      },
      {
        externalId: 'c',
        name: 'Long Gone Ltd',
        active: true,
        currency: 'GBP',
        updatedAt: null,
        contacts: contact('ap@c.example'),
      },
      {
        externalId: 'd',
        name: 'Big Spender plc',
        active: true,
        currency: 'GBP',
        updatedAt: null,
        contacts: contact('ap@d.example'),
      },
    ]);
    const invoice = (externalId: string, customer: string, dueDate: string, balance: number) => ({
      externalId,
      customerExternalId: customer,
      number: externalId.toUpperCase(),
      currency: 'GBP',
      totalMinor: balance,
      balanceMinor: balance,
      issueDate: null,
      dueDate,
      status: 'open' as const,
      version: null,
      paymentUrl: null,
      billEmail: null,
      updatedAt: null,
    });
    await upsertInvoices(db(), scope, [
      invoice('a1', 'a', '2026-11-20', 12_000),
      invoice('b1', 'b', '2026-11-20', 8_000),
      invoice('c1', 'c', '2026-09-01', 150_000),
      invoice('d1', 'd', '2026-10-20', 90_000),
      { ...invoice('d0', 'd', '2026-01-10', 0), status: 'paid' as const, totalMinor: 6_000_000 },
    ]);
    await upsertPayments(db(), scope, [
      {
        externalId: 'dp',
        customerExternalId: 'd',
        amount: { amountMinor: 6_000_000, currency: 'GBP' },
        paidOn: '2026-01-09',
        allocations: [{ invoiceExternalId: 'd0', amountMinor: 6_000_000 }],
      },
    ]);
    await db()
      .update(customerContacts)
      .set({ bouncedAt: now })
      .where(eq(customerContacts.email, 'ap@b.example'));
  });
  afterAll(() => database.pool.end());

  it('writes each debtor’s due action into the outboxes, once', async () => {
    const first = await evaluateOrganisation(db(), orgId, { now, render });
    expect(first).toMatchObject({ debtors: 4, emails: 3, tasks: 1, flags: 0 });

    // Long Gone was never contacted: its journey opens with a first message (never harsher than firm)
    // and no flag: a flag waits until the final notice has gone and its grace has passed.
    const messages = await db().select().from(outboundMessages).where(eq(outboundMessages.orgId, orgId));
    expect(messages.map((message) => [message.subject, message.status]).sort()).toEqual([
      ['firm-fees for Big Spender plc', 'pending'],
      ['firm-fees for Long Gone Ltd', 'pending'],
      ['reminder for Reminded Ltd', 'pending'],
    ]);
    const [task] = await db().select().from(collectionTasks).where(eq(collectionTasks.orgId, orgId));
    expect(task?.description).toMatch(/No deliverable email address/);
    expect(await db().select().from(collectionFlags).where(eq(collectionFlags.orgId, orgId))).toEqual([]);

    // Tasks and flags leave a note on their invoices now; messages when they are sent.
    const notes = await db().select().from(ledgerWrites).where(eq(ledgerWrites.orgId, orgId));
    expect(notes).toHaveLength(1);
    expect(
      notes.every(
        (note) => note.kind === 'note' && String(note.payload['text']).startsWith('Dunwell 2026-11-24'),
      ),
    ).toBe(true);
    const steps = await db().select().from(collectionSteps).where(eq(collectionSteps.orgId, orgId));
    expect(steps).toHaveLength(4);
    // One activity entry per effect, naming its step, its invoices (the steps it took) and its key.
    const entries = await db().select().from(activityLog).where(eq(activityLog.orgId, orgId));
    expect(entries).toHaveLength(4);
    const effectKeys = [...messages.map((m) => m.idempotencyKey), task?.idempotencyKey];
    expect(entries.map((entry) => entry.details['key']).sort()).toEqual([...effectKeys].sort());
    const kindOf: Record<string, string> = {
      email: 'reminder.planned',
      task: 'task.created',
      flag: 'flag.raised',
    };
    for (const entry of entries) {
      const taken = steps.filter((step) => step.effectKey === entry.details['key']);
      expect(taken.length).toBeGreaterThan(0);
      expect(entry).toMatchObject({ customerId: taken[0]?.customerId, actor: 'system', occurredAt: now });
      expect(entry.kind).toBe(kindOf[taken[0]?.kind ?? 'email']);
      expect([...(entry.details['invoiceIds'] as string[])].sort()).toEqual(
        taken.map((step) => step.invoiceId).sort(),
      );
      expect(taken.every((step) => step.takenAt.getTime() === now.getTime())).toBe(true);
    }

    const again = await evaluateOrganisation(db(), orgId, {
      now: new Date(now.getTime() + 3_600_000),
      render,
    });
    expect(again).toMatchObject({ emails: 0, tasks: 0, flags: 0 });
    expect(await db().select().from(outboundMessages).where(eq(outboundMessages.orgId, orgId))).toHaveLength(
      3,
    );
  });

  it('holds a formal step for a high-value customer until a person approves it', async () => {
    // The reminders planned on the 24th went out then.
    await db()
      .update(outboundMessages)
      .set({ status: 'sent', sentAt: now })
      .where(eq(outboundMessages.status, 'pending'));
    const later = new Date('2026-12-01T10:00:00Z'); // d1 is 42 days overdue, a week after its last contact
    await evaluateOrganisation(db(), orgId, { now: later, render });
    const [demand] = await db()
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.subject, 'demand for Big Spender plc'));
    expect(demand?.status).toBe('awaiting_approval');
  });

  it('plans nothing more while that step waits, then counts the contact cap from when it was sent', async () => {
    const bigSpender = async () =>
      (
        await db()
          .select({ subject: outboundMessages.subject, status: outboundMessages.status })
          .from(outboundMessages)
          .innerJoin(collectionSteps, eq(collectionSteps.effectKey, outboundMessages.idempotencyKey))
          .where(eq(outboundMessages.orgId, orgId))
      ).filter((message) => message.subject?.endsWith('for Big Spender plc'));
    // Its firm-fees reminder of 24 November aside.
    const unique = async () =>
      [...new Set((await bigSpender()).map((message) => message.subject))]
        .filter((subject) => !subject?.startsWith('firm-fees'))
        .sort();

    // A week on, "final" (+45) is due by the calendar, but the demand still waits for a person.
    await evaluateOrganisation(db(), orgId, { now: new Date('2026-12-08T10:00:00Z'), render });
    expect(await unique()).toEqual(['demand for Big Spender plc']);

    // Approved and sent on 10 December: the cap runs from then, not from when it was planned.
    await db()
      .update(outboundMessages)
      .set({ status: 'sent', sentAt: new Date('2026-12-10T10:00:00Z') })
      .where(eq(outboundMessages.subject, 'demand for Big Spender plc'));
    await evaluateOrganisation(db(), orgId, { now: new Date('2026-12-15T10:00:00Z'), render });
    expect(await unique()).toEqual(['demand for Big Spender plc']);

    await evaluateOrganisation(db(), orgId, { now: new Date('2026-12-17T10:00:00Z'), render });
    expect(await unique()).toEqual(['demand for Big Spender plc', 'final for Big Spender plc']);
  });
});
