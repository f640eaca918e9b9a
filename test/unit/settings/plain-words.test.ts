import { describe, expect, it } from 'vitest';
import type { GuardKind } from '../../../src/collections/guard.js';
import type { NextStep } from '../../../src/collections/next-step.js';
import type { CustomerOverviewRow, CustomersOverview } from '../../../src/customers/customers-overview.js';
import { defaultPolicy, segments, tones } from '../../../src/domain/policy.js';
import {
  defaultTemplate,
  renderEmail,
  richSampleContext,
  sampleContext,
  type TemplateName,
} from '../../../src/messaging/templates/index.js';
import { suggestedAction } from '../../../src/review/replies-to-read.js';
import { actOffered } from '../../../src/review/reply-acts.js';
import type { ReviewQueue } from '../../../src/review/review-queue.js';
import type { CustomerHeader } from '../../../src/timeline/timeline.js';
import type {
  TimelineEntry,
  TimelineFlag,
  TimelineMessageStatus,
  TimelinePage,
  TimelineWriteBack,
} from '../../../src/timeline/timeline-entry.js';
import { customerPage, customersPage } from '../../../src/web/app/pages/customers.js';
import type { PageFrame } from '../../../src/web/app/pages/layout.js';
import { reviewPage } from '../../../src/web/app/pages/review.js';
import { schedulePage } from '../../../src/web/app/pages/schedule.js';
import { internalKeyPattern, plainWords } from '../../../src/words/labels.js';
import { internalKeysShown, visibleText } from '../../helpers/visible-text.js';

const orgId = '00000000-0000-4000-8000-000000000001';
const frame: PageFrame = {
  title: 'Test',
  section: 'customers',
  orgId,
  organisations: [{ id: orgId, name: 'Plain Words Ltd' }],
  email: 'owner@plain.example',
  csrfToken: 'token',
};
const at = new Date('2026-03-02T10:00:00Z');

// Records over each kind, so a new kind added to a type must be added here too (tsc says so).
const guardKinds: Record<GuardKind, true> = {
  reply_unread: true,
  excluded: true,
  do_not_contact: true,
  paused_by_you: true,
  dispute: true,
  settlement: true,
  promise: true,
  payment_plan: true,
  below_minimum: true,
  contact_cap: true,
  opted_out: true,
  sending_window: true,
  handed_over: true,
};
const messageStatuses: Record<TimelineMessageStatus, true> = {
  awaiting_approval: true,
  queued: true,
  sending: true,
  sent: true,
  uncertain: true,
  failed: true,
  cancelled: true,
};
const writeBackKinds: Record<TimelineWriteBack['kind'], true> = { note: true, due_date: true, credit: true };
const writeBackStatuses: Record<TimelineWriteBack['status'], true> = {
  pending: true,
  in_progress: true,
  done: true,
  failed: true,
};
const flagStatuses: Record<TimelineFlag['status'], true> = {
  pending: true,
  approved: true,
  rejected: true,
  withdrawn: true,
};
const flagKinds = ['agency_referral', 'settlement_offer', 'write_off'];
const decisions = [...flagKinds, 'keep_chasing'];
const stepKeys = defaultPolicy.steps.map((step) => step.key);

const base = (id: string, kind: string, summary: string, reason: string | null) => ({
  id,
  at,
  kind,
  actor: 'system',
  summary,
  reason,
  invoiceIds: [],
});

/** A timeline with an entry of every type in every state, whose texts carry the keys the engine uses. */
function everyKindOfTimeline(): TimelinePage {
  const entries: TimelineEntry[] = [];
  for (const status of Object.keys(messageStatuses) as TimelineMessageStatus[])
    entries.push({
      ...base(
        `message:${status}`,
        `message.${status}`,
        `A reminder is ${status}`,
        `rung 4 of 6, "firm-fees" (firm)`,
      ),
      type: 'message',
      message: {
        id: status,
        purpose: 'reminder',
        status,
        template: 'firm',
        stepKey: 'firm-fees',
        tone: 'firm',
        to: [{ email: 'ap@debtor.example' }],
        cc: [],
        rendered: status === 'sent',
        subject: status === 'sent' ? 'Overdue invoices' : null,
        text: status === 'sent' ? 'Please pay what is overdue.' : null,
        html: status === 'sent' ? '<p>Please pay what is overdue.</p>' : null,
        queuedAt: at,
        sentAt: status === 'sent' ? at : null,
        deliveredAt: null,
        openedAt: null,
        problem: status === 'failed' ? 'hard_bounce' : null,
        error: status === 'cancelled' ? 'not_owed: paid in the ledger' : null,
        attempts: 1,
      },
    });
  for (const kind of Object.keys(writeBackKinds) as TimelineWriteBack['kind'][])
    for (const status of Object.keys(writeBackStatuses) as TimelineWriteBack['status'][])
      entries.push({
        ...base(`write_back:${kind}:${status}`, `write_back.${kind}`, `Ledger ${kind}`, null),
        type: 'write_back',
        ledgerWrite: {
          id: `${kind}:${status}`,
          kind,
          status,
          attempts: 1,
          error: status === 'failed' ? 'rate_limited' : null,
          doneAt: null,
          outcome: null,
        },
      });
  for (const status of Object.keys(flagStatuses) as TimelineFlag['status'][])
    for (const decision of status === 'approved' ? decisions : [null]) {
      const flag: TimelineFlag = {
        id: `${status}:${decision}`,
        kinds: flagKinds,
        daysOverdue: 120,
        recommended: 'write_off',
        status,
        decision,
        decidedBy: status === 'pending' ? null : 'user:1',
        decidedAt: status === 'pending' ? null : at,
      };
      entries.push({
        ...base(
          `flag:${flag.id}`,
          'flag.raised',
          'Flagged for agency_referral / write_off',
          'a "settle-or-write-off" step',
        ),
        type: 'flag',
        flag,
      });
      entries.push({
        ...base(`activity:${flag.id}`, `flag.${status}`, `Approved: ${decision ?? 'nothing'}`, null),
        type: 'activity',
        messageId: null,
        arrangement: null,
        flag,
      });
    }
  for (const status of ['open', 'done', 'dismissed'] as const)
    entries.push({
      ...base(`task:${status}`, 'task.created', 'Task for a person: call them', 'payment_plan broken'),
      type: 'task',
      task: { id: status, description: 'call them', status, closedAt: null, closedBy: null },
    });
  for (const key of stepKeys)
    entries.push({
      ...base(`activity:step:${key}`, 'reminder.planned', `Step "${key}" planned`, `rung 1 of 8, "${key}"`),
      type: 'activity',
      messageId: null,
      arrangement: null,
      flag: null,
    });
  return { entries, nextCursor: null };
}

const header: CustomerHeader = {
  id: '00000000-0000-4000-8000-000000000002',
  name: 'Every Kind Ltd',
  currency: 'GBP',
  timeZone: 'Europe/London',
  active: true,
  deletedAt: null,
  optedOutAt: at,
  overrides: { segment: 'chronic' },
  contacts: [
    { id: 'c1', name: null, email: 'ap@debtor.example', role: 'billing', source: 'ledger', bouncedAt: null },
    {
      id: 'c2',
      name: 'Boss',
      email: 'boss@debtor.example',
      role: 'escalation',
      source: 'manual',
      bouncedAt: at,
    },
  ],
  openBalances: [{ currency: 'GBP', balanceMinor: 12_000, invoiceCount: 3 }],
};

function row(kind: GuardKind, index: number): CustomerOverviewRow {
  const nextStep: NextStep = {
    status: 'held',
    on: null,
    step: null,
    stepKey: stepKeys[index % stepKeys.length] ?? null,
    guard: { kind, text: `held: ${kind}`, until: null },
    text: `Held: ${kind}`,
    why: `rung 2 of 6, "${stepKeys[index % stepKeys.length]}" (firm); ${kind}`,
  };
  return {
    id: `00000000-0000-4000-8000-0000000001${String(index).padStart(2, '0')}`,
    name: `Customer ${index}`,
    segment: {
      segment: segments[index % segments.length] ?? 'new',
      reason: 'late_on_most invoices',
      overridden: index % 2 === 0,
    },
    balances: [{ currency: 'GBP', balanceMinor: 1_000 * (index + 1) }],
    openInvoices: 1,
    maxDaysOverdue: index * 10 - 5,
    overrides: {
      excluded: kind === 'excluded',
      doNotContact: kind === 'do_not_contact',
      segment: null,
      ownSchedule: false,
    },
    optedOut: kind === 'opted_out',
    nextStep,
  };
}

describe('people’s words, never internal keys', () => {
  it('writes the keys in free text as words', () => {
    expect(plainWords('rung 4 of 6, "firm-fees" (firm)')).toBe(
      'rung 4 of 6, firm reminder with late fees (firm)',
    );
    expect(plainWords('Flagged for agency_referral / settlement_offer / write_off')).toBe(
      'Flagged for agency referral / settlement offer / write-off',
    );
    expect(plainWords('a "heads-up" then "settle-or-write-off"')).toBe(
      'a friendly heads-up then settlement offer or write-off',
    );
    expect(plainWords('status awaiting_approval; contact_cap; below_minimum')).toBe(
      'status waiting for your approval; contact limit; below the minimum worth chasing',
    );
    // Plain English and quoted text that is not a key are left alone.
    expect(plainWords('a friendly heads-up, "Overdue invoices"')).toBe(
      'a friendly heads-up, "Overdue invoices"',
    );
    expect(plainWords('an unknown_key_here')).toBe('an unknown key here');
    // Addresses and links keep their underscores.
    expect(
      plainWords('Email to ap_team@debtor.example bounced (see https://x.example/a_b), payment_plan'),
    ).toBe('Email to ap_team@debtor.example bounced (see https://x.example/a_b), payment plan');
  });

  it('shows a timeline with every kind of entry in every state in words', () => {
    const page = customerPage(frame, {
      header,
      overrides: {
        customerId: header.id,
        name: header.name,
        overrides: header.overrides,
        escalationContacts: [],
      },
      timeline: everyKindOfTimeline(),
      next: {
        status: 'held',
        on: null,
        step: null,
        stepKey: null,
        guard: { kind: 'dispute', text: 'paused: disputed', until: null },
        text: 'Held: paused_while_disputed',
        why: 'a "dispute" holds every invoice (contact_cap later)',
      },
      arrangements: {
        promise: null,
        plan: {
          status: 'awaiting_approval',
          installments: 3,
          next: { dueDate: '2026-02-01', amount: { amountMinor: 1_000, currency: 'GBP' } },
        },
        dispute: { reason: 'not_received', message: '', since: new Date('2026-01-05T10:00:00Z') },
        settlement: { status: 'offered', amount: { amountMinor: 500, currency: 'GBP' }, payBy: '2026-02-10' },
      },
      invoices: [
        {
          id: 'i1',
          number: 'INV-1',
          dueDate: '2026-01-01',
          balanceMinor: 1_000,
          currency: 'GBP',
          hold: null,
        },
        {
          id: 'i2',
          number: 'INV-2',
          dueDate: '2026-01-02',
          balanceMinor: 2_000,
          currency: 'GBP',
          hold: 'agency_referral',
        },
        {
          id: 'i3',
          number: 'INV-3',
          dueDate: '2026-01-03',
          balanceMinor: 3_000,
          currency: 'GBP',
          hold: 'write_off',
        },
      ],
      timeZone: 'Europe/London',
      locale: 'en-GB',
    });
    expect(internalKeysShown(page)).toEqual([]);
    const text = visibleText(page);
    expect(text).toContain('waiting for your approval');
    expect(text).toContain('Suggestion: agency referral or settlement offer or write-off');
    expect(text).toContain('chosen: keep chasing');
    expect(text).toContain('firm reminder with late fees');
    expect(text).toContain('with a collection agency');
    expect(text).toContain('written off');
    expect(text).toContain('in progress');
  });

  it('shows the customers list with every kind of guard, and the schedule page, in words', () => {
    const rows = (Object.keys(guardKinds) as GuardKind[]).map(row);
    const overview: CustomersOverview = { rows, total: rows.length, page: 1, pageSize: 50, pageCount: 1 };
    const page = customersPage(frame, overview, { search: '', sort: 'overdue' }, 'en-GB', {
      policy: defaultPolicy,
      timeZone: 'Europe/London',
    });
    expect(internalKeysShown(page)).toEqual([]);
    expect(visibleText(page)).toContain('Held: payment plan');

    const schedule = schedulePage(
      { ...frame, section: 'schedule' },
      {
        policy: { ...defaultPolicy, timeZone: 'Europe/London' },
        inForce: defaultPolicy,
        version: 0,
        timeZone: 'Europe/London',
        currency: 'GBP',
        problems: new Map(),
      },
    );
    expect(internalKeysShown(schedule)).toEqual([]);
  });

  it('shows the review queue in words: suggestions, reminders of every tone, tasks, plans and disputes', () => {
    const customer = { customerId: header.id, customerName: header.name };
    const queue = {
      flags: [
        {
          ...customer,
          id: 'f1',
          kinds: flagKinds,
          daysOverdue: 130,
          invoiceIds: [],
          recommendation: {
            recommended: 'settlement_offer',
            summary: 'settlement_offer expected to bring most back',
            balance: { amountMinor: 50_000, currency: 'GBP' },
            options: decisions.map((choice) => ({
              choice,
              expected: { amountMinor: 10_000, currency: 'GBP' },
              probability: 0.4,
              cost: { amountMinor: 1_000, currency: 'GBP' },
              explanation: `${choice} after the "final" notice`,
            })),
          },
        },
      ],
      messages: defaultPolicy.steps.map((step, index) => ({
        ...customer,
        id: `m${index}`,
        status: 'awaiting_approval',
        to: [{ email: 'ap@debtor.example' }],
        subject: null,
        renderInputs: { tone: step.tone, stepKey: step.key },
        createdAt: at,
        attemptedAt: at,
      })),
      uncertain: [],
      tasks: [{ ...customer, id: 't1', description: 'Call them about the payment_plan', createdAt: at }],
      plans: [
        {
          ...customer,
          id: 'p1',
          currency: 'GBP',
          startBalanceMinor: 50_000,
          installments: [{ number: 1, dueDate: '2026-04-01', amountMinor: 50_000 }],
          approvalReason: 'more installments than your limit (max_installments)',
        },
      ],
      disputes: ['not_received', 'wrong_amount', 'already_paid', 'quality', 'other'].map((reason, index) => ({
        ...customer,
        id: `d${index}`,
        reason,
        message: 'We never got it.',
      })),
      replies: (
        [
          'paid_already',
          'promise',
          'dispute',
          'plan_request',
          'out_of_office',
          'unsubscribe',
          'other',
        ] as const
      ).map((replyClass, index) => ({
        ...customer,
        id: `r${index}`,
        class: replyClass,
        why: 'we will pay',
        promisedDate: replyClass === 'promise' ? '2026-04-03' : null,
        returnsOn: null,
        fromAddress: 'ap@debtor.example',
        subject: 'Re: your reminder',
        excerpt: 'We will pay on Friday.',
        suggestion: suggestedAction({ class: replyClass, promisedDate: '2026-04-03', returnsOn: null }),
        act: actOffered({ class: replyClass, promisedDate: '2026-04-03' }),
        receivedAt: at,
      })),
    } as unknown as ReviewQueue;
    const page = reviewPage({ ...frame, section: 'review' }, queue, 'en-GB');
    expect(internalKeysShown(page)).toEqual([]);
    const text = visibleText(page);
    expect(text).toContain('The goods or services were not received');
    expect(text).toContain('formal demand to ap@debtor.example');
    expect(text).toContain('Offer a settlement');
    expect(text).toContain('Record the promise to pay by 3 April 2026');
    expect(text).toContain('Open a dispute');
    expect(text).toContain('Stop emails to them');
    expect(text).toContain('Mark as read');
  });

  it('the default emails of every tone say no internal key, in their subject, text or html', async () => {
    const names: TemplateName[] = [...tones, 'installment', 'settlement'];
    for (const name of names)
      for (const context of [sampleContext, richSampleContext]) {
        const email = await renderEmail(defaultTemplate(name), context);
        expect(internalKeysShown(`<p>${email.subject}</p><pre>${email.text}</pre>`), name).toEqual([]);
        expect(internalKeysShown(email.html), name).toEqual([]);
      }
  });

  it('the check itself finds keys shown as text, not in attributes', () => {
    expect(internalKeyPattern.test('agency_referral')).toBe(true);
    expect(internalKeysShown('<p>Flagged for agency_referral</p>')).toHaveLength(1);
    expect(internalKeysShown('<p>"firm-fees" is next</p>')).toHaveLength(1);
    expect(
      internalKeysShown('<input name="steps.0.key" value="firm-fees" data-kind="write_back.note">'),
    ).toEqual([]);
    expect(internalKeysShown('<p>a friendly heads-up</p>')).toEqual([]);
  });
});
