import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { openDispute } from '../../src/arrangements/disputes.js';
import { requestPaymentPlan } from '../../src/arrangements/payment-plans.js';
import {
  collectionFlags,
  customers,
  disputes,
  invoices,
  ledgerConnections,
  outboundMessages,
  paymentPlans,
} from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { defaultArrangementLimits } from '../../src/domain/policy.js';
import { today } from '../helpers/calendar.js';
import { Browser } from '../helpers/dunwell-harness.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const company = (name: string, sub: string, email: string): CompanySeed => ({
  name,
  homeCurrency: 'GBP',
  country: 'GB',
  user: { sub, email, givenName: 'O', familyName: 'Owner' },
  customers: [
    { id: '1', displayName: `${name} Customer One`, email: 'ap@one.example' },
    { id: '2', displayName: `${name} Customer Two`, email: 'ap@two.example' },
  ],
  invoices: [
    { id: '11', customerId: '1', total: 50_000, status: 'overdue', dueDate: addDays(today, -20) },
    { id: '12', customerId: '2', total: 30_000, status: 'overdue', dueDate: addDays(today, -40) },
  ],
});

/**
 * Routes that do not act for a signed-in organisation: the debtor's portal and the links in emails
 * (a signed token is their credential), vendors' webhooks, signing in and connecting, health, assets.
 */
const notForASession = [
  /^\/portal\//,
  /^\/r\//,
  /^\/webhooks\//,
  /^\/(connect|signin|disconnected)\/:vendor/,
  /^\/(signin|signout|launch\/quickbooks|healthz|readyz|assets\/|api\/session|app|)$/,
  /^\/assets\//,
];

describe('tenant isolation over every route of the app', () => {
  let qbo: QuickBooksHarness;
  const ids: Record<string, string> = {};
  let stranger: Browser;
  let ownerCookie = '';
  const db = () => qbo.runtime.database.db;
  const url = (path: string) => `${qbo.runtime.url}${path}`;

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(
      inject('adminUrl'),
      company('Alder', 'intuit-alder', 'o@alder.example'),
    );
    const alder = await qbo.connectAndSync();
    ids['orgId'] = alder.orgId;
    ids['connectionId'] = alder.connectionId;
    ownerCookie = alder.cookie;

    const birchRealm = qbo.emulator.addCompany(company('Birch', 'intuit-birch', 'o@birch.example'));
    stranger = new Browser();
    const birch = await stranger.connect(qbo.runtime.url, 'quickbooks', {
      consentParameters: `&realm_id=${birchRealm}`,
    });
    await qbo.waitForSync(birch.connectionId, (row) => row.syncProgress?.phase === 'done');

    // Alder's records of every kind a route names by id.
    const owned = async (externalId: string) => {
      const [customer] = await db()
        .select({ id: customers.id })
        .from(customers)
        .where(and(eq(customers.orgId, alder.orgId), eq(customers.externalId, externalId)));
      return customer?.id ?? '';
    };
    ids['customerId'] = await owned('1');
    const [invoice] = await db()
      .select({ id: invoices.id })
      .from(invoices)
      .where(and(eq(invoices.orgId, alder.orgId), eq(invoices.externalId, '11')));
    ids['invoiceId'] = invoice?.id ?? '';
    const arrangement = (customerId: string) => ({
      orgId: alder.orgId,
      customerId,
      invoiceIds: [],
      source: 'portal' as const,
      actor: 'debtor',
      now: new Date(),
      today,
      limits: defaultArrangementLimits,
    });
    await requestPaymentPlan(db(), {
      ...arrangement(ids['customerId']),
      installmentCount: 3,
      firstDate: addDays(today, 5),
    });
    const customerTwo = await owned('2');
    await openDispute(db(), {
      ...arrangement(customerTwo),
      reason: 'wrong_amount',
      message: 'The amount is wrong.',
    });
    const [flag] = await db()
      .insert(collectionFlags)
      .values({
        orgId: alder.orgId,
        customerId: customerTwo,
        idempotencyKey: 'isolation-flag',
        kinds: ['write_off'],
        invoiceIds: [invoice?.id ?? ''],
        daysOverdue: 40,
        recommendation: { recommended: 'write_off' },
      })
      .returning();
    ids['flag'] = flag?.id ?? '';
    const [plan] = await db().select().from(paymentPlans).where(eq(paymentPlans.orgId, alder.orgId));
    ids['plan'] = plan?.id ?? '';
    const [dispute] = await db().select().from(disputes).where(eq(disputes.orgId, alder.orgId));
    ids['dispute'] = dispute?.id ?? '';
    // A weekly summary Alder was sent (its page shows it as it went).
    const [summary] = await db()
      .insert(outboundMessages)
      .values({
        orgId: alder.orgId,
        purpose: 'notice',
        idempotencyKey: 'weekly-summary:2026-W01:o@alder.example',
        status: 'sent',
        sentAt: new Date(),
        to: [{ email: 'o@alder.example' }],
        subject: 'Alder: your week',
        template: 'weekly-summary',
        bodyHtml: '<p>Alder’s week</p>',
        bodyText: 'Alder’s week',
      })
      .returning();
    ids['messageId'] = summary?.id ?? '';
    for (const [name, value] of Object.entries(ids)) expect(value, name).not.toBe('');
  }, 180_000);
  afterAll(() => qbo?.stop());

  /** Alder's id for a route parameter; `:id` depends on which records the route is about. */
  function valueFor(param: string, route: string): string {
    if (param === 'id') {
      if (route.startsWith('/api/connections/')) return ids['connectionId'] ?? '';
      if (route.startsWith('/api/flags/')) return ids['flag'] ?? '';
      if (route.startsWith('/api/disputes/')) return ids['dispute'] ?? '';
      if (route.startsWith('/api/payment-plans/')) return ids['plan'] ?? '';
    }
    if (param === 'name') return 'settlement';
    if (param === 'format') return 'csv';
    const value = ids[param];
    if (value === undefined)
      throw new Error(`${route}: no Alder id for :${param}; teach this test the new kind`);
    return value;
  }

  /** A body the route would accept from its own organisation: only ownership can refuse it. */
  const validBodies: Record<string, unknown> = {
    '/api/flags/:id/decision': { decision: 'rejected', reason: 'not ours' },
    '/api/payment-plans/:id/decision': { decision: 'rejected' },
    '/api/disputes/:id/resolution': { resolution: 'resolved by a stranger' },
  };

  it('answers 404 to another organisation’s session on every route that names an organisation’s records', async () => {
    const routes = qbo.runtime.app.routeTable.filter(
      (route) =>
        route.method !== 'HEAD' &&
        route.method !== 'OPTIONS' &&
        /:/.test(route.url) &&
        !notForASession.some((pattern) => pattern.test(route.url)),
    );
    expect(routes.length).toBeGreaterThan(25);
    const answers: string[] = [];
    for (const route of routes) {
      const path = route.url.replace(/:([A-Za-z]+)/g, (_, param: string) => valueFor(param, route.url));
      const isApi = path.startsWith('/api/');
      const answer = await stranger.request(url(path), {
        method: route.method,
        ...(route.method === 'GET'
          ? {}
          : isApi
            ? {
                body: JSON.stringify(validBodies[route.url] ?? {}),
                headers: { 'content-type': 'application/json' },
              }
            : {
                body: new URLSearchParams({ _csrf: stranger.csrfToken ?? '' }).toString(),
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
              }),
      });
      if (answer.status !== 404) answers.push(`${route.method} ${route.url} → ${answer.status}`);
      // The control: the same page for Alder's own session is there, so the ids are the right ones.
      if (route.method === 'GET') {
        const own = await fetch(url(path), { headers: { cookie: ownerCookie }, redirect: 'manual' });
        if (own.status !== 200) answers.push(`${route.method} ${route.url} for its owner → ${own.status}`);
      }
    }
    expect(answers).toEqual([]);

    // Nothing of Alder's was changed along the way.
    const [flag] = await db()
      .select()
      .from(collectionFlags)
      .where(eq(collectionFlags.id, ids['flag'] ?? ''));
    expect(flag?.status).toBe('pending');
    const [connection] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, ids['connectionId'] ?? ''));
    expect(connection?.status).toBe('active');
  });

  it('lists none of another organisation’s records', async () => {
    for (const path of ['/api/flags', '/api/disputes', '/api/payment-plans', '/api/connections']) {
      const answer = await stranger.request(url(path));
      expect(answer.status, path).toBe(200);
      const text = await answer.text();
      for (const [name, value] of Object.entries(ids))
        expect(text, `${path} shows Alder's ${name}`).not.toContain(value);
    }
  });
});
