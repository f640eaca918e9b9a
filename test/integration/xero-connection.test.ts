import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LedgerError } from '../../connectors/errors.js';
import { openConnection } from '../../connectors/shared/connection.js';
import type { OrganisationSeed } from '../../emulators/xero/index.js';
import { invoices, ledgerConnections } from '../../src/db/schema/index.js';
import { databaseTokenStore } from '../../src/ledger/connection-tokens.js';
import { openLedgerConnection } from '../../src/ledger/open-connection.js';
import { syncConnection } from '../../src/sync/sync-connection.js';
import { runTypeScript } from '../helpers/processes.js';
import { startXeroHarness, type XeroHarness } from '../helpers/xero-harness.js';

const owner = { email: 'accounts@fernhill.example', firstName: 'Rhys', lastName: 'Owen' };
const contactId = '55555555-5555-4555-8555-555555555555';
const unpaid = 'b0000000-0000-4000-8000-000000000001';
const partPaid = 'b0000000-0000-4000-8000-000000000002';
const third = 'b0000000-0000-4000-8000-000000000003';

const seed: OrganisationSeed = {
  name: 'Fernhill Joinery',
  baseCurrency: 'GBP',
  countryCode: 'GB',
  user: owner,
  contacts: [{ id: contactId, name: 'Ashdown Builders', emailAddress: 'accounts@ashdown.example' }],
  invoices: [
    { id: unpaid, contactId, total: 120_000, dueDate: '2026-10-30' },
    { id: partPaid, contactId, total: 45_000, amountDue: 30_000, dueDate: '2026-10-15' },
    { id: third, contactId, total: 20_000, dueDate: '2026-12-15' },
  ],
};
const minute = 60_000;

describe('Xero connection: writes, tokens and limits', () => {
  let xero: XeroHarness;
  let connectionId: string;
  const db = () => xero.runtime.database.db;
  const tenantId = () => xero.tenantIds[0] ?? '';
  const open = async () => {
    const opened = await openLedgerConnection(xero.runtime.ledger, connectionId);
    if (!opened) throw new Error('connection missing');
    return opened;
  };
  const row = async () =>
    (await db().select().from(ledgerConnections).where(eq(ledgerConnections.id, connectionId)))[0];

  beforeAll(async () => {
    xero = await startXeroHarness(inject('adminUrl'), [seed]);
    ({ connectionId } = await xero.connect(owner.email));
    await xero.waitForSync(connectionId, (connection) => connection.syncProgress?.phase === 'done');
  }, 120_000);
  afterAll(() => xero?.stop());

  it('splits a long note into History records of at most 250 characters, written once per key', async () => {
    const { connector, handle } = await open();
    const text = `Formal demand sent to accounts@ashdown.example for INV-0001 (1,200.00 GBP, 24 days overdue). ${'The customer was offered a payment plan and reminded of the late fee in the terms of trade. '.repeat(4)}`;
    const note = { invoiceId: unpaid, text, idempotencyKey: 'note:demand-1' };
    await connector.appendNote(handle, note);
    await connector.appendNote(handle, note);
    const records = xero.emulator.organisation(tenantId()).history(unpaid);
    const details = records.map((record) => String(record['Details']));
    expect(details.length).toBeGreaterThan(1);
    expect(details.every((entry) => entry.length <= 250)).toBe(true);
    expect(new Set(details).size).toBe(details.length); // the retry added nothing
  });

  it('moves the due date of an unpaid invoice, and says why it cannot once money is allocated', async () => {
    const { connector, handle } = await open();
    expect(
      await connector.changeDueDate(handle, {
        invoiceId: unpaid,
        dueDate: '2026-12-31',
        idempotencyKey: 'due:1',
      }),
    ).toEqual({
      applied: true,
    });
    expect(String(xero.emulator.organisation(tenantId()).invoice(unpaid)?.['DueDate'])).toContain(
      String(Date.parse('2026-12-31')),
    );
    const refused = await connector.changeDueDate(handle, {
      invoiceId: partPaid,
      dueDate: '2026-12-31',
      idempotencyKey: 'due:2',
    });
    expect(refused).toMatchObject({ applied: false, reason: expect.stringMatching(/payment or credit/) });
  });

  it('applies a credit note once however often retried (Idempotency-Key)', async () => {
    const { connector, handle } = await open();
    const credit = {
      invoiceId: third,
      amount: { amountMinor: 5_000, currency: 'GBP' },
      target: { ref: '200', description: 'Settlement discount' },
      memo: 'Settlement agreed: 150.00 in full',
      idempotencyKey: 'settle:third',
    };
    const first = await connector.applyCredit(handle, credit);
    const again = await connector.applyCredit(handle, credit);
    expect(again).toEqual(first);
    expect(first).toHaveProperty('creditId');
    const organisation = xero.emulator.organisation(tenantId());
    expect(organisation.creditNotes).toHaveLength(1);
    expect(organisation.allocations).toHaveLength(1);
    expect(Number(organisation.invoice(third)?.['AmountDue'])).toBe(150);
  });

  it('reads the online invoice link', async () => {
    const { connector, handle } = await open();
    expect(await connector.paymentLink(handle, unpaid)).toMatch(/^https?:\/\//);
  });

  it('rotates the refresh token, and the previous one stops working after the 30-minute grace', async () => {
    const store = databaseTokenStore(db(), xero.runtime.tokenCipher, connectionId);
    const before = await store.load();
    xero.advance(40 * minute);
    const { connector, handle } = await open();
    await connector.fetchInvoices(handle, [unpaid]);
    const after = await store.load();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    xero.advance(31 * minute);
    await expect(connector.refreshTokens(before.refreshToken)).rejects.toSatisfy(
      (error) => connector.classifyFailure(error).code === 'reauth_required',
    );
  });

  it('lets 20 callers in two processes share one refresh (Xero rotates on every refresh)', async () => {
    await db()
      .update(ledgerConnections)
      .set({ accessTokenExpiresAt: new Date(Date.now() - 60_000) })
      .where(eq(ledgerConnections.id, connectionId));
    const startAt = Date.now() + 2_500;
    // Dunwell paces Xero at ~4 calls per 5 s per process, so 10 callers each keep this quick.
    xero.emulator.configure({ rateLimit: { perMinute: 1_000, concurrent: 100 } });
    try {
      const workers = [1, 2].map(() =>
        runTypeScript('test/helpers/refresh-worker.ts', [], {
          ...xero.environment,
          CONNECTION_ID: connectionId,
          CALLERS: '10',
          START_AT: String(startAt),
          INVOICE_ID: unpaid,
        }),
      );
      await Promise.all(workers.map((worker) => worker.waitForOutput('"ok"', 60_000)));
      const reports = workers.map((worker) => JSON.parse(worker.output().trim().split('\n').at(-1) ?? '{}'));
      expect(reports.map(({ ok, failures }) => ({ ok, failures }))).toEqual([
        { ok: 10, failures: [] },
        { ok: 10, failures: [] },
      ]);
      // One refresh in all, across both processes.
      expect(reports.reduce((sum, report) => sum + report.refreshes, 0)).toBe(1);
    } finally {
      xero.emulator.configure({ rateLimit: { perMinute: 60, concurrent: 5 } });
    }
  });

  it('waits out the minute limit at Xero’s pace, and stops at once for the day limit', async () => {
    const { connector } = await open();
    const waits: number[] = [];
    const handle = openConnection({
      connector,
      connectionId: `${connectionId}-limits`,
      tenantId: tenantId(),
      homeCurrency: 'GBP',
      tokens: databaseTokenStore(db(), xero.runtime.tokenCipher, connectionId),
      withRefreshLock: (work) => work(),
      sleep: async (ms) => {
        waits.push(ms);
        xero.advance(ms);
      },
    });
    xero.emulator.configure({ rateLimit: { perMinute: 3 } });
    const minuteBefore = xero.emulator.counters().throttled.minute;
    for (let read = 0; read < 5; read++) await connector.fetchInvoices(handle, [unpaid]);
    expect(xero.emulator.counters().throttled.minute - minuteBefore).toBeGreaterThan(0);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((wait) => wait > 0 && wait <= 60_000)).toBe(true);

    xero.emulator.configure({ rateLimit: { perMinute: 60, perDay: 1 } });
    const dayBefore = xero.emulator.counters().throttled.day;
    const blocked = connector.fetchInvoices(handle, [unpaid]);
    await expect(blocked).rejects.toBeInstanceOf(LedgerError);
    await expect(blocked).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: expect.any(Number),
    });
    expect(xero.emulator.counters().throttled.day - dayBefore).toBe(1);
    // Further calls wait out the day without asking Xero again.
    await expect(connector.fetchInvoices(handle, [unpaid])).rejects.toMatchObject({ code: 'rate_limited' });
    expect(xero.emulator.counters().throttled.day - dayBefore).toBe(1);
    xero.emulator.configure({ rateLimit: { perDay: 5000 } });
  });

  it('notices a disconnection made in Xero, asks for a reconnect, and keeps the data', async () => {
    const owed = (await db().select().from(invoices).where(eq(invoices.connectionId, connectionId))).length;
    xero.emulator.disconnectTenant(tenantId());
    expect(await syncConnection(xero.runtime.ledger, connectionId, 'incremental')).toMatchObject({
      outcome: 'needs_reauth',
    });
    expect((await row())?.status).toBe('needs_reauth');
    expect(await db().select().from(invoices).where(eq(invoices.connectionId, connectionId))).toHaveLength(
      owed,
    );

    const again = await xero.connect(owner.email);
    expect(again.connectionId).toBe(connectionId);
    expect((await row())?.status).toBe('active');
  });

  it('asks for a reconnect when the user revokes every grant', async () => {
    xero.emulator.revokeUser(owner.email);
    xero.advance(40 * minute);
    expect(await syncConnection(xero.runtime.ledger, connectionId, 'incremental')).toMatchObject({
      outcome: 'needs_reauth',
    });
    expect((await row())?.status).toBe('needs_reauth');
  });
});
