import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import type { RenderEmail } from '../../src/collections/apply-plan.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { savePolicy } from '../../src/collections/policy-versions.js';
import {
  activityLog,
  collectionSteps,
  collectionTasks,
  customers,
  ledgerWrites,
  outboundMessages,
  paymentPromises,
} from '../../src/db/schema/index.js';
import { defaultPolicy, type Step } from '../../src/domain/policy.js';
import { evidencePack } from '../../src/evidence/evidence-pack.js';
import { debtorTimeline } from '../../src/timeline/timeline.js';
import { weekdayAt } from '../helpers/calendar.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { reviewPage } from '../helpers/review-page.js';

/** Noon UTC on a working day, today or the next (the organisation's zone is UTC): inside the default sending window. */
const firstEvaluation = weekdayAt(0, 12);
const dayMs = 86_400_000;
const dayFromToday = (offset: number) =>
  new Date(firstEvaluation.getTime() + offset * dayMs).toISOString().slice(0, 10);
const seed: CompanySeed = {
  name: 'Phone Co',
  homeCurrency: 'USD',
  customers: ['Promiser', 'No Answer', 'Wrong Number'].map((displayName, index) => ({
    id: String(index + 1),
    displayName,
    email: `ap@${index + 1}.example`,
  })),
  invoices: [1, 2, 3].map((customer) => ({
    id: String(90 + customer),
    customerId: String(customer),
    total: 80_000,
    status: 'overdue' as const,
    dueDate: dayFromToday(-12),
  })),
};
const step = (key: string, offsetDays: number, action: Step['action'], tone: Step['tone']): Step => ({
  key,
  offsetDays,
  action,
  template: tone,
  tone,
  copyEscalationContacts: false,
  requiresApproval: false,
  lateFeeNotice: false,
});
const render: RenderEmail = async (_action, snapshot) => ({
  subject: `Reminder for ${snapshot.customerName}`,
  html: '<p>h</p>',
  text: 't',
});

describe('calls and letters, carried out by a person and counted as contacts', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  let owner: { cookie: string; csrf: string };
  const db = () => qbo.runtime.database.db;
  const customerNamed = async (name: string) => {
    const [customer] = await db()
      .select()
      .from(customers)
      .where(and(eq(customers.orgId, orgId), eq(customers.name, name)));
    if (!customer) throw new Error(`no customer ${name}`);
    return customer;
  };
  const tasksOf = async (name: string) =>
    db()
      .select()
      .from(collectionTasks)
      .where(eq(collectionTasks.customerId, (await customerNamed(name)).id));
  const review = (fields: Array<[string, string]> = []) => reviewPage(qbo.runtime.url, orgId, owner)(fields);

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    const connected = await qbo.connectAndSync();
    orgId = connected.orgId;
    owner = { cookie: connected.cookie, csrf: connected.csrf };
    await savePolicy(db(), {
      orgId,
      basedOnVersion: 0,
      policy: {
        ...defaultPolicy,
        steps: [
          step('reminder', 1, 'email', 'neutral'),
          step('call', 10, 'call', 'firm'),
          step('demand-letter', 20, 'letter', 'formal'),
        ],
      },
      actor: 'test',
    });
    // Twelve days overdue, nobody contacted yet: the first contact catches up with the call's rung.
    const result = await evaluateOrganisation(db(), orgId, { now: firstEvaluation, render });
    expect(result).toMatchObject({ emails: 0, tasks: 3 });
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('gives a person the call with a script, stored as a call, and lists it with its outcome form', async () => {
    const [task] = await tasksOf('Promiser');
    expect(task).toMatchObject({ kind: 'call', status: 'open' });
    expect(task?.description).toContain(
      'Call Promiser (1 overdue invoice, $800, the oldest 12 days overdue).',
    );
    const steps = await db()
      .select()
      .from(collectionSteps)
      .where(eq(collectionSteps.effectKey, task?.idempotencyKey ?? ''));
    expect(steps.map((taken) => taken.kind)).toEqual(['call']);
    const page = await review();
    expect(page.text.split('How did the call go?').length - 1).toBe(3);
    expect(page.text).toContain('Record the call');
  });

  it('records a promise made on the call: the call on the timeline and in the ledger, the promise as the debtor’s', async () => {
    const [task] = await tasksOf('Promiser');
    const id = task?.id ?? '';
    const page = await review([
      ['act', `task:${id}:called`],
      [`outcome.${id}`, 'promise'],
      [`promisedDate.${id}`, dayFromToday(10)],
      [`note.${id}`, 'Spoke to Ann in accounts.'],
    ]);
    expect(page.status).toBe(303);
    const [closed] = await tasksOf('Promiser');
    expect(closed).toMatchObject({ status: 'done' });
    const [promise] = await db()
      .select()
      .from(paymentPromises)
      .where(eq(paymentPromises.customerId, task?.customerId ?? ''));
    expect(promise).toMatchObject({ source: 'call', promisedDate: dayFromToday(10), status: 'open' });
    const [made] = await db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.customerId, task?.customerId ?? ''), eq(activityLog.kind, 'call.made')));
    expect(made?.summary).toBe(
      `A person called: they promised to pay by a date (${dayFromToday(10)}); “Spoke to Ann in accounts.”`,
    );
    const [note] = await db()
      .select()
      .from(ledgerWrites)
      .where(eq(ledgerWrites.idempotencyKey, `note:call:${id}`));
    expect((note?.payload as { text: string } | undefined)?.text).toContain('A person called');
    // The debtor's timeline: the call asked for (with the planner's why) and how it went, each once.
    const timeline = await debtorTimeline(db(), { orgId, customerId: task?.customerId ?? '' });
    const summaries = timeline.entries.map((entry) => entry.summary);
    const asked = timeline.entries.filter((entry) => entry.kind === 'call.planned');
    expect(asked).toHaveLength(1);
    expect(asked[0]?.summary).toMatch(/^A call for a person to make: Call Promiser/);
    expect(asked[0]?.reason).toContain('rung 2 of 3');
    expect(summaries.filter((summary) => summary.startsWith('A person called'))).toHaveLength(1);
  });

  it('counts a call made toward the cap, then asks for the letter, which is marked posted with its tracking number', async () => {
    const [task] = await tasksOf('No Answer');
    const id = task?.id ?? '';
    expect(
      (
        await review([
          ['act', `task:${id}:called`],
          [`outcome.${id}`, 'no_answer'],
        ])
      ).status,
    ).toBe(303);
    // Nine days on the letter's day (20 days overdue) has come, but only two days after the call: the cap holds.
    const callAt = (await tasksOf('No Answer'))[0]?.closedAt ?? new Date();
    await evaluateOrganisation(db(), orgId, { now: new Date(callAt.getTime() + 2 * dayMs), render });
    expect((await tasksOf('No Answer')).filter((open) => open.kind === 'letter')).toEqual([]);
    await evaluateOrganisation(db(), orgId, { now: new Date(callAt.getTime() + 8 * dayMs), render });
    const letter = (await tasksOf('No Answer')).find((open) => open.kind === 'letter');
    expect(letter).toMatchObject({ status: 'open' });
    expect(letter?.description).toContain('Post the');
    const page = await review();
    expect(page.text).toContain('Mark as posted');
    const posted = await review([
      ['act', `task:${letter?.id}:posted`],
      [`certified.${letter?.id}`, 'on'],
      [`tracking.${letter?.id}`, 'RR123456789GB'],
    ]);
    expect(posted.status).toBe(303);
    const [entry] = await db()
      .select()
      .from(activityLog)
      .where(
        and(eq(activityLog.customerId, letter?.customerId ?? ''), eq(activityLog.kind, 'letter.posted')),
      );
    expect(entry?.summary).toBe(
      'A person posted the letter by certified post, tracking number RR123456789GB',
    );
    // The evidence pack shows the letter asked for and posted, by post, with the planner's why.
    const pack = await evidencePack(db(), orgId, letter?.customerId ?? '');
    const byPost = pack?.timeline.filter((line) => line.channel === 'post') ?? [];
    // (Sorted: this test plans in the future, so the planning is dated after the posting.)
    expect(byPost.map((line) => line.type).sort()).toEqual(['letter.planned', 'letter.posted']);
    expect(byPost.find((line) => line.type === 'letter.posted')?.detail).toContain('RR123456789GB');
    expect(
      pack?.timeline
        .filter((line) => line.channel === 'phone')
        .map((line) => line.type)
        .sort(),
    ).toEqual(['call.made', 'call.planned']);
    // No email went to this debtor at any point: the call and the letter were the journey.
    expect(
      await db()
        .select()
        .from(outboundMessages)
        .where(eq(outboundMessages.customerId, letter?.customerId ?? '')),
    ).toEqual([]);
  });

  it('sets aside a call to a wrong number, which reached nobody, and asks for the right number', async () => {
    const [task] = await tasksOf('Wrong Number');
    const id = task?.id ?? '';
    expect(
      (
        await review([
          ['act', `task:${id}:called`],
          [`outcome.${id}`, 'wrong_number'],
        ])
      ).status,
    ).toBe(303);
    const tasks = await tasksOf('Wrong Number');
    expect(tasks.find((each) => each.id === id)?.status).toBe('dismissed');
    expect(tasks.find((each) => each.kind === 'task')?.description).toContain('find the right number');
  });

  it('refuses an outcome without what it needs, and a task that is not a call, changing nothing', async () => {
    const [other] = await tasksOf('Wrong Number').then((tasks) =>
      tasks.filter((each) => each.kind === 'task'),
    );
    const notACall = await review([
      ['act', `task:${other?.id}:called`],
      [`outcome.${other?.id}`, 'reached'],
    ]);
    expect(notACall.text).toContain('No such call to make.');
    const letter = (await tasksOf('No Answer')).find((each) => each.kind === 'letter');
    const postedTwice = await review([['act', `task:${letter?.id}:posted`]]);
    expect(postedTwice.text).toContain('No such letter to post.');
    const [undated] = await tasksOf('Wrong Number').then((tasks) =>
      tasks.filter((each) => each.kind === 'call'),
    );
    await db()
      .update(collectionTasks)
      .set({ status: 'open' })
      .where(eq(collectionTasks.id, undated?.id ?? ''));
    const noDate = await review([
      ['act', `task:${undated?.id}:called`],
      [`outcome.${undated?.id}`, 'promise'],
    ]);
    expect(noDate.text).toContain('Give the date they promised to pay by.');
    expect((await tasksOf('Wrong Number')).find((each) => each.id === undated?.id)?.status).toBe('open');
  });
});
