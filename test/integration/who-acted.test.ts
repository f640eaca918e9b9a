import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { saveSchedule } from '../../src/collections/save-schedule.js';
import {
  activityLog,
  collectionPolicies,
  customers,
  ledgerConnections,
  organisations,
  users,
} from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { serviceContext } from '../../src/services/context.js';
import { today } from '../helpers/calendar.js';
import { Browser } from '../helpers/dunwell-harness.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const seed: CompanySeed = {
  name: 'Who Did It Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  user: { sub: 'intuit-who-1', email: 'olive@whodidit.example', givenName: 'Olive', familyName: 'Owner' },
  customers: [{ id: '1', displayName: 'Late Payer plc', email: 'ap@late.example' }],
  invoices: [{ id: '11', customerId: '1', total: 40_000, status: 'overdue', dueDate: addDays(today, -12) }],
};

describe('what a signed-in person does is stored with who they are', () => {
  let qbo: QuickBooksHarness;
  let owner: Browser;
  let orgId = '';
  let userId = '';
  const db = () => qbo.runtime.database.db;

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    owner = new Browser();
    const { connectionId } = await owner.connect(qbo.runtime.url, 'quickbooks');
    await qbo.waitForSync(connectionId, (row) => row.syncProgress?.phase === 'done');
    const [connection] = await db()
      .select({ orgId: ledgerConnections.orgId })
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connectionId));
    orgId = connection?.orgId ?? '';
    const [user] = await db()
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, seed.user?.email ?? ''));
    userId = user?.id ?? '';
    expect(orgId).not.toBe('');
    expect(userId).not.toBe('');
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('logs a customer’s settings saved from their page as that person, by user id', async () => {
    const [customer] = await db()
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.orgId, orgId), eq(customers.name, 'Late Payer plc')));
    const saved = await owner.request(`${qbo.runtime.url}/app/${orgId}/customers/${customer?.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: owner.csrfToken ?? '', excluded: 'on' }).toString(),
    });
    expect(saved.status).toBe(303);
    const logged = await db()
      .select({ actor: activityLog.actor, customerId: activityLog.customerId })
      .from(activityLog)
      .where(and(eq(activityLog.orgId, orgId), eq(activityLog.kind, 'customer.overrides_saved')));
    expect(logged).toEqual([{ actor: `user:${userId}`, customerId: customer?.id }]);
  });

  it('saves the schedule’s time zone with the policy, by that person, or neither', async () => {
    const ctx = serviceContext(
      qbo.runtime.database,
      { orgId, actor: { kind: 'person', userId } },
      new Date(),
    );
    const zoneOf = async () =>
      (
        await db()
          .select({ timeZone: organisations.timeZone })
          .from(organisations)
          .where(eq(organisations.id, orgId))
      )[0]?.timeZone;
    const zone = (await zoneOf()) === 'America/New_York' ? 'Asia/Tokyo' : 'America/New_York';

    expect(
      await saveSchedule(ctx, { edit: (current) => ({ ...current }), timeZone: zone, basedOnVersion: 0 }),
    ).toEqual({
      ok: true,
    });
    expect(await zoneOf()).toBe(zone);
    const [version] = await db()
      .select({ version: collectionPolicies.version, createdBy: collectionPolicies.createdBy })
      .from(collectionPolicies)
      .where(eq(collectionPolicies.orgId, orgId));
    expect(version).toEqual({ version: 1, createdBy: `user:${userId}` });
    const [logged] = await db()
      .select({ actor: activityLog.actor })
      .from(activityLog)
      .where(and(eq(activityLog.orgId, orgId), eq(activityLog.kind, 'policy.saved')));
    expect(logged?.actor).toBe(`user:${userId}`);

    // Based on a version that is no longer the newest: nothing is saved, the zone included.
    const stale = await saveSchedule(ctx, {
      edit: (current) => ({ ...current }),
      timeZone: 'Pacific/Auckland',
      basedOnVersion: 0,
    });
    expect(stale.ok).toBe(false);
    expect(stale.ok ? [] : [...stale.problems.keys()]).toEqual(['form']);
    expect(await zoneOf()).toBe(zone);
    // A zone that is not one: nothing is saved either.
    const unknownZone = await saveSchedule(ctx, {
      edit: (current) => ({ ...current }),
      timeZone: 'Mars/Olympus_Mons',
      basedOnVersion: 1,
    });
    expect(unknownZone.ok ? [] : [...unknownZone.problems.keys()]).toEqual(['timeZone']);
    expect(await zoneOf()).toBe(zone);
  });
});
