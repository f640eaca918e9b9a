import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { ledgerConnections, organisations } from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { organisationTables } from '../../src/organisations/erase.js';
import { today, weekdayAt } from '../helpers/calendar.js';
import { Browser } from '../helpers/dunwell-harness.js';
import { evaluateAndSend } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { waitFor } from '../helpers/wait.js';

const seed: CompanySeed = {
  name: 'Leaving Ltd',
  homeCurrency: 'GBP',
  customers: [{ id: '1', displayName: 'Late Larry', email: 'larry@late.example' }],
  invoices: [{ id: '11', customerId: '1', total: 80_000, status: 'overdue', dueDate: addDays(today, -20) }],
};

describe('the data page: disconnect keeps the data, "delete all our data" erases it', () => {
  let qbo: QuickBooksHarness;
  let owner: Browser;
  let orgId: string;
  let connectionId: string;
  const db = () => qbo.runtime.database.db;
  const url = (suffix: string) => `${qbo.runtime.url}${suffix}`;
  const post = (path: string, fields: Record<string, string>) =>
    owner.request(url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ _csrf: owner.csrfToken ?? '', ...fields }).toString(),
    });
  const rowsOfOrganisation = async () => {
    let total = 0;
    for (const table of await organisationTables(db())) {
      const result = await db().execute(
        sql`select count(*)::int as n from ${sql.identifier(table)} where org_id = ${orgId}`,
      );
      total += Number((result.rows[0] as { n: number }).n);
    }
    return total;
  };

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    owner = new Browser();
    ({ connectionId } = await owner.connect(qbo.runtime.url, 'quickbooks'));
    await waitFor(
      async () => (await db().select().from(ledgerConnections))[0]?.syncProgress?.phase === 'done',
      { what: 'the sync' },
    );
    orgId = (await db().select().from(ledgerConnections))[0]?.orgId ?? '';
    await evaluateAndSend(qbo, orgId, weekdayAt(0));
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('disconnects from the page and keeps everything for a reconnect', async () => {
    const before = await rowsOfOrganisation();
    const done = await post(`/app/${orgId}/connection/${connectionId}/disconnect`, {});
    expect(done.status).toBe(303);
    const [connection] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connectionId));
    expect(connection).toMatchObject({ status: 'disconnected', refreshTokenSealed: null });
    expect(await rowsOfOrganisation()).toBeGreaterThanOrEqual(before);
    const page = await (
      await owner.request(url(`/app/${orgId}/connection`), { headers: { accept: 'text/html' } })
    ).text();
    expect(page).toContain('Reconnect');
  });

  it('refuses to delete without the organisation’s name typed, deleting nothing', async () => {
    const before = await rowsOfOrganisation();
    const refused = await post(`/app/${orgId}/data/delete`, { confirmName: 'leaving ltd' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('nothing was deleted');
    expect(await rowsOfOrganisation()).toBe(before);
  });

  it('erases every row of the organisation at once, and the sign-in with it', async () => {
    expect(await rowsOfOrganisation()).toBeGreaterThan(5);
    const cookie = owner.cookie;
    const erased = await post(`/app/${orgId}/data/delete`, { confirmName: 'Leaving Ltd' });
    expect(erased.status).toBe(303);
    expect(erased.headers.get('location')).toBe('/signin?erased=1');
    expect(await db().select().from(organisations).where(eq(organisations.id, orgId))).toEqual([]);
    expect(await rowsOfOrganisation()).toBe(0);
    expect((await fetch(url('/api/session'), { headers: { cookie } })).status).toBe(401);
  });
});
