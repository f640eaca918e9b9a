import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { policyOf, savePolicy } from '../../src/collections/policy-versions.js';
import { customerOverridesOf, saveCustomerOverrides } from '../../src/customers/customer-overrides.js';
import { type CustomerOverviewRow, customersOverview } from '../../src/customers/customers-overview.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import {
  activityLog,
  collectionSteps,
  customerContacts,
  customers,
  disputes,
  invoices,
  ledgerConnections,
  organisations,
  outboundMessages,
} from '../../src/db/schema/index.js';
import { defaultPolicy } from '../../src/domain/policy.js';
import { createLogger } from '../../src/logger.js';
import { upsertCustomers, upsertInvoices } from '../../src/sync/mirror.js';
import { customersPage } from '../../src/web/app/pages/customers.js';
import type { PageFrame } from '../../src/web/app/pages/layout.js';
import { internalKeysShown, visibleText } from '../helpers/visible-text.js';

/** Tuesday 2026-11-24, 10:00 in London. */
const now = new Date('2026-11-24T10:00:00Z');
const actor = 'user:test';

const invoice = (
  externalId: string,
  customer: string,
  dueDate: string,
  balanceMinor: number,
  extra: { currency?: string; status?: 'open' | 'paid' } = {},
) => ({
  externalId,
  customerExternalId: customer,
  number: externalId.toUpperCase(),
  currency: extra.currency ?? 'GBP',
  totalMinor: Math.max(balanceMinor, 10_000),
  balanceMinor,
  issueDate: null,
  dueDate,
  status: extra.status ?? 'open',
  version: '0',
  paymentUrl: null,
  billEmail: null,
  updatedAt: null,
});

const customer = (externalId: string, name: string) => ({
  externalId,
  name,
  active: true,
  currency: 'GBP',
  updatedAt: null,
  contacts: [{ name: null, email: `ap@${externalId}.example`, role: 'billing' as const }],
});

const byName = (rows: CustomerOverviewRow[], name: string) => {
  const row = rows.find((candidate) => candidate.name === name);
  if (!row) throw new Error(`${name} is not listed`);
  return row;
};

describe('the customers list of the settings page', () => {
  let database: DatabaseHandle;
  let orgId: string;
  let otherOrgId: string;
  const ids = new Map<string, string>();
  const db = () => database.db;

  async function seedOrganisation(name: string) {
    const [organisation] = await db()
      .insert(organisations)
      .values({ name, currency: 'GBP', timeZone: 'Europe/London' })
      .returning();
    const id = organisation?.id ?? '';
    const [connection] = await db()
      .insert(ledgerConnections)
      .values({ orgId: id, vendor: 'quickbooks', tenantId: `realm-${name}-${Date.now()}` })
      .returning();
    return { orgId: id, connectionId: connection?.id ?? '' };
  }

  beforeAll(async () => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 4, logger: createLogger('silent') });
    const scope = await seedOrganisation('Overview Ltd');
    orgId = scope.orgId;
    // The organisation's own schedule: the firm reminder at 10 days, not the default 7.
    await savePolicy(db(), {
      orgId,
      basedOnVersion: 0,
      actor,
      policy: {
        ...defaultPolicy,
        steps: defaultPolicy.steps.map((step) => (step.key === 'firm' ? { ...step, offsetDays: 10 } : step)),
      },
    });
    const saved = await upsertCustomers(db(), scope, [
      customer('due', 'Due Now Ltd'),
      customer('capped', 'Capped Ltd'),
      customer('disputed', 'Disputed Ltd'),
      customer('excluded', 'Excluded Ltd'),
      customer('later', 'Not Yet Ltd'),
      customer('paid', 'Paid Up Ltd'),
      customer('agency', 'Agency Ltd'),
    ]);
    for (const [externalId, id] of saved) ids.set(externalId, id);
    await upsertInvoices(db(), scope, [
      invoice('due-1', 'due', '2026-11-12', 10_000),
      invoice('due-2', 'due', '2026-11-20', 5_000, { currency: 'USD' }),
      invoice('capped-1', 'capped', '2026-11-10', 20_000),
      invoice('disputed-1', 'disputed', '2026-11-01', 3_000),
      invoice('excluded-1', 'excluded', '2026-11-05', 7_000),
      invoice('later-1', 'later', '2026-12-10', 1_000),
      invoice('paid-1', 'paid', '2026-11-01', 0, { status: 'paid' }),
      invoice('agency-1', 'agency', '2026-08-01', 50_000),
    ]);
    const invoiceId = async (externalId: string) => {
      const [row] = await db().select().from(invoices).where(eq(invoices.externalId, externalId));
      return row?.id ?? '';
    };
    // Capped Ltd had its reminder three days ago; the contact cap is seven days.
    await db()
      .insert(collectionSteps)
      .values({
        orgId,
        customerId: ids.get('capped') ?? '',
        invoiceId: await invoiceId('capped-1'),
        stepKey: 'reminder',
        kind: 'email',
        effectKey: 'capped-reminder',
        takenAt: new Date('2026-11-21T10:00:00Z'),
      });
    await db()
      .insert(disputes)
      .values({
        orgId,
        customerId: ids.get('disputed') ?? '',
        invoiceIds: [await invoiceId('disputed-1')],
        reason: 'not_received',
        message: 'We never got this invoice.',
        source: 'portal',
      });
    await db()
      .update(invoices)
      .set({ collectionHold: 'agency_referral', heldAt: now })
      .where(eq(invoices.externalId, 'agency-1'));
    const excluded = await saveCustomerOverrides(db(), {
      orgId,
      customerId: ids.get('excluded') ?? '',
      overrides: { excluded: true },
      escalationContacts: [],
      actor,
    });
    expect(excluded.ok).toBe(true);

    const other = await seedOrganisation('Elsewhere Ltd');
    otherOrgId = other.orgId;
    const [otherId] = (await upsertCustomers(db(), other, [customer('stranger', 'Other Org Ltd')])).values();
    ids.set('stranger', otherId ?? '');
    await upsertInvoices(db(), other, [invoice('stranger-1', 'stranger', '2026-10-01', 99_999)]);
  });
  afterAll(() => database.pool.end());

  it('lists the debtors, oldest debt first, each with what the planner does next and why', async () => {
    const overview = await customersOverview(db(), orgId, { now });
    expect(overview.rows.map((row) => row.name)).toEqual([
      'Agency Ltd',
      'Disputed Ltd',
      'Excluded Ltd',
      'Capped Ltd',
      'Due Now Ltd',
      'Not Yet Ltd',
    ]);
    expect(overview).toMatchObject({ total: 6, page: 1, pageSize: 50, pageCount: 1 });

    // 12 days overdue: under this organisation's policy (firm at 10 days) the firm reminder is due.
    const due = byName(overview.rows, 'Due Now Ltd');
    expect(due).toMatchObject({
      balances: [
        { currency: 'GBP', balanceMinor: 10_000 },
        { currency: 'USD', balanceMinor: 5_000 },
      ],
      openInvoices: 2,
      maxDaysOverdue: 12,
      segment: { segment: 'new', overridden: false },
      nextStep: { status: 'due', on: '2026-11-24', stepKey: 'firm', text: 'Firm reminder due now' },
    });
    expect(due.nextStep.why).toContain('12 days overdue');

    // The cap ends on Saturday; by Monday the invoice is 20 days overdue, past the late-fee step's day,
    // but the journey climbs one rung at a time: the firm reminder comes next.
    expect(byName(overview.rows, 'Capped Ltd').nextStep).toMatchObject({
      status: 'scheduled',
      on: '2026-11-30',
      stepKey: 'firm',
      guard: { kind: 'contact_cap' },
      text: 'Firm reminder on 2026-11-30 (contact cap: last contact 3 days ago)',
    });
    expect(byName(overview.rows, 'Disputed Ltd')).toMatchObject({
      maxDaysOverdue: 23,
      segment: { segment: 'disputing', overridden: false },
      nextStep: { status: 'held', on: null, text: 'Paused: dispute open', guard: { kind: 'dispute' } },
    });
    expect(byName(overview.rows, 'Excluded Ltd')).toMatchObject({
      overrides: { excluded: true, doNotContact: false, segment: null, ownSchedule: false },
      nextStep: { status: 'held', text: 'Excluded by you', guard: { kind: 'excluded' } },
    });
    expect(byName(overview.rows, 'Not Yet Ltd')).toMatchObject({
      maxDaysOverdue: -16,
      nextStep: {
        status: 'scheduled',
        on: '2026-12-07',
        stepKey: 'heads-up',
        text: 'Heads-up on 2026-12-07',
      },
    });
    expect(byName(overview.rows, 'Agency Ltd')).toMatchObject({
      balances: [{ currency: 'GBP', balanceMinor: 50_000 }],
      nextStep: { status: 'held', text: 'Handed over: referred to a collection agency' },
    });
  });

  it('shows the list in words, never an internal key, and explains the journey with the organisation’s numbers', async () => {
    const frame: PageFrame = {
      title: 'Customers',
      section: 'customers',
      orgId,
      organisations: [{ id: orgId, name: 'Overview Ltd' }],
      email: 'owner@overview.example',
      csrfToken: 'token',
    };
    const overview = await customersOverview(db(), orgId, { now, include: 'all' });
    const policy = await policyOf(db(), orgId);
    const page = customersPage(frame, overview, { search: '', sort: 'overdue' }, 'en-GB', {
      policy: { ...policy, minDaysBetweenContacts: 9, finalNoticeGraceDays: 21, closedDays: ['2026-12-24'] },
      timeZone: 'Europe/London',
    });
    expect(internalKeysShown(page)).toEqual([]);
    const text = visibleText(page);
    // The held, capped and scheduled customers are all on it, in words.
    expect(text).toContain('contact cap: last contact 3 days ago');
    expect(text).toContain('Handed over: referred to a collection agency');
    expect(text).toContain('How Dunwell chases a customer');
    expect(text).toContain(
      'Each customer walks one ladder, not one per invoice: friendly heads-up before the due date, reminder, firm reminder, firm reminder with late fees, formal demand (senior contacts copied), final notice (senior contacts copied), then a suggestion for you to approve (agency, settlement or write-off).',
    );
    expect(text).toContain('every overdue invoice of that customer, with the totals per currency');
    expect(text).toContain('at most once every 9 days');
    expect(text).toContain('only in working hours (9:00 to 17:00) on weekdays in the customer’s time zone');
    expect(text).toContain(
      'never on the public holidays of the customer’s country (else yours) nor on the day you are closed',
    );
    expect(text).toContain('at least 21 days after the final notice');
    expect(text).toContain('credits cover what they owe is not chased');
    expect(text).toContain(
      'Paying everything ends the journey. A promise to pay, a payment plan or a dispute pauses it.',
    );
  });

  it('leaves out customers owing nothing unless asked, then lists them last', async () => {
    const all = await customersOverview(db(), orgId, { now, include: 'all' });
    expect(all.total).toBe(7);
    expect(all.rows.at(-1)).toMatchObject({
      name: 'Paid Up Ltd',
      balances: [],
      openInvoices: 0,
      maxDaysOverdue: null,
      segment: null,
      nextStep: { status: 'none', text: 'Nothing owed' },
    });
  });

  it('sorts by name or by what is owed in the organisation’s currency, and pages', async () => {
    const byNames = await customersOverview(db(), orgId, { now, sort: 'name' });
    expect(byNames.rows.map((row) => row.name)).toEqual([
      'Agency Ltd',
      'Capped Ltd',
      'Disputed Ltd',
      'Due Now Ltd',
      'Excluded Ltd',
      'Not Yet Ltd',
    ]);
    const byBalance = await customersOverview(db(), orgId, { now, sort: 'balance' });
    expect(byBalance.rows.map((row) => row.name)).toEqual([
      'Agency Ltd',
      'Capped Ltd',
      'Due Now Ltd',
      'Excluded Ltd',
      'Disputed Ltd',
      'Not Yet Ltd',
    ]);
    const second = await customersOverview(db(), orgId, { now, page: 2, pageSize: 2 });
    expect(second.rows.map((row) => row.name)).toEqual(['Excluded Ltd', 'Capped Ltd']);
    expect(second).toMatchObject({ total: 6, page: 2, pageSize: 2, pageCount: 3 });
    const beyond = await customersOverview(db(), orgId, { now, page: 9, pageSize: 2 });
    expect(beyond).toMatchObject({ rows: [], total: 6 });
  });

  it('searches names, taking wildcards literally', async () => {
    const found = await customersOverview(db(), orgId, { now, search: ' CAP ' });
    expect(found.rows.map((row) => row.name)).toEqual(['Capped Ltd']);
    expect(found.total).toBe(1);
    expect((await customersOverview(db(), orgId, { now, search: '%' })).total).toBe(0);
  });

  it('never shows another organisation’s customers', async () => {
    const everything = await customersOverview(db(), orgId, { now, include: 'all', search: 'Ltd' });
    expect(everything.rows.map((row) => row.id)).not.toContain(ids.get('stranger'));
    const theirs = await customersOverview(db(), otherOrgId, { now });
    expect(theirs.rows.map((row) => row.name)).toEqual(['Other Org Ltd']);
  });

  it('asks the database the same number of times for a page of two as for a page of six', async () => {
    const pool = database.pool;
    const query = pool.query.bind(pool);
    let count = 0;
    const counting = ((...args: Parameters<typeof pool.query>) => {
      count++;
      return (query as (...rest: unknown[]) => unknown)(...args);
    }) as typeof pool.query;
    pool.query = counting;
    try {
      await customersOverview(db(), orgId, { now, pageSize: 2 });
      const small = count;
      count = 0;
      await customersOverview(db(), orgId, { now, pageSize: 6 });
      expect(small).toBeGreaterThan(0);
      expect(count).toBe(small);
    } finally {
      pool.query = query;
    }
  });
});

describe('a customer’s overrides', () => {
  let database: DatabaseHandle;
  let orgId: string;
  let customerId: string;
  let otherOrgId: string;
  const db = () => database.db;
  const nudge = {
    key: 'nudge',
    offsetDays: -10,
    action: 'email',
    template: 'friendly',
    tone: 'friendly',
    copyEscalationContacts: false,
    requiresApproval: false,
  };

  beforeAll(async () => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 4, logger: createLogger('silent') });
    const [organisation, other] = await db()
      .insert(organisations)
      .values([
        { name: 'Overrides Ltd', currency: 'GBP', timeZone: 'Europe/London' },
        { name: 'Other Overrides Ltd', currency: 'GBP', timeZone: 'Europe/London' },
      ])
      .returning();
    orgId = organisation?.id ?? '';
    otherOrgId = other?.id ?? '';
    const [connection] = await db()
      .insert(ledgerConnections)
      .values({ orgId, vendor: 'xero', tenantId: `tenant-overrides-${Date.now()}` })
      .returning();
    const scope = { orgId, connectionId: connection?.id ?? '' };
    const saved = await upsertCustomers(db(), scope, [customer('later', 'Not Yet Ltd')]);
    customerId = saved.get('later') ?? '';
    await upsertInvoices(db(), scope, [invoice('later-1', 'later', '2026-12-10', 1_000)]);
  });
  afterAll(() => database.pool.end());

  const contactsOf = () =>
    db()
      .select({ email: customerContacts.email, role: customerContacts.role, source: customerContacts.source })
      .from(customerContacts)
      .where(eq(customerContacts.customerId, customerId));
  const logOf = () =>
    db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.customerId, customerId), eq(activityLog.kind, 'customer.overrides_saved')));

  it('saves overrides and escalation contacts, logs it, and the planner follows them', async () => {
    const result = await saveCustomerOverrides(db(), {
      orgId,
      customerId,
      overrides: { segment: 'reliable', steps: [nudge], excluded: false },
      escalationContacts: [{ name: 'Finance Director', email: ' FD@NotYet.example ' }],
      actor,
    });
    expect(result).toMatchObject({
      ok: true,
      overrides: { segment: 'reliable', steps: [{ key: 'nudge', lateFeeNotice: false }] },
      escalationContacts: [{ name: 'Finance Director', email: 'fd@notyet.example', bounced: false }],
    });
    expect(result.ok && 'excluded' in result.overrides).toBe(false);
    expect(await contactsOf()).toEqual(
      expect.arrayContaining([{ email: 'fd@notyet.example', role: 'escalation', source: 'manual' }]),
    );
    const [entry] = await logOf();
    expect(entry).toMatchObject({ actor, orgId });
    expect(entry?.summary).toContain('segment set to reliable');

    // Its own schedule (a heads-up 10 days ahead) replaces the organisation's (3 days ahead).
    const [row] = (await customersOverview(db(), orgId, { now })).rows;
    expect(row).toMatchObject({
      segment: { segment: 'reliable', overridden: true },
      overrides: { segment: 'reliable', ownSchedule: true },
      nextStep: { on: '2026-11-30', stepKey: 'nudge', text: 'Heads-up on 2026-11-30' },
    });
    expect(await customerOverridesOf(db(), orgId, customerId)).toMatchObject({
      name: 'Not Yet Ltd',
      overrides: { segment: 'reliable' },
      escalationContacts: [{ email: 'fd@notyet.example' }],
    });
  });

  it('replaces the escalation contacts added by hand, keeping the ledger’s', async () => {
    const result = await saveCustomerOverrides(db(), {
      orgId,
      customerId,
      overrides: { doNotContact: true },
      escalationContacts: [{ email: 'ceo@notyet.example' }],
      actor,
    });
    expect(result).toMatchObject({ ok: true, overrides: { doNotContact: true } });
    const contacts = await contactsOf();
    expect(contacts.map((contact) => contact.email).sort()).toEqual([
      'ap@later.example',
      'ceo@notyet.example',
    ]);
    expect((await customerOverridesOf(db(), orgId, customerId))?.overrides).toEqual({ doNotContact: true });
    expect(await logOf()).toHaveLength(2);
  });

  it('lists every problem with its field, and saves nothing', async () => {
    const before = await customerOverridesOf(db(), orgId, customerId);
    const result = await saveCustomerOverrides(db(), {
      orgId,
      customerId,
      overrides: {
        excluded: 'yes',
        steps: [{ ...nudge, key: 'Bad Key', offsetDays: 1.5 }, nudge, { ...nudge, offsetDays: 2 }],
        colour: 'red',
      },
      escalationContacts: [
        { email: 'a@x.example' },
        { email: 'b@x.example' },
        { email: 'not an address' },
        { email: 'd@x.example' },
        { email: 'e@x.example' },
        { email: 'f@x.example' },
      ],
      actor,
    });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^overrides\.excluded: /),
        expect.stringMatching(/^overrides\.steps\.0\.key: /),
        expect.stringMatching(/^overrides\.steps\.0\.offsetDays: /),
        'overrides.steps.2.key: appears twice',
        expect.stringMatching(/^overrides: Unrecognized key: "colour"/),
        'escalationContacts.2.email: not a valid email address',
        'escalationContacts: at most 5 escalation contacts',
      ]),
    );
    expect(await customerOverridesOf(db(), orgId, customerId)).toEqual(before);
    expect(await logOf()).toHaveLength(2);

    const twice = await saveCustomerOverrides(db(), {
      orgId,
      customerId,
      overrides: { steps: [nudge, nudge] },
      escalationContacts: [{ email: 'x@y.example' }, { email: 'X@y.example' }],
      actor,
    });
    expect(twice).toEqual({
      ok: false,
      reason: 'invalid',
      problems: ['overrides.steps.1.key: appears twice', 'escalationContacts.1.email: appears twice'],
    });
  });

  it('refuses an address a person already added in another role, and saves nothing', async () => {
    await db()
      .insert(customerContacts)
      .values({ orgId, customerId, email: 'ops@notyet.example', role: 'billing', source: 'manual' });
    const result = await saveCustomerOverrides(db(), {
      orgId,
      customerId,
      overrides: { excluded: true },
      escalationContacts: [{ email: 'boss@notyet.example' }, { email: 'OPS@notyet.example' }],
      actor,
    });
    expect(result).toEqual({
      ok: false,
      reason: 'invalid',
      problems: ['escalationContacts.1.email: already a billing contact of this customer'],
    });
    expect((await customerOverridesOf(db(), orgId, customerId))?.overrides).toEqual({ doNotContact: true });
    expect(await logOf()).toHaveLength(2);
  });

  it('answers not found for another organisation’s customer, and changes nothing', async () => {
    const result = await saveCustomerOverrides(db(), {
      orgId: otherOrgId,
      customerId,
      overrides: { excluded: true },
      escalationContacts: [],
      actor,
    });
    expect(result).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await customerOverridesOf(db(), otherOrgId, customerId)).toBeNull();
    expect(await customerOverridesOf(db(), orgId, 'not-a-uuid')).toBeNull();
    const [row] = await db()
      .select({ overrides: customers.collectionOverrides })
      .from(customers)
      .where(eq(customers.id, customerId));
    expect(row?.overrides).toEqual({ doNotContact: true });
  });
  it('pauses a customer until a date, taking back the reminder waiting for them; sends to the addresses chosen', async () => {
    const scope = {
      orgId,
      connectionId:
        (await db().select().from(ledgerConnections).where(eq(ledgerConnections.orgId, orgId)))[0]?.id ?? '',
    };
    const saved = await upsertCustomers(db(), scope, [customer('paused', 'Paused Ltd')]);
    const pausedId = saved.get('paused') ?? '';
    await upsertInvoices(db(), scope, [invoice('paused-1', 'paused', '2026-11-16', 50_000)]);
    // Eight days overdue on a Tuesday morning: a reminder is planned and waits in the outbox.
    expect((await evaluateOrganisation(db(), orgId, { now })).emails).toBe(1);
    const waiting = () =>
      db().select().from(outboundMessages).where(eq(outboundMessages.customerId, pausedId));
    expect(await waiting()).toHaveLength(1);

    const result = await saveCustomerOverrides(db(), {
      orgId,
      customerId: pausedId,
      overrides: { pausedUntil: '2026-12-01', recipients: ['CFO@paused.example'] },
      escalationContacts: [],
      actor,
    });
    expect(result).toMatchObject({
      ok: true,
      overrides: { pausedUntil: '2026-12-01', recipients: ['cfo@paused.example'] },
    });
    // Taken back with its step, and said so; nothing planned again while the pause holds.
    expect(await waiting()).toEqual([]);
    expect(await db().select().from(collectionSteps).where(eq(collectionSteps.customerId, pausedId))).toEqual(
      [],
    );
    const withdrawn = await db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.customerId, pausedId), eq(activityLog.kind, 'reminder.withdrawn')));
    expect(withdrawn[0]?.summary).toContain('your choices for this customer changed');
    expect((await evaluateOrganisation(db(), orgId, { now })).emails).toBe(0);
    const row = byName((await customersOverview(db(), orgId, { now })).rows, 'Paused Ltd');
    expect(row.nextStep).toMatchObject({ on: '2026-12-01', guard: { kind: 'paused_by_you' } });

    // The chosen address is a contact (a bounce on it is recorded), and the reminder goes to it alone.
    expect(
      await db()
        .select({
          email: customerContacts.email,
          role: customerContacts.role,
          source: customerContacts.source,
        })
        .from(customerContacts)
        .where(and(eq(customerContacts.customerId, pausedId), eq(customerContacts.source, 'manual'))),
    ).toEqual([{ email: 'cfo@paused.example', role: 'billing', source: 'manual' }]);
    const tuesdayAfter = new Date('2026-12-01T10:00:00Z');
    expect((await evaluateOrganisation(db(), orgId, { now: tuesdayAfter })).emails).toBe(1);
    expect((await waiting()).map((message) => message.to.map((to) => to.email))).toEqual([
      ['cfo@paused.example'],
    ]);
  });
});
