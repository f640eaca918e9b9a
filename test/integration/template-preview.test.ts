import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import {
  customers,
  ledgerConnections,
  messageTemplates,
  organisations,
  outboundMessages,
} from '../../src/db/schema/index.js';
import { portalLinks } from '../../src/domain/portal-links.js';
import { createLogger } from '../../src/logger.js';
import {
  organisationTemplates,
  saveOrganisationTemplate,
} from '../../src/messaging/organisation-templates.js';
import { renderQueuedMessage } from '../../src/messaging/render/queued-message.js';
import { previewOnDebtor } from '../../src/messaging/template-preview.js';
import { defaultTemplate } from '../../src/messaging/templates/index.js';
import { upsertCustomers, upsertInvoices } from '../../src/sync/mirror.js';
import { activeMarkup, textOf } from '../helpers/hostile-email.js';

/*
 * The template editor's preview is the email delivery sends: the same body makes the HTML and the
 * text, for the same debtor, with the same frame, amounts and link.
 */
describe('the template preview and delivery', () => {
  let database: DatabaseHandle;
  let orgId: string;
  let customerId: string;
  // Monday 30 November 2026, 10:00 in London.
  const now = new Date('2026-11-30T10:00:00Z');
  const links = portalLinks('the template preview test secret', 'https://dunwell.example');
  const db = () => database.db;

  beforeAll(async () => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 4, logger: createLogger('silent') });
    const [organisation] = await db()
      .insert(organisations)
      .values({ name: 'Preview & Sons Ltd', currency: 'GBP', timeZone: 'Europe/London', sending: 'live' })
      .returning();
    orgId = organisation?.id ?? '';
    const [connection] = await db()
      .insert(ledgerConnections)
      .values({ orgId, vendor: 'xero', tenantId: `tenant-template-preview-${Date.now()}` })
      .returning();
    const scope = { orgId, connectionId: connection?.id ?? '' };
    await upsertCustomers(db(), scope, [
      {
        externalId: 'kestrel',
        name: 'Kestrel <b>Café</b> & Co',
        active: true,
        currency: 'GBP',
        updatedAt: null,
        contacts: [{ name: 'Priya Shah', email: 'priya@kestrel.example', role: 'billing' as const }],
      },
    ]);
    const invoice = (externalId: string, dueDate: string, balanceMinor: number) => ({
      externalId,
      customerExternalId: 'kestrel',
      number: externalId.toUpperCase(),
      currency: 'GBP',
      totalMinor: 60_000,
      balanceMinor,
      issueDate: null,
      dueDate,
      status: 'open' as const,
      version: null,
      paymentUrl: `https://pay.example.com/${externalId}?a=1&b=2`,
      billEmail: null,
      updatedAt: null,
    });
    await upsertInvoices(db(), scope, [
      invoice('inv-7001', '2026-11-09', 60_000),
      invoice('inv-7002', '2026-11-16', 25_000),
    ]);
    const [customer] = await db().select().from(customers).where(eq(customers.orgId, orgId));
    customerId = customer?.id ?? '';
  });

  afterAll(() => database.pool.end());

  it('shows the email delivery renders for the same debtor, from one body, in HTML and in text', async () => {
    const template = defaultTemplate('firm');
    template.text = template.text.replace(
      'Please arrange payment now',
      'Please arrange payment this week (see https://help.example.com/pay)',
    );
    expect(await saveOrganisationTemplate(db(), { orgId, name: 'firm', template, actor: 'test' })).toEqual({
      ok: true,
    });
    expect((await organisationTemplates(db(), orgId)).firm).toEqual(template);
    const [stored] = await db().select().from(messageTemplates).where(eq(messageTemplates.orgId, orgId));
    expect(stored?.html).toBe('');

    const preview = await previewOnDebtor(db(), { orgId, name: 'firm', template, customerId, now, links });
    if (!preview.ok) throw new Error(preview.problems.join('; '));
    expect(preview.debtor).toEqual({ id: customerId, name: 'Kestrel <b>Café</b> & Co' });

    const [queued] = await db()
      .insert(outboundMessages)
      .values({
        orgId,
        customerId,
        idempotencyKey: 'template-preview-firm',
        to: [{ email: 'priya@kestrel.example', name: 'Priya Shah' }],
        template: 'firm',
        renderInputs: {
          stepKey: 'firm',
          tone: 'firm',
          template: 'firm',
          lateFeeNotice: false,
          brokenPromise: null,
          rung: 1,
        },
        sendAfter: now,
      })
      .returning();
    if (!queued) throw new Error('not queued');
    const delivered = await renderQueuedMessage(db(), queued, { now, links });
    expect(delivered).toEqual(preview.email);

    // Both versions carry the edit, the invoices and a working link, and no markup from the name.
    for (const part of [textOf(preview.email.html), preview.email.text]) {
      expect(part).toContain('Please arrange payment this week (see https://help.example.com/pay');
      expect(part).toContain('INV-7001');
      expect(part).toContain('£850.00');
    }
    expect(preview.email.html).toContain('<a href="https://help.example.com/pay">');
    expect(textOf(preview.email.html)).toContain('Invoices for Kestrel <b>Café</b> & Co');
    expect(activeMarkup(preview.email.html)).toEqual([]);
    expect(preview.email.text).toContain('https://dunwell.example/');
  });
});
