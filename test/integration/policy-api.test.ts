import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defaultPolicy } from '../../src/collections/policy.js';
import { policyOf } from '../../src/collections/policy-versions.js';
import { activityLog } from '../../src/db/schema/index.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

describe('the collection policy setting, versioned', () => {
  let qbo: QuickBooksHarness;
  let cookie: string;
  let csrf: string;
  let orgId: string;
  const api = (path: string, init: RequestInit = {}, withSession = true) =>
    fetch(`${qbo.runtime.url}/api/organisations/${orgId}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(withSession ? { cookie, 'x-csrf-token': csrf } : {}),
      },
    });
  const save = (basedOnVersion: number, policy: unknown) =>
    api('/policy', { method: 'PUT', body: JSON.stringify({ basedOnVersion, policy }) });

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), {
      name: 'Policy Ltd',
      homeCurrency: 'GBP',
      customers: [],
      invoices: [],
    });
    ({ cookie, csrf, orgId } = await qbo.connectAndSync());
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('shows the defaults as version 0, and nothing to a stranger', async () => {
    const current = await (await api('/policy')).json();
    expect(current).toMatchObject({ version: 0, createdBy: null, policy: { minDaysBetweenContacts: 7 } });
    expect((await api('/policy', {}, false)).status).toBe(404);
    expect((await api('/policy/versions', {}, false)).status).toBe(404);
  });

  it('refuses an invalid policy with every problem and where it is, and saves nothing', async () => {
    const refused = await save(0, {
      ...defaultPolicy,
      sendingWindow: { weekdays: [1, 2, 3], startHour: 16, endHour: 10 },
      lateFees: { rule: { kind: 'flat', amountMinor: -5, graceDays: 0 }, debtorsAreBusinesses: true },
    });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { code: string; details: { problems: string[] } } };
    expect(body.error.code).toBe('invalid_policy');
    expect(body.error.details.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^lateFees\.rule\.amountMinor: /),
        expect.stringMatching(/^sendingWindow\.endHour: must be after the start hour/),
      ]),
    );
    expect(((await (await api('/policy')).json()) as { version: number }).version).toBe(0);
  });

  it('saves a new version on top of the one edited, refuses a stale edit, and the engine uses it', async () => {
    const edited = {
      ...defaultPolicy,
      minDaysBetweenContacts: 10,
      lateFees: { rule: { kind: 'flat', amountMinor: 2_500, graceDays: 7 }, debtorsAreBusinesses: true },
    };
    const saved = await save(0, edited);
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ version: 1, createdBy: 'session', policy: { version: 1 } });

    const stale = await save(0, { ...edited, minDaysBetweenContacts: 14 });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: 'policy_changed' } });

    expect((await save(1, { ...edited, minDaysBetweenContacts: 14 })).status).toBe(200);
    const versions = (await (await api('/policy/versions')).json()) as {
      versions: Array<{ version: number }>;
    };
    expect(versions.versions.map((entry) => entry.version)).toEqual([2, 1]);

    const db = qbo.runtime.database.db;
    const inForce = await policyOf(db, orgId);
    expect(inForce).toMatchObject({ version: 2, minDaysBetweenContacts: 14, lateFees: edited.lateFees });
    const log = await db.select().from(activityLog).where(eq(activityLog.kind, 'policy.saved'));
    expect(log.map((entry) => entry.summary).sort()).toEqual([
      'Collection policy version 1 saved.',
      'Collection policy version 2 saved.',
    ]);
  });
});
