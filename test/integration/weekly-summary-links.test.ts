import { sign as signCookie } from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createConnectors } from '../../connectors/factory.js';
import { openSession } from '../../src/accounts/sessions.js';
import { joinOrganisation, userForIdentity } from '../../src/accounts/users.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { portalLinks } from '../../src/domain/portal-links.js';
import type { LedgerContext } from '../../src/ledger/context.js';
import { createLogger } from '../../src/logger.js';
import { organisationProfile } from '../../src/organisations/settings.js';
import { sendDueWeeklySummary } from '../../src/reports/send-weekly-summary.js';
import { weeklySummaryLinks } from '../../src/reports/summary-links.js';
import { summaryRecipients } from '../../src/reports/weekly-summary-settings.js';
import { weeklySummaryRoutes } from '../../src/web/app/routes/weekly-summary.js';
import { buildApp } from '../../src/web/app.js';
import type { WebServices } from '../../src/web/services.js';
import { createSummaryOrganisation } from '../helpers/summary-org.js';

const secret = 'the weekly summary links test secret, long enough';
const publicUrl = 'https://dunwell.example';
const logger = createLogger('silent');

/** Swaps one character in the signature part of a token: still well formed, no longer signed. */
function tamper(token: string): string {
  const last = token.at(-2) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -2)}${last}${token.slice(-1)}`;
}
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

describe('the weekly summary’s signed links, through the real app', () => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let orgId: string;
  let otherOrgId: string;
  let sessionCookie: string;
  let clock = new Date('2026-03-16T09:00:00Z');
  const links = weeklySummaryLinks(secret, publicUrl);
  const pathOf = (url: string) => url.slice(publicUrl.length);

  beforeAll(async () => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 4, logger });
    const ledger = {
      db: database.db,
      pool: database.pool,
      connectors: createConnectors({}),
      logger,
    } as unknown as LedgerContext;
    const services: WebServices = {
      ledger,
      requests: { sync: async () => {}, routeWebhooks: async () => {} },
      publicUrl,
      sessionSecret: secret,
      cookies: { secure: false },
      sendGridWebhookPublicKey: undefined,
      portal: portalLinks(secret, publicUrl),
      now: () => clock,
    };
    app = await buildApp({ logger, readinessChecks: [], services });
    // Until http/app.ts registers these routes itself (one line), the test does.
    if (!app.hasRoute({ method: 'GET', url: '/r/:token' })) await app.register(weeklySummaryRoutes(services));
    await app.ready();

    ({ orgId } = await createSummaryOrganisation(database.db, {
      name: 'Links & Co',
      timeZone: 'Europe/London',
      settings: { weeklySummary: { recipients: ['ann@links.example', 'bob@links.example'] } },
    }));
    ({ orgId: otherOrgId } = await createSummaryOrganisation(database.db, {
      name: 'Other Org',
      timeZone: 'Europe/London',
      settings: { notifyEmail: 'ann@links.example' },
    }));
    const userId = await userForIdentity(database.db, 'quickbooks', {
      subject: `links-${orgId}`,
      email: 'ann@links.example',
      emailVerified: true,
    });
    await joinOrganisation(database.db, userId, orgId);
    // Signed as the app signs it (the cookie plugin lives in the browser routes' scope only).
    sessionCookie = `dunwell_session=${signCookie(await openSession(database.db, userId), secret)}`;
  });
  afterAll(async () => {
    await app?.close();
    await database?.pool.end();
  });

  it('the review link sends a signed-out reader through sign-in to the review queue, a signed-in one straight there', async () => {
    const url = links.reviewUrl(orgId, new Date(clock.getTime() + 86_400_000));
    const signedOut = await app.inject({ method: 'GET', url: pathOf(url) });
    expect(signedOut.statusCode).toBe(302);
    expect(signedOut.headers.location).toBe(`/signin?returnTo=${encodeURIComponent(`/app/${orgId}/review`)}`);
    const signedIn = await app.inject({
      method: 'GET',
      url: pathOf(url),
      headers: { cookie: sessionCookie },
    });
    expect(signedIn.statusCode).toBe(302);
    expect(signedIn.headers.location).toBe(`/app/${orgId}/review`);
  });

  it('refuses a tampered, a foreign or an expired review link', async () => {
    const url = links.reviewUrl(orgId, new Date(clock.getTime() + 86_400_000));
    const tampered = await app.inject({ method: 'GET', url: `/r/${tamper(tokenOf(url))}` });
    expect(tampered.statusCode).toBe(403);
    expect(tampered.body).toContain('This link is not valid');
    // Same claims, signed with another server's secret.
    const foreign = weeklySummaryLinks('another installation’s secret', publicUrl).reviewUrl(
      orgId,
      new Date(clock.getTime() + 86_400_000),
    );
    expect((await app.inject({ method: 'GET', url: pathOf(foreign) })).statusCode).toBe(403);
    // An unsubscribe token is not a review token, though both are signed here.
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/r/${tokenOf(links.unsubscribeUrl(orgId, 'ann@links.example'))}`,
        })
      ).statusCode,
    ).toBe(403);
    // Nor is a portal token.
    const portalToken = portalLinks(secret, publicUrl).tokenFor(
      { orgId, customerId: orgId },
      new Date(clock.getTime() + 86_400_000),
    );
    expect((await app.inject({ method: 'GET', url: `/r/${portalToken}` })).statusCode).toBe(403);
    // Claims edited to name another organisation, signature kept.
    const [head, claims, signature] = tokenOf(url).split('.');
    const edited = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(claims ?? '', 'base64url').toString()), o: otherOrgId }),
    ).toString('base64url');
    expect((await app.inject({ method: 'GET', url: `/r/${head}.${edited}.${signature}` })).statusCode).toBe(
      403,
    );
    const expired = links.reviewUrl(orgId, new Date(clock.getTime() - 1_000));
    const gone = await app.inject({ method: 'GET', url: pathOf(expired) });
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('This link has expired');
  });

  it('the unsubscribe link asks first, stops only that recipient on POST without a CSRF token, and can be undone', async () => {
    const url = links.unsubscribeUrl(orgId, 'Bob@Links.example');
    const confirm = await app.inject({ method: 'GET', url: pathOf(url) });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Stop the weekly summary?');
    expect(confirm.body).toContain('bob@links.example');
    // A GET (a mail scanner following links) changes nothing.
    expect((await organisationProfile(database.db, orgId))?.settings.weeklySummary.unsubscribed).toEqual([]);

    const done = await app.inject({
      method: 'POST',
      url: pathOf(url),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'action=unsubscribe',
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You are unsubscribed');
    let profile = await organisationProfile(database.db, orgId);
    expect(profile?.settings.weeklySummary.unsubscribed).toEqual(['bob@links.example']);
    expect(summaryRecipients(profile?.settings ?? ({} as never))).toEqual(['ann@links.example']);

    // The next week's summary goes to Ann only.
    const row = { id: orgId, timeZone: 'Europe/London', settings: profile?.settings };
    const outcome = await sendDueWeeklySummary(
      { db: database.db, links },
      row,
      new Date('2026-03-16T09:00:00Z'),
    );
    expect(outcome).toMatchObject({ status: 'queued', messageIds: [expect.any(String)] });

    const undo = await app.inject({
      method: 'POST',
      url: pathOf(url),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'action=resubscribe',
    });
    expect(undo.body).toContain('Welcome back');
    profile = await organisationProfile(database.db, orgId);
    expect(profile?.settings.weeklySummary.unsubscribed).toEqual([]);
  });

  it('takes the RFC 8058 one-click POST, urlencoded or multipart', async () => {
    const url = links.unsubscribeUrl(orgId, 'ann@links.example');
    const urlencoded = await app.inject({
      method: 'POST',
      url: pathOf(url),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(urlencoded.statusCode).toBe(200);
    expect((await organisationProfile(database.db, orgId))?.settings.weeklySummary.unsubscribed).toEqual([
      'ann@links.example',
    ]);
    // The other organisation Ann reads is not touched.
    expect((await organisationProfile(database.db, otherOrgId))?.settings.weeklySummary.unsubscribed).toEqual(
      [],
    );

    const boundary = 'dunwellboundary';
    const multipart = await app.inject({
      method: 'POST',
      url: pathOf(links.unsubscribeUrl(orgId, 'bob@links.example')),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    expect(multipart.statusCode).toBe(200);
    expect(
      (await organisationProfile(database.db, orgId))?.settings.weeklySummary.unsubscribed?.sort(),
    ).toEqual(['ann@links.example', 'bob@links.example']);
  });

  it('refuses a tampered unsubscribe link, and one for an address not on the list changes nothing', async () => {
    const url = links.unsubscribeUrl(otherOrgId, 'ann@links.example');
    const tampered = await app.inject({
      method: 'POST',
      url: `/portal/summary-unsubscribe/${tamper(tokenOf(url))}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(tampered.statusCode).toBe(403);
    // A review token used as an unsubscribe token.
    const review = links.reviewUrl(otherOrgId, new Date(clock.getTime() + 86_400_000));
    expect(
      (await app.inject({ method: 'GET', url: `/portal/summary-unsubscribe/${tokenOf(review)}` })).statusCode,
    ).toBe(403);
    const stranger = await app.inject({
      method: 'POST',
      url: pathOf(links.unsubscribeUrl(otherOrgId, 'stranger@elsewhere.example')),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(stranger.statusCode).toBe(200);
    expect(stranger.body).toContain('Not on the list');
    expect((await organisationProfile(database.db, otherOrgId))?.settings.weeklySummary.unsubscribed).toEqual(
      [],
    );
    clock = new Date(clock.getTime() + 400 * 86_400_000);
    // Unsubscribe links do not expire: an old email's link still works.
    const late = await app.inject({ method: 'GET', url: pathOf(url) });
    expect(late.statusCode).toBe(200);
    expect(late.body).toContain('Stop the weekly summary?');
  });

  it('never puts the address itself in the link', () => {
    const url = links.unsubscribeUrl(orgId, 'ann@links.example');
    const [, claims] = tokenOf(url).split('.');
    expect(Buffer.from(claims ?? '', 'base64url').toString()).not.toContain('ann');
    expect(url).not.toContain('links.example/portal/summary-unsubscribe/ann');
  });
});
