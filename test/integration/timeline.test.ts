import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openInvoicesOfCustomer } from '../../src/customers/customer-invoices.js';
import { customerOverridesOf } from '../../src/customers/customer-overrides.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import {
  activityLog,
  collectionFlags,
  collectionSteps,
  collectionTasks,
  customerContacts,
  customers,
  disputes,
  invoices,
  ledgerConnections,
  ledgerWrites,
  organisations,
  outboundMessages,
  paymentPromises,
} from '../../src/db/schema/index.js';
import { createLogger } from '../../src/logger.js';
import { customerHeader, debtorTimeline, invoiceTimeline } from '../../src/timeline/timeline.js';
import type { TimelineEntry, TimelinePage } from '../../src/timeline/timeline-entry.js';
import { customerPage, invoicePage } from '../../src/web/app/pages/customers.js';
import type { PageFrame } from '../../src/web/app/pages/layout.js';
import { internalKeysShown, visibleText } from '../helpers/visible-text.js';

/** Minutes after 09:00 on 1 March 2026. */
const t = (minutes: number, seconds = 0) => new Date(Date.UTC(2026, 2, 1, 9, minutes, seconds));
/** A moment with microseconds, which a Date cannot hold. */
const micro = (text: string) => sql`${text}::timestamptz`;

const only = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('expected a row');
  return value;
};

describe('the activity timeline of a debtor and of an invoice', () => {
  let database: DatabaseHandle;
  const db = () => database.db;
  const ids = {} as Record<
    | 'orgA'
    | 'orgB'
    | 'larry'
    | 'other'
    | 'bob'
    | 'i1'
    | 'i2'
    | 'i3'
    | 'i4'
    | 'k1'
    | 'j1'
    | 'flag'
    | 'task'
    | 'task2'
    | 'm1'
    | 'm2'
    | 'm3'
    | 'w1'
    | 'w2'
    | 'wB'
    | 'promise'
    | 'dispute',
    string
  >;

  beforeAll(async () => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 4, logger: createLogger('silent') });
    const organisation = async (name: string) => {
      const [org] = await db().insert(organisations).values({ name, currency: 'GBP' }).returning();
      const [connection] = await db()
        .insert(ledgerConnections)
        .values({ orgId: only(org).id, vendor: 'quickbooks', tenantId: `realm-${name}-${Date.now()}` })
        .returning();
      return { orgId: only(org).id, connectionId: only(connection).id };
    };
    const a = await organisation('Timeline A');
    const b = await organisation('Timeline B');
    ids.orgA = a.orgId;
    ids.orgB = b.orgId;
    const customer = async (
      scope: typeof a,
      name: string,
      extra: Partial<typeof customers.$inferInsert> = {},
    ) =>
      only(
        (
          await db()
            .insert(customers)
            .values({ ...scope, externalId: name, name, ...extra })
            .returning()
        )[0],
      ).id;
    ids.larry = await customer(a, 'Late Larry', {
      optedOutAt: t(0, 30),
      collectionOverrides: { segment: 'chronic' },
    });
    ids.other = await customer(a, 'Other Olga');
    ids.bob = await customer(b, 'B Bob');
    await db()
      .insert(customerContacts)
      .values([
        { orgId: ids.orgA, customerId: ids.larry, email: 'ann@larry.example', role: 'billing' },
        {
          orgId: ids.orgA,
          customerId: ids.larry,
          email: 'boss@larry.example',
          role: 'escalation',
          bouncedAt: t(5),
        },
        { orgId: ids.orgA, customerId: ids.other, email: 'olga@other.example', role: 'billing' },
        { orgId: ids.orgB, customerId: ids.bob, email: 'bob@b.example', role: 'billing' },
      ]);
    const invoice = async (
      scope: typeof a,
      customerId: string,
      externalId: string,
      currency: string,
      balanceMinor: number,
      status: 'open' | 'paid' = 'open',
    ) =>
      only(
        (
          await db()
            .insert(invoices)
            .values({
              ...scope,
              customerId,
              externalId,
              number: externalId,
              currency,
              totalMinor: 10_000,
              balanceMinor,
              dueDate: '2026-01-01',
              status,
            })
            .returning()
        )[0],
      ).id;
    ids.i1 = await invoice(a, ids.larry, 'I-1', 'GBP', 10_000);
    ids.i2 = await invoice(a, ids.larry, 'I-2', 'GBP', 4_000);
    ids.i3 = await invoice(a, ids.larry, 'I-3', 'EUR', 7_000);
    ids.i4 = await invoice(a, ids.larry, 'I-4', 'GBP', 0, 'paid');
    ids.k1 = await invoice(a, ids.other, 'K-1', 'GBP', 9_000);
    ids.j1 = await invoice(b, ids.bob, 'J-1', 'GBP', 5_000);

    const larry = { orgId: ids.orgA, customerId: ids.larry };
    const log = (line: {
      kind: string;
      actor?: string;
      summary: string;
      details: Record<string, unknown>;
      occurredAt: Date | SQL;
    }) =>
      db()
        .insert(activityLog)
        .values({ ...larry, ...line, actor: line.actor ?? 'system' })
        .returning()
        .then((rows) => only(rows[0]).id);

    // A flag and a task from the planner, announced in the log (folded into their entries).
    ids.flag = only(
      (
        await db()
          .insert(collectionFlags)
          .values({
            ...larry,
            idempotencyKey: 'flag-key',
            kinds: ['agency_referral', 'write_off'],
            invoiceIds: [ids.i1, ids.i3],
            daysOverdue: 61,
            recommendation: { recommended: 'agency_referral' },
            status: 'rejected',
            decidedAt: t(8),
            decidedBy: 'user:7',
            createdAt: t(1),
          })
          .returning()
      )[0],
    ).id;
    await log({
      kind: 'flag.raised',
      summary: '61 days overdue: agency referral',
      details: { key: 'flag-key', invoiceIds: [ids.i1, ids.i3] },
      occurredAt: t(1),
    });
    ids.task = only(
      (
        await db()
          .insert(collectionTasks)
          .values({
            ...larry,
            idempotencyKey: 'task-key',
            description: 'Call Larry',
            invoiceIds: [ids.i3],
            createdAt: t(1),
          })
          .returning()
      )[0],
    ).id;
    await log({
      kind: 'task.created',
      summary: 'No reply to three reminders',
      details: { key: 'task-key', invoiceIds: [ids.i3] },
      occurredAt: t(1),
    });

    // A reminder covering two invoices, sent, delivered and opened.
    ids.m1 = only(
      (
        await db()
          .insert(outboundMessages)
          .values({
            ...larry,
            idempotencyKey: 'm1-key',
            status: 'sent',
            to: [{ email: 'ann@larry.example', name: 'Ann' }],
            cc: [{ email: 'boss@larry.example' }],
            subject: 'I-1 and I-2 are overdue',
            template: 'firm',
            bodyText: 'Please pay I-1 and I-2.',
            bodyHtml: '<p>Please pay I-1 and I-2.</p>',
            renderInputs: {
              stepKey: 'firm-7',
              tone: 'firm',
              template: 'firm',
              lateFeeNotice: false,
              brokenPromise: null,
            },
            createdAt: t(2),
            sentAt: t(3),
            deliveredAt: t(3, 20),
            openedAt: t(4, 30),
          })
          .returning()
      )[0],
    ).id;
    await db()
      .insert(collectionSteps)
      .values(
        [ids.i1, ids.i2].map((invoiceId) => ({
          ...larry,
          invoiceId,
          stepKey: 'firm-7',
          kind: 'email' as const,
          effectKey: 'm1-key',
          takenAt: t(2),
        })),
      );
    await log({
      kind: 'reminder.planned',
      summary: '7 days overdue: firm reminder',
      details: { key: 'm1-key', stepKey: 'firm-7', invoiceIds: [ids.i1, ids.i2] },
      occurredAt: t(2),
    });
    await log({
      kind: 'reminder.sent',
      summary: 'Sent "I-1 and I-2 are overdue" to ann@larry.example',
      details: { messageId: ids.m1 },
      occurredAt: t(3),
    });

    // A reminder cancelled before it went: its steps are gone, its planning still names I-2.
    ids.m3 = only(
      (
        await db()
          .insert(outboundMessages)
          .values({
            ...larry,
            idempotencyKey: 'm3-key',
            status: 'cancelled',
            to: [{ email: 'ann@larry.example' }],
            template: 'reminder',
            lastError: 'no longer owed: I-2',
            createdAt: t(2, 30),
          })
          .returning()
      )[0],
    ).id;
    await log({
      kind: 'reminder.planned',
      summary: 'Due today: reminder',
      details: { key: 'm3-key', invoiceIds: [ids.i2] },
      occurredAt: t(2, 30),
    });
    await log({
      kind: 'reminder.cancelled',
      summary: 'Not sent: paid or closed in the ledger since it was planned',
      details: { messageId: ids.m3, settled: [] },
      occurredAt: t(2, 45),
    });

    // The collection note on both invoices, written; a due-date move that failed.
    ids.w1 = only(
      (
        await db()
          .insert(ledgerWrites)
          .values({
            orgId: ids.orgA,
            connectionId: a.connectionId,
            kind: 'note',
            idempotencyKey: 'note:m1-key',
            payload: {
              text: 'Dunwell 2026-03-01: emailed "I-1 and I-2 are overdue"',
              invoiceIds: [ids.i1, ids.i2],
            },
            status: 'done',
            attempts: 1,
            createdAt: t(3),
            doneAt: t(4),
          })
          .returning()
      )[0],
    ).id;
    ids.w2 = only(
      (
        await db()
          .insert(ledgerWrites)
          .values({
            orgId: ids.orgA,
            connectionId: a.connectionId,
            invoiceId: ids.i1,
            kind: 'due_date',
            idempotencyKey: 'plan:x:installment:1',
            payload: { dueDate: '2026-04-01', reason: 'payment plan installment 1' },
            status: 'failed',
            attempts: 1,
            lastError: 'the connection is not active; reconnect to deliver it',
            createdAt: t(6),
          })
          .returning()
      )[0],
    ).id;

    await log({
      kind: 'email.bounced',
      summary: 'Email to boss@larry.example could not be delivered',
      details: { messageId: ids.m1, reason: 'mailbox full', kind: 'bounced' },
      occurredAt: t(5),
    });

    ids.promise = only(
      (
        await db()
          .insert(paymentPromises)
          .values({
            ...larry,
            invoiceIds: [ids.i1],
            promisedDate: '2026-03-15',
            status: 'kept',
            source: 'portal',
            createdAt: t(6),
          })
          .returning()
      )[0],
    ).id;
    await log({
      kind: 'promise.made',
      actor: 'debtor',
      summary: 'The customer (on their page) promised to pay I-1 by 2026-03-15',
      details: { promiseId: ids.promise, promisedDate: '2026-03-15', invoiceIds: [ids.i1] },
      occurredAt: t(6),
    });

    ids.dispute = only(
      (
        await db()
          .insert(disputes)
          .values({
            ...larry,
            invoiceIds: [ids.i2],
            reason: 'wrong_amount',
            message: 'We were charged twice.',
            status: 'resolved',
            source: 'portal',
            resolution: 'Credit note issued',
            resolvedBy: 'user:7',
            resolvedAt: t(9),
            createdAt: t(7),
          })
          .returning()
      )[0],
    ).id;
    await log({
      kind: 'dispute.opened',
      actor: 'debtor',
      summary: 'The customer (on their page) disputed I-2: The amount is wrong',
      details: { disputeId: ids.dispute, reason: 'wrong_amount', invoiceIds: [ids.i2] },
      occurredAt: t(7),
    });
    await log({
      kind: 'flag.rejected',
      actor: 'user:7',
      summary: 'Rejected the agency referral / write off recommendation — a good customer',
      details: { flagId: ids.flag, invoiceIds: [ids.i1, ids.i3], reason: 'A good customer; call instead' },
      occurredAt: t(8),
    });
    // I-2 was paid before the resolution, so the line names no invoice: the dispute does.
    await log({
      kind: 'dispute.resolved',
      actor: 'user:7',
      summary: 'A person resolved the dispute (Credit note issued); chasing resumes',
      details: { disputeId: ids.dispute, invoiceIds: [] },
      occurredAt: t(9),
    });

    // A reminder queued, not yet rendered.
    ids.m2 = only(
      (
        await db()
          .insert(outboundMessages)
          .values({
            ...larry,
            idempotencyKey: 'm2-key',
            status: 'pending',
            to: [{ email: 'ann@larry.example' }],
            template: 'reminder',
            renderInputs: {
              stepKey: 'reminder-1',
              tone: 'friendly',
              template: 'reminder',
              lateFeeNotice: false,
              brokenPromise: null,
            },
            createdAt: t(10),
          })
          .returning()
      )[0],
    ).id;
    await db()
      .insert(collectionSteps)
      .values({
        ...larry,
        invoiceId: ids.i3,
        stepKey: 'reminder-1',
        kind: 'email',
        effectKey: 'm2-key',
        takenAt: t(10),
      });
    await log({
      kind: 'reminder.planned',
      summary: '1 day overdue: reminder',
      details: { key: 'm2-key', invoiceIds: [ids.i3] },
      occurredAt: t(10),
    });

    // Two entries in the same millisecond: the order is the microseconds', not the sources'.
    await log({
      kind: 'promise.kept',
      summary: 'The promise to pay by 2026-03-15 was kept',
      details: { promiseId: ids.promise, invoiceIds: [ids.i1] },
      occurredAt: micro('2026-03-01T09:11:00.000900Z'),
    });
    ids.task2 = only(
      (
        await db()
          .insert(collectionTasks)
          .values({
            ...larry,
            idempotencyKey: 'task2-key',
            description: 'Check the EUR invoice',
            invoiceIds: [ids.i3],
            createdAt: micro('2026-03-01T09:11:00.000500Z'),
          })
          .returning()
      )[0],
    ).id;

    // The oldest lines concern the debtor as a whole, no invoice.
    await log({
      kind: 'email.bounced',
      summary: 'Email to old@larry.example could not be delivered',
      details: { reason: 'no such mailbox', kind: 'bounced' },
      occurredAt: t(0, 10),
    });
    await log({
      kind: 'email.opted_out',
      actor: 'debtor',
      summary: 'ann@larry.example unsubscribed; no further automatic emails will be sent to this customer.',
      details: { reason: 'unsubscribed', kind: 'unsubscribed' },
      occurredAt: t(0, 30),
    });

    // Not Larry's: the organisation's own log line, another debtor's, another organisation's.
    await db()
      .insert(activityLog)
      .values([
        {
          orgId: ids.orgA,
          kind: 'policy.saved',
          actor: 'user:7',
          summary: 'Policy saved',
          occurredAt: t(12),
        },
        {
          orgId: ids.orgA,
          customerId: ids.other,
          kind: 'promise.made',
          actor: 'debtor',
          summary: 'Olga promised',
          details: { invoiceIds: [ids.k1] },
          occurredAt: t(6),
        },
        {
          orgId: ids.orgB,
          customerId: ids.bob,
          kind: 'promise.made',
          actor: 'debtor',
          summary: 'Bob promised',
          details: { invoiceIds: [ids.j1] },
          occurredAt: t(6),
        },
      ]);
    await db()
      .insert(ledgerWrites)
      .values({
        orgId: ids.orgA,
        connectionId: a.connectionId,
        invoiceId: ids.k1,
        kind: 'note',
        idempotencyKey: 'note:olga',
        payload: { text: 'Olga note', invoiceIds: [ids.k1] },
        createdAt: t(6),
      });
    // Organisation B's write names Larry's invoice (ids are not secrets): it stays B's.
    ids.wB = only(
      (
        await db()
          .insert(ledgerWrites)
          .values({
            orgId: ids.orgB,
            connectionId: b.connectionId,
            kind: 'note',
            idempotencyKey: 'note:bob',
            payload: { text: 'Bob note', invoiceIds: [ids.i1, ids.j1] },
            createdAt: t(7),
          })
          .returning()
      )[0],
    ).id;
    await db()
      .insert(outboundMessages)
      .values({
        orgId: ids.orgB,
        customerId: ids.bob,
        idempotencyKey: 'm1-key',
        status: 'sent',
        to: [{ email: 'bob@b.example' }],
        subject: 'B reminder',
        template: 'reminder',
        bodyText: 'Pay B',
        bodyHtml: '<p>Pay B</p>',
        createdAt: t(5),
        sentAt: t(5),
      });
  });
  afterAll(() => database.pool.end());

  const larryPage = (options: { limit?: number; before?: string } = {}) =>
    debtorTimeline(db(), { orgId: ids.orgA, customerId: ids.larry, ...options });
  const kinds = (page: TimelinePage) => page.entries.map((entry) => entry.kind);
  const entry = <T extends TimelineEntry['type']>(page: TimelinePage, id: string, type: T) => {
    const found = page.entries.find((candidate) => candidate.id === `${type}:${id}`);
    if (found?.type !== type) throw new Error(`no ${type} ${id} in the timeline`);
    return found as Extract<TimelineEntry, { type: T }>;
  };

  it("lists everything about the debtor, newest first, and nothing that is not the debtor's", async () => {
    const page = await larryPage();
    expect(kinds(page)).toEqual([
      'promise.kept',
      'task.created',
      'message.queued',
      'dispute.resolved',
      'flag.rejected',
      'dispute.opened',
      'write_back.due_date',
      'promise.made',
      'email.bounced',
      'write_back.note',
      'message.sent',
      'reminder.cancelled',
      'message.cancelled',
      'task.created',
      'flag.raised',
      'email.opted_out',
      'email.bounced',
    ]);
    // Ties: the later microsecond first; at the same instant, a fixed order of sources.
    expect(page.entries[1]?.id).toBe(`task:${ids.task2}`);
    expect(page.entries[13]?.id).toBe(`task:${ids.task}`);
    expect(page.entries[6]?.id).toBe(`write_back:${ids.w2}`);
    expect(page.entries.map((e) => e.at.getTime())).toEqual(
      page.entries.map((e) => e.at.getTime()).sort((x, y) => y - x),
    );
    expect(page.nextCursor).toBeNull();
  });

  it('shows a sent message with its rendered email, delivery, reason and every invoice it covered', async () => {
    const sent = entry(await larryPage(), ids.m1, 'message');
    expect(sent.at).toEqual(t(3));
    expect(sent.summary).toBe('Sent "I-1 and I-2 are overdue" to ann@larry.example, cc boss@larry.example');
    expect(sent.reason).toBe('7 days overdue: firm reminder');
    expect(sent.invoiceIds).toEqual([ids.i1, ids.i2].sort());
    expect(sent.message).toMatchObject({
      status: 'sent',
      rendered: true,
      subject: 'I-1 and I-2 are overdue',
      text: 'Please pay I-1 and I-2.',
      html: '<p>Please pay I-1 and I-2.</p>',
      to: [{ email: 'ann@larry.example', name: 'Ann' }],
      cc: [{ email: 'boss@larry.example' }],
      stepKey: 'firm-7',
      tone: 'firm',
      queuedAt: t(2),
      sentAt: t(3),
      deliveredAt: t(3, 20),
      openedAt: t(4, 30),
      problem: null,
    });
  });

  it('says a queued message is not written yet, and why a cancelled one did not go', async () => {
    const page = await larryPage();
    const queued = entry(page, ids.m2, 'message');
    expect(queued.message).toMatchObject({
      status: 'queued',
      rendered: false,
      subject: null,
      text: null,
      html: null,
    });
    expect(queued.summary).toBe('A reminder to ann@larry.example is queued; it is written when it goes');
    expect(queued.reason).toBe('1 day overdue: reminder');
    expect(queued.invoiceIds).toEqual([ids.i3]);
    const cancelled = entry(page, ids.m3, 'message');
    expect(cancelled.message).toMatchObject({ status: 'cancelled', error: 'no longer owed: I-2' });
    expect(cancelled.invoiceIds).toEqual([ids.i2]);
  });

  it('shows write-backs with their status and error, and arrangements, flags and tasks with their reasons', async () => {
    const page = await larryPage();
    const note = entry(page, ids.w1, 'write_back');
    expect(note.summary).toBe('Ledger note: Dunwell 2026-03-01: emailed "I-1 and I-2 are overdue"');
    expect(note.ledgerWrite).toMatchObject({ kind: 'note', status: 'done', doneAt: t(4), error: null });
    expect(note.invoiceIds).toEqual([ids.i1, ids.i2].sort());
    const move = entry(page, ids.w2, 'write_back');
    expect(move.reason).toBe('payment plan installment 1');
    expect(move.ledgerWrite).toMatchObject({
      kind: 'due_date',
      status: 'failed',
      error: 'the connection is not active; reconnect to deliver it',
    });

    const byKind = (kind: string) => {
      const found = page.entries.find((candidate) => candidate.kind === kind);
      if (found?.type !== 'activity') throw new Error(`no ${kind}`);
      return found;
    };
    expect(byKind('promise.made')).toMatchObject({
      actor: 'debtor',
      arrangement: { type: 'promise', id: ids.promise, status: 'kept', promisedDate: '2026-03-15' },
      invoiceIds: [ids.i1],
    });
    expect(byKind('dispute.opened')).toMatchObject({
      reason: 'The amount is wrong',
      arrangement: { type: 'dispute', message: 'We were charged twice.', status: 'resolved' },
    });
    expect(byKind('dispute.resolved')).toMatchObject({ reason: 'Credit note issued', invoiceIds: [ids.i2] });
    expect(byKind('flag.rejected')).toMatchObject({
      actor: 'user:7',
      reason: 'A good customer; call instead',
      flag: { id: ids.flag, status: 'rejected', decidedBy: 'user:7', decidedAt: t(8) },
    });
    expect(byKind('email.bounced')).toMatchObject({
      reason: 'mailbox full',
      messageId: ids.m1,
      invoiceIds: [ids.i1, ids.i2].sort(),
    });

    const flag = entry(page, ids.flag, 'flag');
    expect(flag.reason).toBe('61 days overdue: agency referral');
    expect(flag.summary).toBe('Flagged for agency referral / write-off (61 days overdue)');
    expect(flag.flag).toMatchObject({ recommended: 'agency_referral', status: 'rejected', daysOverdue: 61 });
    const task = entry(page, ids.task, 'task');
    expect(task.reason).toBe('No reply to three reminders');
    expect(task.task).toMatchObject({ description: 'Call Larry', status: 'open' });
    expect(entry(page, ids.task2, 'task').reason).toBeNull();
  });

  it('keeps to one invoice: its own entries, and contacts, notes and events covering it with others', async () => {
    const of = async (invoiceId: string) =>
      kinds(await invoiceTimeline(db(), { orgId: ids.orgA, invoiceId }));
    expect(await of(ids.i1)).toEqual([
      'promise.kept',
      'flag.rejected',
      'write_back.due_date',
      'promise.made',
      'email.bounced',
      'write_back.note',
      'message.sent',
      'flag.raised',
    ]);
    expect(await of(ids.i2)).toEqual([
      'dispute.resolved',
      'dispute.opened',
      'email.bounced',
      'write_back.note',
      'message.sent',
      'reminder.cancelled',
      'message.cancelled',
    ]);
    expect(await of(ids.i3)).toEqual([
      'task.created',
      'message.queued',
      'flag.rejected',
      'task.created',
      'flag.raised',
    ]);
    expect(await of(ids.i4)).toEqual([]);
  });

  it('pages through the timeline without losing or repeating an entry', async () => {
    const all = (await larryPage()).entries.map((e) => e.id);
    for (const limit of [1, 2, 4, 6, 16, 17]) {
      const seen: string[] = [];
      let before: string | undefined;
      for (let pages = 0; pages < 20; pages += 1) {
        const page: TimelinePage = await larryPage({ limit, before });
        expect(page.entries.length).toBeLessThanOrEqual(limit);
        seen.push(...page.entries.map((e) => e.id));
        if (!page.nextCursor) break;
        expect(page.entries).toHaveLength(limit);
        before = page.nextCursor;
      }
      expect(seen).toEqual(all);
    }
    const first = await invoiceTimeline(db(), { orgId: ids.orgA, invoiceId: ids.i2, limit: 3 });
    const second = await invoiceTimeline(db(), {
      orgId: ids.orgA,
      invoiceId: ids.i2,
      limit: 10,
      before: first.nextCursor ?? '',
    });
    expect([...kinds(first), ...kinds(second)]).toEqual([
      'dispute.resolved',
      'dispute.opened',
      'email.bounced',
      'write_back.note',
      'message.sent',
      'reminder.cancelled',
      'message.cancelled',
    ]);
    expect(second.nextCursor).toBeNull();
    expect((await larryPage({ limit: 0 })).entries).toHaveLength(1);
    await expect(larryPage({ before: 'not-a-cursor' })).rejects.toMatchObject({ statusCode: 400 });
  });

  it("answers nothing for another organisation's debtor or invoice", async () => {
    expect((await debtorTimeline(db(), { orgId: ids.orgB, customerId: ids.larry })).entries).toEqual([]);
    expect((await debtorTimeline(db(), { orgId: ids.orgA, customerId: ids.bob })).entries).toEqual([]);
    expect((await invoiceTimeline(db(), { orgId: ids.orgB, invoiceId: ids.i1 })).entries).toEqual([]);
    expect(await customerHeader(db(), { orgId: ids.orgB, customerId: ids.larry })).toBeNull();
    // An id that is no uuid names nothing, rather than failing the query.
    expect((await debtorTimeline(db(), { orgId: ids.orgA, customerId: 'larry' })).entries).toEqual([]);
    expect((await invoiceTimeline(db(), { orgId: ids.orgA, invoiceId: 'I-1' })).entries).toEqual([]);
    expect(await customerHeader(db(), { orgId: 'a', customerId: ids.larry })).toBeNull();
    // Each organisation sees its own: Bob's timeline has his message, his promise and B's note.
    const bob = await debtorTimeline(db(), { orgId: ids.orgB, customerId: ids.bob });
    expect(kinds(bob)).toEqual(['write_back.note', 'promise.made', 'message.sent']);
    expect(bob.entries[0]?.id).toBe(`write_back:${ids.wB}`);
  });

  it("heads the timeline with the debtor's contacts, opt-out, overrides and open balances", async () => {
    expect(await customerHeader(db(), { orgId: ids.orgA, customerId: ids.larry })).toMatchObject({
      id: ids.larry,
      name: 'Late Larry',
      optedOutAt: t(0, 30),
      overrides: { segment: 'chronic' },
      contacts: [
        { email: 'ann@larry.example', role: 'billing', bouncedAt: null },
        { email: 'boss@larry.example', role: 'escalation', bouncedAt: t(5) },
      ],
      openBalances: [
        { currency: 'EUR', balanceMinor: 7_000, invoiceCount: 1 },
        { currency: 'GBP', balanceMinor: 14_000, invoiceCount: 2 },
      ],
    });
  });

  it('shows the customer’s page and an invoice’s history in words, never an internal key', async () => {
    const frame: PageFrame = {
      title: 'Late Larry',
      section: 'customers',
      orgId: ids.orgA,
      organisations: [{ id: ids.orgA, name: 'Timeline A' }],
      email: 'owner@a.example',
      csrfToken: 'token',
    };
    const [header, overrides, open] = await Promise.all([
      customerHeader(db(), { orgId: ids.orgA, customerId: ids.larry }),
      customerOverridesOf(db(), ids.orgA, ids.larry),
      openInvoicesOfCustomer(db(), ids.orgA, ids.larry),
    ]);
    if (!header || !overrides) throw new Error('Larry is missing');
    const page = customerPage(frame, {
      header,
      overrides,
      timeline: await larryPage(),
      invoices: open,
      next: {
        status: 'scheduled',
        on: '2026-12-09',
        step: 'Firm reminder',
        stepKey: 'firm-fees',
        guard: null,
        text: 'Firm reminder on 2026-12-09',
        why: 'rung 4 of 6, "firm-fees" (firm)',
      },
      arrangements: {
        promise: { promisedDate: '2026-12-20' },
        plan: null,
        dispute: { reason: 'wrong_amount', message: 'Charged twice', since: new Date() },
        settlement: null,
      },
      timeZone: 'Europe/London',
      locale: 'en-GB',
    });
    expect(visibleText(page)).toContain('Flagged for agency referral / write-off');
    expect(visibleText(page)).toContain('Promised to pay by');
    expect(internalKeysShown(page)).toEqual([]);
    const invoice = invoicePage(frame, {
      invoice: {
        id: ids.i1,
        number: 'INV-1',
        customerId: ids.larry,
        customerName: 'Late Larry',
        status: 'open',
        issueDate: '2026-10-01',
        dueDate: '2026-10-31',
        totalMinor: 120_000,
        balanceMinor: 45_000,
        currency: 'GBP',
        hold: 'agency_referral',
      },
      daysOverdue: 1,
      timeline: await invoiceTimeline(db(), { orgId: ids.orgA, invoiceId: ids.i1 }),
      timeZone: 'Europe/London',
      locale: 'en-GB',
    });
    expect(internalKeysShown(invoice)).toEqual([]);
    expect(visibleText(invoice)).toContain('1 day overdue');
    expect(visibleText(invoice)).toContain('£450.00');
  });
});
