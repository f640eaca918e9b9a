import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import type { RenderEmail } from '../../src/collections/apply-plan.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { customers, debtorReplies, outboundMessages } from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { replyAddresses, replyAddressKey } from '../../src/domain/reply-address.js';
import { deliverMessage } from '../../src/messaging/delivery/deliver-message.js';
import { createLocalTransport } from '../../src/messaging/transport/local.js';
import { weekdayAt } from '../helpers/calendar.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { waitFor } from '../helpers/wait.js';

const secret = 'inbound-secret-away-0123456789';
const domain = 'in.dunwell.example';
const dayMs = 86_400_000;
/** Noon UTC on a working day (the organisation's zone is UTC): inside the default sending window. */
const firstEvaluation = weekdayAt(0, 12);
const isoDay = (at: Date) => at.toISOString().slice(0, 10);
/** Noon on the first working day at least `days` after the first evaluation. */
const workingDayAfter = (days: number) => {
  const at = new Date(firstEvaluation.getTime() + days * dayMs);
  while (at.getUTCDay() === 0 || at.getUTCDay() === 6) at.setTime(at.getTime() + dayMs);
  return at;
};
const seed: CompanySeed = {
  name: 'Away Ltd',
  homeCurrency: 'GBP',
  customers: [{ id: '1', displayName: 'Away Ann', email: 'ap@away.example' }],
  invoices: [
    {
      id: '91',
      customerId: '1',
      total: 50_000,
      status: 'overdue',
      dueDate: addDays(isoDay(firstEvaluation), -10),
    },
  ],
};
const render: RenderEmail = async (action, snapshot) => ({
  subject: `${action.stepKey} for ${snapshot.customerName}`,
  html: '<p>h</p>',
  text: 't',
});

describe('a reminder that reached an empty desk', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  const transport = createLocalTransport();
  const db = () => qbo.runtime.database.db;
  const remindersOf = async () => {
    const [customer] = await db()
      .select()
      .from(customers)
      .where(and(eq(customers.orgId, orgId), eq(customers.name, 'Away Ann')));
    return db()
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.customerId, customer?.id ?? ''))
      .orderBy(outboundMessages.createdAt);
  };

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed, {
      INBOUND_EMAIL_SECRET: secret,
      INBOUND_REPLY_DOMAIN: domain,
    });
    ({ orgId } = await qbo.connectAndSync());
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('is sent again, once, when its reader is back, before the ladder goes on', async () => {
    await evaluateOrganisation(db(), orgId, { now: firstEvaluation, render });
    const [first] = await remindersOf();
    // Ten days overdue, the first contact catches up with the firm reminder (day 7).
    expect(first?.renderInputs?.stepKey).toBe('firm');
    const sentAt = firstEvaluation;
    expect(
      await deliverMessage(
        {
          db: db(),
          ledger: qbo.runtime.ledger,
          transport,
          from: { email: 'reminders@dunwell.example', name: 'Away Ltd' },
          links: portalClient(qbo).links,
          unsubscribeUrl: ({ id }) => `https://dunwell.example/opt-out/${id}`,
          now: () => sentAt,
          replyAddresses: replyAddresses(replyAddressKey(qbo.environment['SESSION_SECRET'] ?? ''), domain),
        },
        first?.id ?? '',
      ),
    ).toBe('sent');

    // The cap runs out after a week and "firm-fees" (day 14) is due by then; but the reader is away
    // until two days after that.
    const capOver = workingDayAfter(8);
    const back = workingDayAfter(10);
    const form = new FormData();
    form.append('from', 'Ann <ap@away.example>');
    form.append('to', transport.sent()[0]?.replyTo?.email ?? '');
    form.append('subject', 'Automatic reply: firm for Away Ann');
    form.append('text', `I am out of the office until ${isoDay(back)} with no access to email.`);
    const posted = await fetch(`${qbo.runtime.url}/webhooks/sendgrid/inbound/${secret}`, {
      method: 'POST',
      body: form,
    });
    expect(posted.status).toBe(200);
    const reply = await waitFor(
      async () => (await db().select().from(debtorReplies).where(eq(debtorReplies.orgId, orgId)))[0],
      { what: 'the out-of-office reply to be processed' },
    );
    expect(reply).toMatchObject({ class: 'out_of_office', returnsOn: isoDay(back) });
    // A person has read it: the reply itself no longer pauses chasing; the missed rung still does.
    await db().update(debtorReplies).set({ readAt: sentAt }).where(eq(debtorReplies.id, reply.id));

    await evaluateOrganisation(db(), orgId, { now: capOver, render });
    expect((await remindersOf()).map((message) => message.renderInputs?.stepKey)).toEqual(['firm']);

    await evaluateOrganisation(db(), orgId, { now: back, render });
    const again = (await remindersOf()).at(-1);
    expect((await remindersOf()).map((message) => message.renderInputs?.stepKey)).toEqual(['firm', 'firm']);
    expect(again?.idempotencyKey).not.toBe(first?.idempotencyKey);
  });
});
