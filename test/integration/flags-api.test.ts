import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import type { RenderEmail } from '../../src/collections/apply-plan.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { activityLog, collectionFlags } from '../../src/db/schema/index.js';
import { seedFinalNotice } from '../helpers/journey.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const dayFromToday = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const seed: CompanySeed = {
  name: 'Flags Ltd',
  homeCurrency: 'USD',
  customers: [{ id: '1', displayName: 'Long Overdue', email: 'ap@overdue.example' }],
  invoices: [{ id: '70', customerId: '1', total: 240_000, status: 'overdue', dueDate: dayFromToday(-70) }],
};
const render: RenderEmail = async () => ({ subject: 's', html: 'h', text: 't' });

describe('the flag approval API', () => {
  let qbo: QuickBooksHarness;
  let cookie: string;
  let csrf: string;
  let flagId: string;
  const api = (path: string, init: RequestInit = {}, withSession = true) =>
    fetch(`${qbo.runtime.url}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(withSession ? { cookie, 'x-csrf-token': csrf } : {}),
      },
    });

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    const connected = await qbo.connectAndSync();
    cookie = connected.cookie;
    csrf = connected.csrf;
    // The final notice went three weeks ago: the agency flag's grace has passed.
    await seedFinalNotice(qbo.runtime.database.db, connected.orgId, 'Long Overdue', new Date());
    await evaluateOrganisation(qbo.runtime.database.db, connected.orgId, { now: new Date(), render });
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('lists the flags waiting for this organisation, with their arithmetic, and none to a stranger', async () => {
    const listed = (await (await api('/api/flags')).json()) as {
      flags: Array<{ id: string; kinds: string[]; recommendation: { options: unknown[] } }>;
    };
    expect(listed.flags).toHaveLength(1);
    expect(listed.flags[0]).toMatchObject({
      kinds: ['agency_referral'],
      recommendation: { options: expect.any(Array) },
    });
    flagId = listed.flags[0]?.id ?? '';
    expect(await (await api('/api/flags', {}, false)).json()).toEqual({ flags: [] });
  });

  it('records one decision, by whom, and refuses a second', async () => {
    const stranger = await api(
      `/api/flags/${flagId}/decision`,
      { method: 'POST', body: JSON.stringify({ decision: 'approved' }) },
      false,
    );
    expect(stranger.status).toBe(403);
    const invalid = await api(`/api/flags/${flagId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approved', choice: 'write_off' }),
    });
    expect(invalid.status).toBe(400);

    const approved = await api(`/api/flags/${flagId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approved', choice: 'agency_referral' }),
    });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toEqual({ id: flagId, status: 'approved', decision: 'agency_referral' });
    const again = await api(`/api/flags/${flagId}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision: 'rejected' }),
    });
    expect(again.status).toBe(409);

    const db = qbo.runtime.database.db;
    const [flag] = await db.select().from(collectionFlags).where(eq(collectionFlags.id, flagId));
    // By whom: the signed-in person, by user id, on the flag and in the activity log.
    expect(flag).toMatchObject({
      status: 'approved',
      decidedBy: expect.stringMatching(/^user:[0-9a-f-]{36}$/),
      decision: 'agency_referral',
    });
    const log = await db.select().from(activityLog).where(eq(activityLog.kind, 'flag.approved'));
    expect(log.map((entry) => [entry.summary, entry.actor])).toEqual([
      ['Approved: agency referral', flag?.decidedBy],
    ]);
    expect(await (await api('/api/flags')).json()).toEqual({ flags: [] });
  });
});
