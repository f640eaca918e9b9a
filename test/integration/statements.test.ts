import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { policyInForce, savePolicy } from '../../src/collections/policy-versions.js';
import { customers } from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { today } from '../helpers/calendar.js';
import { Browser } from '../helpers/dunwell-harness.js';
import { pdfInfo, pdfText } from '../helpers/pdf-text.js';
import { portalClient } from '../helpers/portal.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const seed: CompanySeed = {
  name: 'Harbour Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  user: { sub: 'intuit-harbour', email: 'o@harbour.example', givenName: 'O', familyName: 'Owner' },
  customers: [
    { id: '1', displayName: 'Acme Builders', email: 'ap@acme.example' },
    { id: '2', displayName: 'Quiet Quarry', email: null },
    { id: '3', displayName: 'Gone Ltd', email: 'gone@gone.example' },
    { id: '4', displayName: 'Early Elm', email: 'elm@elm.example' },
  ],
  invoices: [
    {
      id: '301',
      docNumber: 'HJ-1042',
      customerId: '1',
      total: 120_000,
      status: 'overdue',
      dueDate: addDays(today, -43),
    },
    {
      id: '302',
      docNumber: 'HJ-1057',
      customerId: '1',
      total: 34_550,
      balance: 14_550,
      status: 'partial',
      dueDate: addDays(today, 5),
    },
    {
      id: '303',
      docNumber: 'HJ-VOID',
      customerId: '1',
      total: 99_900,
      status: 'voided',
      dueDate: addDays(today, -10),
    },
    {
      id: '401',
      docNumber: 'HJ-0988',
      customerId: '2',
      total: 50_000,
      status: 'overdue',
      dueDate: addDays(today, -95),
    },
    {
      id: '501',
      docNumber: 'HJ-0500',
      customerId: '3',
      total: 10_000,
      status: 'overdue',
      dueDate: addDays(today, -20),
    },
    {
      id: '601',
      docNumber: 'HJ-2001',
      customerId: '4',
      total: 7_500,
      status: 'open',
      dueDate: addDays(today, 9),
    },
  ],
  payments: [
    {
      id: '901',
      customerId: '1',
      amount: 20_000,
      txnDate: addDays(today, -3),
      applications: [{ invoiceId: '302', amount: 20_000 }],
    },
  ],
  creditMemos: [{ id: '951', customerId: '1', total: 5_000, txnDate: addDays(today, -30) }],
};

describe('statements of account and letters through the routes', () => {
  let qbo: QuickBooksHarness;
  let orgId = '';
  let cookie = '';
  const ids: Record<string, string> = {};
  const db = () => qbo.runtime.database.db;
  const url = (path: string) => `${qbo.runtime.url}${path}`;
  const asOwner = (path: string) => fetch(url(path), { headers: { cookie }, redirect: 'manual' });
  const files = (customer: string) => `/api/organisations/${orgId}/customers/${ids[customer]}`;

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    ({ orgId, cookie } = await qbo.connectAndSync());
    const rows = await db()
      .select({ id: customers.id, externalId: customers.externalId })
      .from(customers)
      .where(eq(customers.orgId, orgId));
    for (const row of rows) ids[row.externalId] = row.id;
    // The books deleted customer 3 after the sync.
    await db()
      .update(customers)
      .set({ deletedAt: new Date() })
      .where(and(eq(customers.orgId, orgId), eq(customers.externalId, '3')));
  }, 180_000);
  afterAll(() => qbo?.stop());

  it('shows the debtor their statement from a portal link, as a page and a PDF', async () => {
    const portal = portalClient(qbo);
    const token = portal.tokenFor(orgId, ids['1'] ?? '');
    const account = await (await portal.page(token)).text();
    expect(account).toContain(`/portal/${token}/statement`);

    const page = await portal.page(token, '/statement');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    for (const expected of [
      'Statement of account, Acme Builders',
      'HJ-1042',
      'HJ-1057',
      '£1,200.00',
      '£145.50',
    ])
      expect(html, expected).toContain(expected);
    expect(html).toContain('£50.00'); // the credit memo, and the balance less it
    expect(html).toContain('£1,295.50');
    expect(html).toContain('£200.00'); // the payment of the last 12 months
    expect(html).not.toContain('HJ-VOID');
    expect(html).toContain(`/portal/${token}/statement.pdf`);

    const pdf = await portal.page(token, '/statement.pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(
      `attachment; filename="statement-Acme-Builders-${today}.pdf"`,
    );
    const text = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    for (const expected of [
      'Harbour Joinery',
      'Acme Builders',
      'HJ-1042',
      'HJ-1057',
      '£1,295.50',
      '-£50.00',
      '£200.00',
    ])
      expect(text, expected).toContain(expected);

    // A link altered by one character opens nothing.
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await portal.page(forged, '/statement')).status).toBe(403);
    expect((await portal.page(forged, '/statement.pdf')).status).toBe(403);
  });

  it('gives the owner the statement page, its PDF and both letters', async () => {
    const page = await asOwner(`/app/${orgId}/customers/${ids['1']}/statement`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Statement of account: Acme Builders');
    expect(html).toContain(`${files('1')}/letters/demand.pdf?asOf=${today}`);
    expect(html).toContain(`${files('1')}/letters/final-notice.pdf?asOf=${today}`);
    const customerPage = await (await asOwner(`/app/${orgId}/customers/${ids['1']}`)).text();
    expect(customerPage).toContain(`/app/${orgId}/customers/${ids['1']}/statement`);

    const statement = await asOwner(`${files('1')}/statement.pdf`);
    expect(statement.status).toBe(200);
    expect(await pdfText(new Uint8Array(await statement.arrayBuffer()))).toContain('£1,295.50');

    const demand = await asOwner(`${files('1')}/letters/demand.pdf`);
    expect(demand.status).toBe(200);
    expect(demand.headers.get('content-disposition')).toContain(`formal-demand-Acme-Builders-${today}.pdf`);
    const demandText = await pdfText(new Uint8Array(await demand.arrayBuffer()));
    expect(demandText).toContain('Formal demand for payment');
    expect(demandText).toContain('HJ-1042');
    expect(demandText).not.toContain('HJ-1057'); // not yet due
    expect(demandText).toContain('£1,200.00');
    expect(demandText).not.toContain('Interest'); // the default policy charges no late fees

    const final = await asOwner(`${files('1')}/letters/final-notice.pdf`);
    expect(final.status).toBe(200);
    expect(await pdfText(new Uint8Array(await final.arrayBuffer()))).toContain(
      'Final notice before further action',
    );
  });

  it('adds the statutory interest the policy asks for, for a debtor with no email address', async () => {
    const current = await policyInForce(db(), orgId);
    await savePolicy(db(), {
      orgId,
      basedOnVersion: current.version,
      policy: {
        ...current.policy,
        lateFees: { rule: { kind: 'uk-late-payment', referenceRatePercent: 5 }, debtorsAreBusinesses: true },
      },
      actor: 'test',
    });
    const page = await (await asOwner(`/app/${orgId}/customers/${ids['2']}/statement`)).text();
    expect(page).toContain('Your books hold no email address for them');
    const demand = await asOwner(`${files('2')}/letters/demand.pdf`);
    expect(demand.status).toBe(200);
    const text = await pdfText(new Uint8Array(await demand.arrayBuffer()));
    // £500 at 13% (5 + 8) for 95 days: 50000 × 13 × 95 / 36500 = 1691.78… → £16.92; £40 for a debt under £1,000.
    for (const expected of [
      'HJ-0988',
      '£500.00',
      '£16.92',
      '£40.00',
      '£556.92',
      'Late Payment of Commercial Debts',
    ])
      expect(text, expected).toContain(expected);
  });

  it('regenerates a copy dated as asked, the same bytes again, and refuses a date after today', async () => {
    const dated = `${files('1')}/letters/demand.pdf?asOf=${addDays(today, -1)}`;
    const first = Buffer.from(await (await asOwner(dated)).arrayBuffer());
    const again = Buffer.from(await (await asOwner(dated)).arrayBuffer());
    expect(again.equals(first)).toBe(true);
    expect(await pdfText(first)).toContain('HJ-1042');
    expect((await pdfInfo(first))['CreationDate']).toBe(`D:${addDays(today, -1).replaceAll('-', '')}000000Z`);
    expect((await asOwner(`${files('1')}/statement.pdf?asOf=${addDays(today, 1)}`)).status).toBe(400);
    expect((await asOwner(`${files('1')}/statement.pdf?asOf=yesterday`)).status).toBe(400);
  });

  it('has no statement for a customer the books deleted, and no letter when nothing is overdue', async () => {
    const gone = await asOwner(`${files('3')}/statement.pdf`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain('deleted in your books');
    const page = await asOwner(`/app/${orgId}/customers/${ids['3']}/statement`);
    expect(page.status).toBe(404);
    const portal = portalClient(qbo);
    expect((await portal.page(portal.tokenFor(orgId, ids['3'] ?? ''), '/statement')).status).toBe(410);

    const early = await asOwner(`${files('4')}/letters/demand.pdf`);
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('Nothing this customer owes is overdue');
    const earlyPage = await (await asOwner(`/app/${orgId}/customers/${ids['4']}/statement`)).text();
    expect(earlyPage).not.toContain('letters/demand.pdf');
    expect((await asOwner(`${files('4')}/statement.pdf`)).status).toBe(200);
  });

  it('answers 404 to another organisation’s session on every statement and letter route', async () => {
    const strangerRealm = qbo.emulator.addCompany({
      name: 'Birch',
      homeCurrency: 'GBP',
      country: 'GB',
      user: { sub: 'intuit-birch', email: 'o@birch.example', givenName: 'B', familyName: 'Owner' },
      customers: [{ id: '1', displayName: 'Birch Customer', email: 'ap@birch.example' }],
    });
    const stranger = new Browser();
    await stranger.connect(qbo.runtime.url, 'quickbooks', {
      consentParameters: `&realm_id=${strangerRealm}`,
    });
    for (const path of [
      `/app/${orgId}/customers/${ids['1']}/statement`,
      `${files('1')}/statement.pdf`,
      `${files('1')}/letters/demand.pdf`,
      `${files('1')}/letters/final-notice.pdf`,
    ]) {
      const answer = await stranger.request(url(path));
      expect(answer.status, path).toBe(404);
      expect(await answer.text(), path).not.toContain('Acme');
    }
  });
});
