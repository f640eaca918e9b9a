import { and, eq, inArray } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { LedgerInvoice } from '../../connectors/ledger.js';
import { openDispute } from '../../src/arrangements/disputes.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import {
  collectionFlags,
  customerContacts,
  customers,
  ledgerConnections,
  organisations,
  outboundMessages,
} from '../../src/db/schema/index.js';
import { localMoment } from '../../src/domain/local-time.js';
import { defaultArrangementLimits } from '../../src/domain/policy.js';
import { portalLinks } from '../../src/domain/portal-links.js';
import type { LedgerContext } from '../../src/ledger/context.js';
import { createLogger } from '../../src/logger.js';
import { deliverMessage } from '../../src/messaging/delivery/deliver-message.js';
import type { DeliveryDeps } from '../../src/messaging/delivery/deps.js';
import { digestOwnerEvents } from '../../src/messaging/owner-digest.js';
import { createLocalTransport } from '../../src/messaging/transport/local.js';
import { sendDueWeeklySummary, summaryEmailLinks } from '../../src/reports/send-weekly-summary.js';
import { weeklySummaryLinks } from '../../src/reports/summary-links.js';
import { upsertInvoices } from '../../src/sync/mirror.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.js';
import {
  activeMarkup,
  elementCounts,
  hostile,
  hostileMarkup,
  linksOf,
  textOf,
} from '../helpers/hostile-email.js';
import { createSummaryOrganisation } from '../helpers/summary-org.js';

/*
 * Every email Dunwell sends, built from ledger and organisation data that holds markup: the weekly
 * summary, the dispute notice to the organisation, and reminders (rendered at sending, or stored
 * by an older version). What reaches the transport is inert, and the emails' own layout stays.
 * The emails built in code escape what they interpolate; to show that the transport does not rely
 * on that, each is also built by a builder that forgets to (the `html` helper with escaping off).
 */
const escaping = vi.hoisted(() => ({ on: true }));
vi.mock('../../src/domain/html.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/domain/html.js')>();
  const unescaped = (value: unknown): string => {
    if (value instanceof actual.SafeHtml) return value.value;
    if (Array.isArray(value)) return value.map(unescaped).join('');
    if (value === null || value === undefined || value === false) return '';
    return String(value);
  };
  return {
    ...actual,
    escapeHtml: (text: string) => (escaping.on ? actual.escapeHtml(text) : text),
    html: (strings: TemplateStringsArray, ...values: unknown[]) =>
      escaping.on
        ? actual.html(strings, ...values)
        : new actual.SafeHtml(
            strings.reduce((out, part, index) => out + unescaped(values[index - 1]) + part),
          ),
  };
});

const logger = createLogger('silent');
const secret = 'the sanitised emails test secret';
const publicUrl = 'https://dunwell.example';
const markup = Object.values(hostileMarkup).join(' ');
const dayFromToday = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const builders = [
  ['as built (escaping every value)', true],
  ['by a builder that forgets to escape', false],
] as const;

describe('the HTML of every email, as the transport gets it', () => {
  let scratch: ScratchDatabase;
  let database: DatabaseHandle;
  let orgId: string;
  let connectionId: string;
  let customerIds: string[];
  const customerNames = [hostile('Brightside Cafe'), hostile('Corner Shop')];
  const transport = createLocalTransport();
  const summaryLinks = weeklySummaryLinks(secret, publicUrl);
  const links = portalLinks(secret, publicUrl);
  /** The first customer's invoices are numbered with one hostile fragment each; the second's with all. */
  const ledgerInvoice = (externalId: string, customer: number, number: string): LedgerInvoice => ({
    externalId,
    customerExternalId: `c${customer}`,
    number,
    currency: 'GBP',
    totalMinor: 125_00,
    balanceMinor: 125_00,
    issueDate: dayFromToday(-40),
    dueDate: dayFromToday(-20),
    status: 'open',
    version: '0',
    paymentUrl: null,
    billEmail: null,
    updatedAt: null,
  });
  const ledgerInvoices = [
    ...Object.values(hostileMarkup).map((fragment, index) => ledgerInvoice(`10${index}`, 0, fragment)),
    ledgerInvoice('200', 1, hostileMarkup.svgHandler),
  ];
  const deps = (): DeliveryDeps => ({
    db: database.db,
    // Balances are re-read before a reminder goes: this ledger answers with the invoices above.
    ledger: {
      db: database.db,
      pool: database.pool as pg.Pool,
      connectors: {
        quickbooks: {
          vendor: 'quickbooks',
          invoicesPerFetch: 100,
          fetchInvoices: async (_handle: unknown, ids: string[]) =>
            ledgerInvoices.filter((invoice) => ids.includes(invoice.externalId)),
        },
      },
      logger,
    } as unknown as LedgerContext,
    transport,
    from: { email: 'reminders@dunwell.example', name: 'Dunwell' },
    links,
    unsubscribeUrl: ({ id }) => `${publicUrl}/u/${id}`,
    now: () => new Date(),
  });
  /** Delivers one queued message and returns the HTML its transport got, and what was stored. */
  const deliver = async (messageId: string) => {
    transport.clear();
    expect(await deliverMessage(deps(), messageId)).toBe('sent');
    const [stored] = await database.db
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.id, messageId));
    const sent = transport.sent();
    expect(sent).toHaveLength(1);
    return { sent: sent[0]?.html ?? '', stored: stored?.bodyHtml ?? '' };
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase(inject('adminUrl'), 'sanitised_emails');
    await runMigrations(scratch.url);
    database = connectDatabase(scratch.url, { poolMax: 4, logger });
    const today = localMoment(new Date(), 'Europe/London');
    const created = await createSummaryOrganisation(database.db, {
      name: hostile('Acme Plumbing Ltd'),
      timeZone: 'Europe/London',
      settings: {
        weeklySummary: { weekday: today.weekday, hour: 0, recipients: ['owner@acme.example'] },
        notifyEmail: 'disputes@acme.example',
        contactEmail: 'accounts@acme.example',
      },
      connection: { tenantName: hostile('Acme Plumbing (QuickBooks)') },
    });
    ({ orgId, connectionId } = created);
    const rows = await database.db
      .insert(customers)
      .values(customerNames.map((name, index) => ({ orgId, connectionId, externalId: `c${index}`, name })))
      .returning({ id: customers.id });
    customerIds = rows.map((row) => row.id);
    // A second company, needing reconnecting: its name and the vendor's error are in the summary.
    await database.db.insert(ledgerConnections).values({
      orgId,
      vendor: 'xero',
      tenantId: 'tenant-hostile',
      tenantName: hostile('Acme Trading (Xero)'),
      status: 'needs_reauth',
      lastError: hostile('The grant was revoked'),
    });
    await upsertInvoices(database.db, { orgId, connectionId }, ledgerInvoices);
    await database.db.insert(customerContacts).values(
      customerIds.map((customerId, index) => ({
        orgId,
        customerId,
        name: hostile(`Accounts ${index}`),
        email: `ap${index}@customer.example`,
      })),
    );
    await database.db.insert(collectionFlags).values({
      orgId,
      customerId: customerIds[0] ?? '',
      idempotencyKey: 'hostile-flag',
      kinds: ['agency_referral'],
      invoiceIds: [],
      daysOverdue: 20,
      recommendation: {
        recommended: 'agency_referral',
        balance: { amountMinor: 250_00, currency: 'GBP' },
      },
    });
  }, 120_000);
  afterAll(async () => {
    escaping.on = true;
    await database?.pool.end();
    await scratch?.drop();
  });

  describe.each(builders)('the weekly summary %s', (_name, escaped) => {
    it('reaches the transport with nothing active, its tables and links to the app intact', async () => {
      escaping.on = escaped;
      await database.db
        .delete(outboundMessages)
        .where(and(eq(outboundMessages.orgId, orgId), eq(outboundMessages.template, 'weekly-summary')));
      const [organisation] = await database.db
        .select({ id: organisations.id, timeZone: organisations.timeZone, settings: organisations.settings })
        .from(organisations)
        .where(eq(organisations.id, orgId));
      if (!organisation) throw new Error('no organisation');
      const now = new Date();
      const outcome = await sendDueWeeklySummary({ db: database.db, links: summaryLinks }, organisation, now);
      if (outcome.status !== 'queued') throw new Error(`not queued: ${outcome.status}`);
      const { sent, stored } = await deliver(outcome.messageIds[0] ?? '');

      // Without escaping, what was built is active: the transport is what stops it.
      if (!escaped) expect(activeMarkup(stored)).not.toEqual([]);
      expect(activeMarkup(sent)).toEqual([]);
      // (The title is text to a browser: there, markup the builder left in is shown escaped.)
      for (const attack of ['<script', '<svg', '<form', '<input', '<button'])
        expect(sent.toLowerCase()).not.toContain(attack);
      // The layout stays: every table of the email as built with escaping, and its links to the app.
      escaping.on = true;
      const expectedLinks = summaryEmailLinks(summaryLinks, orgId, 'owner@acme.example', now);
      expect(elementCounts(sent)['table']).toBe(elementCounts(stored)['table']);
      expect(elementCounts(sent)['table']).toBeGreaterThanOrEqual(8);
      const hrefs = linksOf(sent).map((link) => link.href);
      for (const key of ['dashboardUrl', 'connectionUrl', 'customersUrl', 'settingsUrl'] as const)
        expect(hrefs).toContain(expectedLinks[key]);
      expect(hrefs).toContain(summaryLinks.unsubscribeUrl(orgId, 'owner@acme.example'));
      expect(hrefs.some((href) => href.startsWith(`${publicUrl}/r/`))).toBe(true);
      expect(sent).toContain('@media (max-width: 480px)');
      if (escaped) {
        // Nothing to take out: sent exactly as built, every hostile name shown as text.
        expect(sent).toBe(stored);
        const text = textOf(sent);
        expect(text).toContain(`Acme Plumbing Ltd ${markup}`);
        expect(text).toContain(`Brightside Cafe ${markup}`);
        expect(text).toContain(`Acme Trading (Xero) ${markup}`);
      }
    });
  });

  describe('reminders', () => {
    let reminders: Array<typeof outboundMessages.$inferSelect>;

    beforeAll(async () => {
      // A Wednesday morning, inside the sending window; rendered when they go.
      const wednesday = new Date(`${dayFromToday(0)}T11:00:00Z`);
      while (wednesday.getUTCDay() !== 3) wednesday.setUTCDate(wednesday.getUTCDate() + 1);
      const result = await evaluateOrganisation(database.db, orgId, { now: wednesday });
      expect(result.emails).toBeGreaterThanOrEqual(1);
      reminders = await database.db
        .select()
        .from(outboundMessages)
        .where(
          and(
            eq(outboundMessages.orgId, orgId),
            eq(outboundMessages.purpose, 'reminder'),
            inArray(outboundMessages.status, ['pending']),
          ),
        );
    }, 60_000);

    it('rendered at sending from ledger data holding markup, reach the transport inert', async () => {
      const reminder = reminders.find((message) => message.customerId === customerIds[0]);
      if (!reminder) throw new Error('no reminder planned');
      const { sent, stored } = await deliver(reminder.id);
      expect(activeMarkup(sent)).toEqual([]);
      expect(sent).toBe(stored);
      expect(linksOf(sent).some((link) => link.href.startsWith(`${publicUrl}/`))).toBe(true);
      // The organisation's and the contact's names, and every invoice number, as text.
      const text = textOf(sent);
      expect(text).toContain(`Acme Plumbing Ltd ${markup}`);
      expect(text).toContain(`Dear Accounts 0 ${markup}`);
      for (const fragment of Object.values(hostileMarkup)) expect(text).toContain(fragment);
    });

    it('stored with active markup (by an older version), reach the transport inert', async () => {
      const reminder = reminders.find((message) => message.customerId === customerIds[1]);
      if (!reminder) throw new Error('no reminder planned');
      await database.db
        .update(outboundMessages)
        .set({
          status: 'pending',
          attempts: 0,
          subject: 'Your invoice',
          bodyText: 'Please pay',
          bodyHtml: `<p>Please pay</p>${markup}<p><a href="${publicUrl}/p/abc">Your page</a></p>`,
        })
        .where(eq(outboundMessages.id, reminder.id));
      const { sent, stored } = await deliver(reminder.id);
      expect(activeMarkup(stored)).not.toEqual([]);
      expect(activeMarkup(sent)).toEqual([]);
      expect(sent).toContain('<p>Please pay</p>');
      expect(linksOf(sent)).toContainEqual({ href: `${publicUrl}/p/abc`, text: 'Your page' });
    });
  });
  describe.each(builders)('the owner digest telling of a dispute %s', (_name, escaped) => {
    it('reaches the transport with nothing active, the message and invoice numbers kept as text', async () => {
      escaping.on = escaped;
      const customerId = customerIds[escaped ? 0 : 1] ?? '';
      await openDispute(database.db, {
        orgId,
        customerId,
        invoiceIds: [],
        source: 'portal',
        actor: 'debtor',
        now: new Date(),
        today: dayFromToday(0),
        limits: defaultArrangementLimits,
        reason: 'wrong_amount',
        message: hostile('The amount is wrong'),
      });
      // No window between the two runs of this test: each gathers its own dispute into a digest.
      const digest = await digestOwnerEvents(database.db, {
        orgId,
        now: new Date(),
        windowMinutes: 0,
        baseUrl: publicUrl,
      });
      escaping.on = true;
      expect(digest.status).toBe('sent');
      const messageId = digest.status === 'sent' ? (digest.messageId ?? '') : '';
      const [notice] = await database.db
        .select()
        .from(outboundMessages)
        .where(eq(outboundMessages.id, messageId));
      expect(notice?.to).toEqual([{ email: 'disputes@acme.example' }]);
      const { sent, stored } = await deliver(messageId);
      if (!escaped) expect(activeMarkup(stored)).not.toEqual([]);
      expect(activeMarkup(sent)).toEqual([]);
      if (escaped) {
        expect(sent).toBe(stored);
        expect(textOf(sent)).toContain(`The amount is wrong ${markup}`);
        // Every invoice number, as the ledger wrote it, as text.
        const numbers = /disputed (.*) \(The amount is wrong\)/.exec(textOf(sent))?.[1] ?? '';
        expect(numbers.split(', ').sort()).toEqual(Object.values(hostileMarkup).sort());
      }
    });
  });
});
