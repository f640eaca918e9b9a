import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { savePolicy } from '../../src/collections/policy-versions.js';
import { activityLog, ledgerWrites, organisations, outboundMessages } from '../../src/db/schema/index.js';
import { addDays, localMoment } from '../../src/domain/local-time.js';
import { defaultPolicy } from '../../src/domain/policy.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { waitFor } from '../helpers/wait.js';

/**
 * A fixed-offset zone where it is now between 10:00 and 16:00, so the real clock the jobs use is
 * inside the sending window whenever this test runs (every day of the week is allowed below).
 */
function zoneInWorkingHours(now: Date): string {
  for (let offset = -12; offset <= 14; offset += 1) {
    const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const { hour } = localMoment(now, zone);
    if (hour >= 10 && hour < 16) return zone;
  }
  throw new Error('no zone in working hours');
}

const zone = zoneInWorkingHours(new Date());
const localToday = localMoment(new Date(), zone).date;

const seed: CompanySeed = {
  name: 'Jobs Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [{ id: '1', displayName: 'Late Larry', email: 'larry@late.example' }],
  invoices: [
    {
      id: '901',
      docNumber: 'J-901',
      customerId: '1',
      total: 42_000,
      status: 'overdue',
      dueDate: addDays(localToday, -4),
    },
  ],
};

describe('the collections jobs, run by the worker', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;
  const db = () => qbo.runtime.database.db;

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    ({ orgId } = await qbo.connectAndSync());
    await db().update(organisations).set({ timeZone: zone }).where(eq(organisations.id, orgId));
    await savePolicy(db(), {
      orgId,
      basedOnVersion: 0,
      policy: {
        ...defaultPolicy,
        sendingWindow: { weekdays: [1, 2, 3, 4, 5, 6, 7], startHour: 9, endHour: 17 },
      },
      actor: 'test',
    });
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('evaluates an organisation, sends the reminder once and writes its note to the ledger', async () => {
    await qbo.runtime.jobs.send('collections.evaluate', { orgId });
    const sent = await waitFor(
      async () =>
        (await db().select().from(outboundMessages).where(eq(outboundMessages.orgId, orgId))).find(
          (row) => row.status === 'sent',
        ),
      { what: 'the reminder to be sent' },
    );
    expect(sent.to.map((address) => address.email)).toEqual(['larry@late.example']);
    expect(sent.bodyText).toMatch(/\/portal\/[\w-]+\.[\w-]+\.[\w-]+/);

    // The note follows through the sweep or the evaluation's own queueing.
    await qbo.runtime.jobs.send('collections.sweep-outbox', {});
    await waitFor(
      async () =>
        (await db().select().from(ledgerWrites).where(eq(ledgerWrites.orgId, orgId))).some(
          (row) => row.status === 'done',
        ),
      { what: 'the collection note to reach the ledger' },
    );
    const notes = qbo.emulator
      .company(qbo.realmId)
      .attachables.filter((note) => String(note['Note']).includes('emailed'));
    expect(notes).toHaveLength(1);

    // A second evaluation in the same hour plans nothing new.
    await qbo.runtime.jobs.send('collections.evaluate', { orgId });
    await waitFor(
      async () =>
        (await db().select().from(activityLog).where(eq(activityLog.orgId, orgId))).filter(
          (row) => row.kind === 'reminder.sent',
        ).length === 1,
      { what: 'the log to settle' },
    );
    expect(await db().select().from(outboundMessages).where(eq(outboundMessages.orgId, orgId))).toHaveLength(
      1,
    );
  });
});
