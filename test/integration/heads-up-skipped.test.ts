import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RenderEmail } from '../../src/collections/apply-plan.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import {
  activityLog,
  invoices,
  ledgerConnections,
  organisations,
  outboundMessages,
} from '../../src/db/schema/index.js';
import { createLogger } from '../../src/logger.js';
import { upsertCustomers, upsertInvoices } from '../../src/sync/mirror.js';
import { invoiceTimeline } from '../../src/timeline/timeline.js';
import { timelineList } from '../../src/web/app/pages/timeline.js';
import { visibleText } from '../helpers/visible-text.js';

const render: RenderEmail = async (action) => ({
  subject: action.stepKey,
  html: `<p>${action.stepKey}</p>`,
  text: action.stepKey,
});

/*
 * A heads-up whose day has passed (the invoice came into the ledger late) is skipped and says so on
 * the invoice's timeline, once, and is never sent late; one whose day it is goes as usual.
 */
describe('a heads-up whose day has passed', () => {
  let database: DatabaseHandle;
  let orgId: string;
  // Tuesday 24 November 2026, 10:00 in London. The default heads-up goes 3 days before the due date.
  const now = new Date('2026-11-24T10:00:00Z');
  const db = () => database.db;

  beforeAll(async () => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 4, logger: createLogger('silent') });
    const [organisation] = await db()
      .insert(organisations)
      .values({ name: 'Heads Up Ltd', currency: 'GBP', timeZone: 'Europe/London', sending: 'live' })
      .returning();
    orgId = organisation?.id ?? '';
    const [connection] = await db()
      .insert(ledgerConnections)
      .values({ orgId, vendor: 'xero', tenantId: `tenant-heads-up-${Date.now()}` })
      .returning();
    const scope = { orgId, connectionId: connection?.id ?? '' };
    const customer = (externalId: string, name: string) => ({
      externalId,
      name,
      active: true,
      currency: 'GBP',
      updatedAt: null,
      contacts: [{ name: null, email: `ap@${externalId}.example`, role: 'billing' as const }],
    });
    await upsertCustomers(db(), scope, [
      customer('late', 'Late Sync Ltd'),
      customer('ontime', 'On Time Ltd'),
    ]);
    const invoice = (externalId: string, customerExternalId: string, dueDate: string) => ({
      externalId,
      customerExternalId,
      number: externalId.toUpperCase(),
      currency: 'GBP',
      totalMinor: 50_000,
      balanceMinor: 50_000,
      issueDate: null,
      dueDate,
      status: 'open' as const,
      version: null,
      paymentUrl: null,
      billEmail: null,
      updatedAt: null,
    });
    await upsertInvoices(db(), scope, [
      // Due Thursday: its heads-up was for Monday, before the invoice was here.
      invoice('inv-late', 'late', '2026-11-26'),
      // Due Friday: its heads-up is today.
      invoice('inv-ontime', 'ontime', '2026-11-27'),
    ]);
  });
  afterAll(() => database.pool.end());

  it('is skipped once, with the reason on the invoice’s timeline, and never sent late', async () => {
    await evaluateOrganisation(db(), orgId, { now, render });
    // Every hour until the due date, and on it: still skipped, recorded once, nothing queued.
    for (const hours of [1, 24, 48])
      await evaluateOrganisation(db(), orgId, { now: new Date(now.getTime() + hours * 3_600_000), render });

    const messages = await db().select().from(outboundMessages).where(eq(outboundMessages.orgId, orgId));
    expect(messages.map((message) => message.to[0]?.email)).toEqual(['ap@ontime.example']);
    expect(messages[0]?.renderInputs).toMatchObject({ stepKey: 'heads-up' });

    const skipped = await db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.orgId, orgId), eq(activityLog.kind, 'step.skipped')));
    expect(skipped).toHaveLength(1);
    const [late] = await db()
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.orgId, orgId), eq(invoices.externalId, 'inv-late')));
    expect(skipped[0]).toMatchObject({ invoiceId: late?.id, details: { stepKey: 'heads-up' } });

    const page = await invoiceTimeline(db(), { orgId, invoiceId: late?.id ?? '' });
    const text = visibleText(String(timelineList(page, 'Europe/London', null)));
    expect(text).toContain(
      'Skipped friendly heads-up for invoice INV-LATE: its day was 23 Nov 2026 and had passed, so it is not sent late; the invoice is due 26 Nov 2026',
    );

    // The day after the due date, the journey's first reminder goes as usual.
    const after = await evaluateOrganisation(db(), orgId, { now: new Date('2026-11-27T10:00:00Z'), render });
    expect(after.emails).toBe(1);
  });
});
