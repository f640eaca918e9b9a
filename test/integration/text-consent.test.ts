import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import {
  activityLog,
  customerPhones,
  customers,
  ledgerConnections,
  organisations,
  users,
} from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { optOutNumber, recordPhoneConsent, textableNumber } from '../../src/messaging/sms/phones.js';
import { today } from '../helpers/calendar.js';
import { Browser } from '../helpers/dunwell-harness.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { visibleText } from '../helpers/visible-text.js';

const seed: CompanySeed = {
  name: 'Textable Trades Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  user: { sub: 'intuit-texts-1', email: 'olive@textable.example', givenName: 'Olive', familyName: 'Owner' },
  customers: [
    { id: '1', displayName: 'Acme Builders', email: 'ap@acme.example' },
    { id: '2', displayName: 'Other Co', email: 'ap@other.example' },
  ],
  invoices: [
    { id: '11', customerId: '1', total: 40_000, status: 'overdue', dueDate: addDays(today, -12) },
    { id: '21', customerId: '2', total: 25_000, status: 'overdue', dueDate: addDays(today, -4) },
  ],
};

describe('consent to texts: the debtor’s "text me" on the portal and the owner’s record on the customer page', () => {
  let qbo: QuickBooksHarness;
  let owner: Browser;
  let portal: ReturnType<typeof portalClient>;
  let orgId = '';
  let userId = '';
  const ids = new Map<string, string>();
  let otherOrgId = '';
  let otherCustomerId = '';
  const db = () => qbo.runtime.database.db;
  const tokenOf = (name: string) => portal.tokenFor(orgId, ids.get(name) ?? '');
  const phonesOf = (name: string) =>
    db()
      .select()
      .from(customerPhones)
      .where(eq(customerPhones.customerId, ids.get(name) ?? ''));
  const customerPage = (name: string) =>
    owner.request(`${qbo.runtime.url}/app/${orgId}/customers/${ids.get(name)}`);
  const recordConsent = (name: string, fields: Record<string, string>) =>
    owner.request(`${qbo.runtime.url}/app/${orgId}/customers/${ids.get(name)}/phones`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: owner.csrfToken ?? '', ...fields }).toString(),
      redirect: 'manual',
    });

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
      .where(eq(users.email, 'olive@textable.example'));
    userId = user?.id ?? '';
    for (const row of await db().select().from(customers).where(eq(customers.orgId, orgId)))
      ids.set(row.name, row.id);
    portal = portalClient(qbo);
    // Another business whose customer gave the same mobile number, with consent in writing.
    const [other] = await db()
      .insert(organisations)
      .values({ name: 'Other Business', currency: 'GBP' })
      .returning();
    otherOrgId = other?.id ?? '';
    const [otherConnection] = await db()
      .insert(ledgerConnections)
      .values({ orgId: otherOrgId, vendor: 'xero', tenantId: 'other-tenant', status: 'active' })
      .returning();
    const [otherCustomer] = await db()
      .insert(customers)
      .values({
        orgId: otherOrgId,
        connectionId: otherConnection?.id ?? '',
        externalId: 'o-1',
        name: 'Same Person',
      })
      .returning();
    otherCustomerId = otherCustomer?.id ?? '';
    const recorded = await recordPhoneConsent(
      { orgId: otherOrgId, actor: { kind: 'system' }, db: db(), now: new Date() },
      {
        customerId: otherCustomerId,
        phone: '+447700900555',
        source: 'written',
        method: 'credit application',
      },
    );
    expect(recorded.ok).toBe(true);
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('offers "Get reminders by text" with words saying what the debtor agrees to', async () => {
    const page = await (await portal.page(tokenOf('Acme Builders'))).text();
    expect(page).toContain('Get reminders by text');
    expect(visibleText(page)).toContain(
      'I agree to get text messages from Textable Trades Ltd at this number reminding me about the invoices on this page. I can reply STOP to any text to stop them, or HELP for help.',
    );
    expect(page).toMatch(/<input type="checkbox" name="agree" value="yes" required>/);
  });

  it('a number that is not one, or an unticked box, is refused on the page with what was typed kept', async () => {
    const token = tokenOf('Acme Builders');
    const bad = await portal.post(token, 'texts', [
      ['phone', 'call me maybe'],
      ['agree', 'yes'],
    ]);
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(badPage).toMatch(/role="alert">That does not look like a mobile number/);
    expect(badPage).toContain('value="call me maybe"');
    const unticked = await portal.post(token, 'texts', [['phone', '+44 7700 900555']]);
    expect(unticked.status).toBe(400);
    const untickedPage = await unticked.text();
    expect(untickedPage).toContain('Please tick the box to agree to text messages');
    expect(untickedPage).toContain('value="+44 7700 900555"');
    expect(await phonesOf('Acme Builders')).toEqual([]);
  });

  it('a forged link records nothing', async () => {
    const forged = `${tokenOf('Acme Builders').slice(0, -4)}AAAA`;
    const response = await portal.post(forged, 'texts', [
      ['phone', '+447700900555'],
      ['agree', 'yes'],
    ]);
    expect(response.status).toBe(403);
    expect(await phonesOf('Acme Builders')).toEqual([]);
  });

  it('ticked, records consent from the portal in words with the time, and the page says where texts go', async () => {
    const token = tokenOf('Acme Builders');
    const before = new Date();
    const done = await portal.post(token, 'texts', [
      ['phone', '+44 7700 900555'],
      ['agree', 'yes'],
    ]);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/portal/${token}?done=texts-on`);
    const [phone] = await phonesOf('Acme Builders');
    expect(phone).toMatchObject({
      phone: '+447700900555',
      consentSource: 'portal',
      consentRecordedBy: 'debtor',
      smsOptedOutAt: null,
    });
    expect(phone?.consentAt?.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    const minute = (phone?.consentAt ?? new Date()).toISOString().slice(0, 16).replace('T', ' ');
    expect(phone?.consentMethod).toBe(
      `Ticked the "text me" box on their payment page at ${minute} UTC, agreeing to: "I agree to get text messages from Textable Trades Ltd at this number reminding me about the invoices on this page. I can reply STOP to any text to stop them, or HELP for help."`,
    );
    expect(await textableNumber(db(), { orgId, customerId: ids.get('Acme Builders') ?? '' })).toMatchObject({
      ok: true,
      phone: '+447700900555',
    });
    const page = visibleText(await (await portal.page(token, '?done=texts-on')).text());
    expect(page).toContain('We will text reminders about these invoices to the number you gave');
    expect(page).toContain('Texts about these invoices go to •••• 0555');
    expect(page).not.toContain('7700 900555');
    // Another debtor's page knows nothing of it.
    const other = visibleText(await (await portal.page(tokenOf('Other Co'))).text());
    expect(other).toContain('Get reminders by text');
    expect(other).not.toContain('0555');
  });

  it('the owner sees that consent on the customer page: how, when, who', async () => {
    const page = visibleText(await (await customerPage('Acme Builders')).text());
    expect(page).toContain('+447700900555');
    expect(page).toContain('may be texted');
    expect(page).toContain('Consent: Ticked “text me” on their payment page');
    expect(page).toContain('recorded by the customer, on their payment page');
  });

  it('"Stop texts" opts the number out as a STOP does, emails unchanged, and the owner sees it', async () => {
    const token = tokenOf('Acme Builders');
    const stopped = await portal.post(token, 'texts/stop', []);
    expect(stopped.status).toBe(303);
    expect(stopped.headers.get('location')).toBe(`/portal/${token}?done=texts-off`);
    const [phone] = await phonesOf('Acme Builders');
    expect(phone?.smsOptedOutAt).not.toBeNull();
    expect(phone?.smsOptOutSource).toBe('person');
    const [customer] = await db()
      .select()
      .from(customers)
      .where(eq(customers.id, ids.get('Acme Builders') ?? ''));
    expect(customer?.optedOutAt).toBeNull();
    const entries = await db()
      .select()
      .from(activityLog)
      .where(
        and(
          eq(activityLog.customerId, ids.get('Acme Builders') ?? ''),
          eq(activityLog.kind, 'sms.opted_out'),
        ),
      );
    expect(entries.map((entry) => entry.actor)).toEqual(['debtor']);
    expect(await textableNumber(db(), { orgId, customerId: ids.get('Acme Builders') ?? '' })).toEqual({
      ok: false,
      reason: 'opted_out',
    });
    const page = visibleText(await (await portal.page(token, '?done=texts-off')).text());
    expect(page).toContain('We will not send you any more texts');
    expect(page).toContain('Texts to •••• 0555 are stopped');
    const ownerView = visibleText(await (await customerPage('Acme Builders')).text());
    expect(ownerView).toContain('texts stopped');
    expect(ownerView).toContain('they asked on their payment page');
    // Another business holding the same number keeps its consent: the stop was on this page.
    expect(await textableNumber(db(), { orgId: otherOrgId, customerId: otherCustomerId })).toMatchObject({
      ok: true,
      phone: '+447700900555',
    });
  });

  it('lets the debtor ask for texts again on their page after stopping them there, but not after a STOP', async () => {
    const token = tokenOf('Acme Builders');
    const again = await portal.post(token, 'texts', [
      ['phone', '+447700900555'],
      ['agree', 'yes'],
    ]);
    expect(again.status).toBe(303);
    expect(await textableNumber(db(), { orgId, customerId: ids.get('Acme Builders') ?? '' })).toMatchObject({
      ok: true,
    });
    await optOutNumber(db(), '+447700900555', { at: new Date(), source: 'keyword', details: {} });
    const afterStop = await portal.post(token, 'texts', [
      ['phone', '+447700900555'],
      ['agree', 'yes'],
    ]);
    expect(afterStop.status).toBe(400);
    expect(await afterStop.text()).toContain('Texts to that number were stopped');
  });

  it('the owner records a number with written consent and how it was given; it is shown as theirs', async () => {
    const recorded = await recordConsent('Other Co', {
      phone: '07700 900777x',
      source: 'written',
      how: 'signed the credit application on 3 May',
    });
    expect(recorded.status).toBe(400);
    const refusedPage = await recorded.text();
    expect(refusedPage).toContain('Nothing was recorded.');
    expect(refusedPage).toContain('Mobile number: give it with the country code');
    expect(refusedPage).toContain('value="signed the credit application on 3 May"');
    const missing = await recordConsent('Other Co', { phone: '+447700900777', how: ' ' });
    expect(missing.status).toBe(400);
    const missingPage = await missing.text();
    expect(missingPage).toContain('Consent given: choose in writing or by word of mouth.');
    expect(missingPage).toContain('How it was given: say how and when');
    expect(await phonesOf('Other Co')).toEqual([]);

    const saved = await recordConsent('Other Co', {
      phone: '+44 7700 900777',
      source: 'written',
      how: 'signed the credit application on 3 May',
    });
    expect(saved.status).toBe(303);
    const [phone] = await phonesOf('Other Co');
    expect(phone).toMatchObject({
      phone: '+447700900777',
      consentSource: 'written',
      consentMethod: 'signed the credit application on 3 May',
      consentRecordedBy: `user:${userId}`,
    });
    const page = visibleText(await (await customerPage('Other Co')).text());
    expect(page).toContain('+447700900777');
    expect(page).toContain('Consent: In writing');
    expect(page).toContain('recorded by olive@textable.example');
    expect(page).toContain('“signed the credit application on 3 May”');
    // And the debtor's page says where their texts now go.
    const theirs = visibleText(await (await portal.page(tokenOf('Other Co'))).text());
    expect(theirs).toContain('Texts about these invoices go to •••• 0777');
  });

  it('refuses the owner’s form without its CSRF token, and another organisation’s customer is not found', async () => {
    const forged = await fetch(`${qbo.runtime.url}/app/${orgId}/customers/${ids.get('Other Co')}/phones`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: owner.cookie },
      body: new URLSearchParams({ phone: '+447700900888', source: 'verbal', how: 'on the phone' }).toString(),
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    const elsewhere = await owner.request(
      `${qbo.runtime.url}/app/${orgId}/customers/00000000-0000-4000-8000-000000000000/phones`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          phone: '+447700900888',
          source: 'verbal',
          how: 'on the phone',
        }).toString(),
        redirect: 'manual',
      },
    );
    expect(elsewhere.status).toBe(404);
    expect(await db().select().from(customerPhones).where(eq(customerPhones.phone, '+447700900888'))).toEqual(
      [],
    );
  });
});
