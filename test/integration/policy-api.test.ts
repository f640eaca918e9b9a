import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { policyOf } from '../../src/collections/policy-versions.js';
import { activityLog } from '../../src/db/schema/index.js';
import { defaultPolicy } from '../../src/domain/policy.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

/** The fields a browser would post for the form on `page`: inputs, checked boxes, selections, text areas. */
function formFields(page: string): Array<[string, string]> {
  const decode = (text: string) => text.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));
  const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  const form = /<form method="post" action="[^"]*\/schedule"[\s\S]*?<\/form>/.exec(page)?.[0] ?? '';
  const fields: Array<[string, string]> = [];
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(tag, 'name');
    if (!name) continue;
    if (attribute(tag, 'type') === 'checkbox') {
      if (/\schecked\b/.test(tag)) fields.push([name, 'on']);
    } else fields.push([name, decode(attribute(tag, 'value') ?? '')]);
  }
  for (const [, tag = '', options = ''] of form.matchAll(/(<select\b[^>]*>)([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected>/.exec(options)?.[1];
    const name = attribute(tag, 'name');
    if (name && selected !== undefined) fields.push([name, decode(selected)]);
  }
  for (const [, tag = '', text = ''] of form.matchAll(/(<textarea\b[^>]*>)([\s\S]*?)<\/textarea>/g)) {
    const name = attribute(tag, 'name');
    if (name) fields.push([name, decode(text)]);
  }
  return fields;
}

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

  const schedulePage = async () => {
    const response = await fetch(`${qbo.runtime.url}/app/${orgId}/schedule`, {
      headers: { cookie, accept: 'text/html' },
    });
    expect(response.status).toBe(200);
    return response.text();
  };
  /** Posts the schedule form as shown, with `changes` typed over it, and saves. */
  const postSchedule = async (changes: Record<string, string>) => {
    const fields = formFields(await schedulePage()).filter(([name]) => !(name in changes) && name !== 'op');
    return fetch(`${qbo.runtime.url}/app/${orgId}/schedule`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([...fields, ...Object.entries(changes), ['op', 'save']]).toString(),
    });
  };

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
        'sendingWindow.endHour: The last sending hour must be after the start hour.',
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
    expect(await saved.json()).toMatchObject({
      version: 1,
      createdBy: expect.stringMatching(/^user:[0-9a-f-]{36}$/),
      policy: { version: 1 },
    });

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

  it('the schedule page saves the closed days and the grace after the final notice into the policy', async () => {
    const page = await schedulePage();
    expect(page).toContain('Days you are closed');
    expect(page).toContain(
      'Days after the final notice before suggesting an agency, settlement or write-off',
    );
    expect(page).toContain('No reminder goes out on the public holidays of the customer’s country');
    const before = await policyOf(qbo.runtime.database.db, orgId);

    const saved = await postSchedule({
      closedDays: '2026-12-24\n2026-12-31, 2027-01-02\n\n2026-12-24',
      finalNoticeGraceDays: '21',
    });
    expect(saved.status).toBe(303);
    const after = await policyOf(qbo.runtime.database.db, orgId);
    expect(after.version).toBe(before.version + 1);
    expect(after).toMatchObject({
      closedDays: ['2026-12-24', '2026-12-31', '2027-01-02'],
      finalNoticeGraceDays: 21,
      minDaysBetweenContacts: before.minDaysBetweenContacts,
    });
    const shown = await schedulePage();
    expect(shown).toContain('>2026-12-24\n2026-12-31\n2027-01-02</textarea>');
    expect(shown).toMatch(/id="finalNoticeGraceDays"[^>]*value="21"/);
    expect(shown).toContain('nor on the 3 days you are closed');
    expect(shown).toContain('Dunwell waits 21 days before suggesting an agency, a settlement or a write-off');

    // Clearing the field clears the closed days.
    expect((await postSchedule({ closedDays: '' })).status).toBe(303);
    expect(await policyOf(qbo.runtime.database.db, orgId)).toMatchObject({ closedDays: [] });
  });

  it('refuses closed days that are not dates, and a grace out of range, saving nothing', async () => {
    const before = await policyOf(qbo.runtime.database.db, orgId);
    const refused = await postSchedule({
      closedDays: '2026-12-24\n2026-02-30\ntomorrow',
      finalNoticeGraceDays: '0',
    });
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain('Nothing was saved.');
    expect(page).toMatch(
      /<p class="field-error" id="error-closedDays">[^<]*“tomorrow” is not a date[^<]*YYYY-MM-DD/,
    );
    expect(page).toMatch(/id="error-closedDays">[^<]*“2026-02-30” is not a day on the calendar/);
    expect(page).toMatch(/<p class="field-error" id="error-finalNoticeGraceDays">/);
    // What was typed is shown again, to correct.
    expect(page).toContain('>2026-12-24\n2026-02-30\ntomorrow</textarea>');
    expect(await policyOf(qbo.runtime.database.db, orgId)).toEqual(before);

    const tooMany = Array.from({ length: 367 }, (_, day) =>
      new Date(Date.UTC(2027, 0, 1) + day * 86_400_000).toISOString().slice(0, 10),
    );
    const refusedMany = await postSchedule({ closedDays: tooMany.join('\n') });
    expect(refusedMany.status).toBe(400);
    expect(await refusedMany.text()).toContain('at most 366 closed days');
    expect(await policyOf(qbo.runtime.database.db, orgId)).toEqual(before);
  });
});
