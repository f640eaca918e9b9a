import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import {
  ledgerConnections,
  memberships,
  organisations,
  sessions,
  userIdentities,
} from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { safeReturnTo } from '../../src/web/session.js';
import { today } from '../helpers/calendar.js';
import { Browser } from '../helpers/dunwell-harness.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { visibleText } from '../helpers/visible-text.js';

const seed: CompanySeed = {
  name: 'Careful Carpentry',
  homeCurrency: 'GBP',
  country: 'GB',
  user: { sub: 'intuit-owner-1', email: 'owner@careful.example', givenName: 'Olive', familyName: 'Owner' },
  customers: [
    { id: '1', displayName: '<img src=x onerror=alert(1)>Sneaky & Sons', email: 'ap@sneaky.example' },
  ],
  invoices: [
    {
      id: '11',
      docNumber: '<b>INV-1</b>',
      customerId: '1',
      total: 50_000,
      status: 'overdue',
      dueDate: addDays(today, -20),
    },
  ],
};

describe('signing in, sessions and the protections around them', () => {
  let qbo: QuickBooksHarness;
  let owner: Browser;
  let orgId: string;
  const url = (suffix: string) => `${qbo.runtime.url}${suffix}`;
  const db = () => qbo.runtime.database.db;
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    owner = new Browser();
    const { connectionId } = await owner.connect(qbo.runtime.url, 'quickbooks');
    const [connection] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connectionId));
    orgId = connection?.orgId ?? '';
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('links the account to the OpenID subject that connected, and sets a HttpOnly, SameSite session cookie', async () => {
    const [identity] = await db()
      .select()
      .from(userIdentities)
      .where(eq(userIdentities.subject, 'intuit-owner-1'));
    expect(identity).toMatchObject({ vendor: 'quickbooks', email: 'owner@careful.example' });
    const [membership] = await db().select().from(memberships).where(eq(memberships.orgId, orgId));
    expect(membership).toMatchObject({ userId: identity?.userId, role: 'owner' });

    const fresh = new Browser();
    const done = await fresh.signIn(qbo.runtime.url, 'quickbooks');
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/app');
    const cookie = done.headers.getSetCookie().find((line) => line.startsWith('dunwell_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    // Served over http here, so not Secure; over https it is (see the next test).
    expect(cookie).not.toMatch(/Secure/i);
    const page = await fresh.request(url(`/app/${orgId}`), { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('never links by email: another login with the same email address is a stranger', async () => {
    const realm = qbo.emulator.addCompany({
      name: 'Impostor Inc',
      homeCurrency: 'GBP',
      user: {
        sub: 'intuit-someone-else',
        email: 'owner@careful.example',
        givenName: 'I',
        familyName: 'Mpostor',
      },
      customers: [],
      invoices: [],
    });
    const stranger = new Browser();
    const answer = await stranger.signIn(qbo.runtime.url, 'quickbooks', {
      consentParameters: `&realm_id=${realm}`,
    });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('No Dunwell account for this login yet');
    expect(answer.headers.getSetCookie().some((line) => line.startsWith('dunwell_session='))).toBe(false);
    expect((await stranger.request(url(`/app/${orgId}`))).status).toBe(302);
  });

  it('adds a company connected while signed in to the same account, so one person can switch between them', async () => {
    const realm = qbo.emulator.addCompany({
      name: 'Careful Second Site',
      homeCurrency: 'GBP',
      user: { sub: 'intuit-owner-2', email: 'site@careful.example', givenName: 'O', familyName: 'Owner' },
      customers: [],
      invoices: [],
    });
    await owner.connect(qbo.runtime.url, 'quickbooks', { consentParameters: `&realm_id=${realm}` });
    const session = (await (await owner.request(url('/api/session'))).json()) as {
      organisationIds: string[];
    };
    expect(session.organisationIds).toHaveLength(2);
    expect(session.organisationIds).toContain(orgId);
    const identities = await db().select().from(userIdentities);
    const first = identities.find((identity) => identity.subject === 'intuit-owner-1');
    const second = identities.find((identity) => identity.subject === 'intuit-owner-2');
    expect(second?.userId).toBe(first?.userId);
  });

  it('refuses a login whose email the vendor has not verified, storing nothing', async () => {
    const realm = qbo.emulator.addCompany({
      name: 'Unverified Ltd',
      homeCurrency: 'GBP',
      user: {
        sub: 'intuit-unverified',
        email: 'who@unverified.example',
        givenName: 'U',
        familyName: 'V',
        emailVerified: false,
      },
      customers: [],
      invoices: [],
    });
    const browser = new Browser();
    const start = await browser.request(url('/connect/quickbooks'));
    const authorize = await fetch(`${start.headers.get('location')}&realm_id=${realm}`, {
      redirect: 'manual',
    });
    const refused = await browser.request(authorize.headers.get('location') ?? '', {
      headers: { accept: 'text/html' },
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('no verified email address');
    expect(await db().select().from(organisations).where(eq(organisations.name, 'Unverified Ltd'))).toEqual(
      [],
    );
  });

  it('refuses a state-changing request without the CSRF token, with a forged one, or with another session’s', async () => {
    // Posted with the owner's cookies but not through their pages: what a forged cross-site form does.
    const post = (fields: Record<string, string>) =>
      fetch(url('/signout'), {
        ...form(fields),
        headers: { ...form(fields).headers, cookie: owner.cookie },
        redirect: 'manual',
      });
    expect((await post({})).status).toBe(403);
    expect((await post({ _csrf: 'forged-token' })).status).toBe(403);
    const other = new Browser();
    await other.signIn(qbo.runtime.url, 'quickbooks');
    expect((await post({ _csrf: other.csrfToken ?? '' })).status).toBe(403);
    // The JSON APIs too.
    const api = await fetch(url('/api/flags/00000000-0000-4000-8000-000000000000/decision'), {
      method: 'POST',
      headers: { cookie: owner.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approved' }),
    });
    expect(api.status).toBe(403);
    // Still signed in: nothing happened.
    expect((await owner.request(url('/api/session'))).status).toBe(200);
  });

  it('refuses open redirects through returnTo', async () => {
    for (const attempt of [
      'https://evil.example/',
      '//evil.example/app',
      '/\\evil.example',
      '/app/../../evil',
      '/app//evil.example',
      'javascript:alert(1)',
      '/app/%2F%2Fevil.example',
    ])
      expect(safeReturnTo(attempt)).toBe('/app');
    expect(safeReturnTo(`/app/${orgId}/review`)).toBe(`/app/${orgId}/review`);

    const browser = new Browser();
    const done = await browser.signIn(qbo.runtime.url, 'quickbooks', { returnTo: '//evil.example/phish' });
    expect(done.headers.get('location')).toBe('/app');
    const kept = await new Browser().signIn(qbo.runtime.url, 'quickbooks', {
      returnTo: `/app/${orgId}/review`,
    });
    expect(kept.headers.get('location')).toBe(`/app/${orgId}/review`);
    // A signed-out visit to a page comes back to it after signing in, never elsewhere.
    const bounce = await fetch(url(`/app/${orgId}/schedule`), { redirect: 'manual' });
    expect(bounce.headers.get('location')).toBe(
      `/signin?returnTo=${encodeURIComponent(`/app/${orgId}/schedule`)}`,
    );
  });

  it('shows names and numbers from the ledger escaped, never as markup', async () => {
    for (const path of [`/app/${orgId}/customers`, `/app/${orgId}`]) {
      const page = await (await owner.request(url(path), { headers: { accept: 'text/html' } })).text();
      expect(page).toContain('Sneaky &#38; Sons');
      expect(page).not.toContain('<img src=x');
    }
  });

  it('refuses a template with a script or event handler, and escapes merge fields in the preview', async () => {
    const save = (fields: Record<string, string>) =>
      owner.request(url(`/app/${orgId}/templates/firm`), {
        ...form({ _csrf: owner.csrfToken ?? '', op: 'save', ...fields }),
        headers: { ...form({}).headers, accept: 'text/html' },
      });
    // The body is plain text: markup in it, as written or as Liquid puts it together, is refused.
    for (const text of [
      'Pay at {{ portalUrl }}<script>steal()</script>',
      '<p onclick="steal()">Pay at {{ portalUrl }}</p>',
      'Pay at {{ portalUrl }}<scr{{ "" }}ipt>steal()</script>',
    ]) {
      const refused = await save({ subject: 'Hello', text });
      expect(refused.status).toBe(400);
      const body = await refused.text();
      expect(body).toContain('would be shown as written');
      expect(body).not.toContain('<script>steal()');
    }
    // An old form's html field is ignored: the HTML email is made from the body alone.
    const ignored = await save({
      subject: 'Hello',
      text: 'Pay at {{ portalUrl }}',
      html: '<script>x</script>',
    });
    expect(ignored.status).toBe(303);
    const preview = await owner.request(url(`/app/${orgId}/templates/firm/preview`), {
      ...form({
        _csrf: owner.csrfToken ?? '',
        subject: 'For {{ debtor.name }}',
        text: 'Dear {{ debtor.name }}, {{ portalUrl }}',
      }),
    });
    const rendered = (await preview.json()) as { subject: string; html: string };
    // The ledger's name with markup in it is text in the HTML email, never an element.
    expect(rendered.html).not.toContain('<img src=x');
    expect(visibleText(rendered.html)).toContain('Dear <img src=x onerror=alert(1)>Sneaky & Sons');
  });

  it('signs out without disconnecting the company, and the old cookie stops working', async () => {
    const cookieBefore = owner.cookie;
    const out = await owner.request(url('/signout'), form({ _csrf: owner.csrfToken ?? '' }));
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/signin?signedOut=1');
    expect((await fetch(url('/api/session'), { headers: { cookie: cookieBefore } })).status).toBe(401);
    const [connection] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.orgId, orgId));
    expect(connection?.status).toBe('active');
    expect((await db().select().from(sessions)).length).toBeGreaterThan(0);
  });

  it('answers a code QuickBooks refuses, or a replayed callback, with a "start again" page, not a 500', async () => {
    const page = { accept: 'text/html' };
    for (const flow of ['connect', 'signin'] as const) {
      const browser = new Browser();
      const start = await browser.request(url(`/${flow}/quickbooks`));
      const authorize = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
      const callback = authorize.headers.get('location') ?? '';
      // The state is right, the code is not one QuickBooks gave.
      const refused = await browser.request(callback.replace(/code=[^&]+/, 'code=not-a-real-code'), {
        headers: page,
      });
      expect(refused.status, flow).toBe(400);
      const text = await refused.text();
      expect(text).toContain('Start again');
      expect(text).toContain(`href="/${flow}/quickbooks"`);
      expect(text).not.toContain('not-a-real-code');

      // A real callback, used once, then replayed with the same state cookie: the code is spent.
      const again = new Browser();
      const restart = await again.request(url(`/${flow}/quickbooks`));
      const consent = await fetch(restart.headers.get('location') ?? '', { redirect: 'manual' });
      const real = consent.headers.get('location') ?? '';
      const cookie = again.cookie;
      expect((await again.request(real)).status).toBe(302);
      const replayed = await fetch(real, { redirect: 'manual', headers: { ...page, cookie } });
      expect(replayed.status, flow).toBe(400);
      expect(await replayed.text()).toContain('Start again');
    }
  });

  it('serves the QuickBooks Launch and Disconnect URLs', async () => {
    const launch = await fetch(url('/launch/quickbooks'), { redirect: 'manual' });
    expect(launch.headers.get('location')).toBe('/signin/quickbooks');
    const disconnected = await fetch(url('/disconnected/quickbooks'));
    expect(disconnected.status).toBe(200);
    const text = await disconnected.text();
    expect(text).toContain('Dunwell is disconnected from QuickBooks');
    expect(text).toContain('href="/connect/quickbooks"');
  });
});

describe('over https', () => {
  let qbo: QuickBooksHarness;
  beforeAll(async () => {
    qbo = await startQuickBooksHarness(
      inject('adminUrl'),
      { ...seed, customers: [], invoices: [] },
      {
        PUBLIC_URL: 'https://dunwell.example',
      },
    );
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('marks the session and CSRF cookies Secure', async () => {
    const browser = new Browser();
    const start = await browser.request(`${qbo.runtime.url}/connect/quickbooks`);
    expect(start.headers.getSetCookie().join('\n')).toMatch(/dunwell_oauth=.*Secure/i);
    const authorize = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
    const callback = (authorize.headers.get('location') ?? '').replace(
      'https://dunwell.example',
      qbo.runtime.url,
    );
    const done = await browser.request(callback);
    const session = done.headers.getSetCookie().find((line) => line.startsWith('dunwell_session='));
    expect(session).toMatch(/Secure/i);
    expect(session).toMatch(/HttpOnly/i);
  });
});
