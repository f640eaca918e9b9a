import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openConnection } from '../../connectors/shared/connection.js';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { invoices, ledgerConnections } from '../../src/db/schema/index.js';
import { databaseTokenStore } from '../../src/ledger/connection-tokens.js';
import { openLedgerConnection } from '../../src/ledger/open-connection.js';
import { syncConnection } from '../../src/sync/sync-connection.js';
import { runTypeScript } from '../helpers/processes.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';

const seed: CompanySeed = {
  name: 'Fernhill Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  customers: [
    { id: '1', displayName: 'Ashdown Builders', email: 'accounts@ashdown.example' },
    { id: '2', displayName: 'Birch & Co', email: 'ap@birch.example' },
  ],
  invoices: [
    { id: '10', customerId: '1', total: 120_000, status: 'overdue', dueDate: '2026-09-30' },
    { id: '11', customerId: '2', total: 45_000, status: 'overdue', dueDate: '2026-10-15' },
    { id: '12', customerId: '2', total: 30_000, status: 'open', dueDate: '2027-01-15' },
  ],
};

const hour = 3_600_000;

describe('QuickBooks connection: tokens, limits and write-backs', () => {
  let qbo: QuickBooksHarness;
  let connectionId: string;
  let sessionCookie: string;
  const db = () => qbo.runtime.database.db;
  const connectionRow = async () =>
    (await db().select().from(ledgerConnections).where(eq(ledgerConnections.id, connectionId)))[0];
  const open = async () => {
    const opened = await openLedgerConnection(qbo.runtime.ledger, connectionId);
    if (!opened) throw new Error('connection missing');
    return opened;
  };

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed);
    const connected = await qbo.connect();
    connectionId = connected.connectionId;
    sessionCookie = connected.cookie;
    await qbo.waitForSync(connectionId, (row) => row.syncProgress?.phase === 'done');
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('writes a note once however often the write is retried (requestid)', async () => {
    const { connector, handle } = await open();
    const note = {
      invoiceId: '10',
      text: 'Reminder sent to accounts@ashdown.example (step: firm).',
      idempotencyKey: 'note:abc-1',
    };
    const first = await connector.appendNote(handle, note);
    const retried = await connector.appendNote(handle, note);
    expect(retried.noteId).toBe(first.noteId);
    const notes = qbo.emulator.company(qbo.realmId).attachables.filter((row) => row['Note'] === note.text);
    expect(notes).toHaveLength(1);
  });

  it('moves a due date, and applies a credit once however often retried', async () => {
    const { connector, handle } = await open();
    expect(
      await connector.changeDueDate(handle, {
        invoiceId: '11',
        dueDate: '2026-12-20',
        idempotencyKey: 'plan:1',
      }),
    ).toEqual({ applied: true });
    expect(qbo.emulator.company(qbo.realmId).invoice('11')?.['DueDate']).toBe('2026-12-20');

    const credit = {
      invoiceId: '11',
      amount: { amountMinor: 5_000, currency: 'GBP' },
      target: { ref: '1', description: 'Settlement discount' },
      memo: 'Settlement agreed 2026-11-23: 400.00 accepted in full.',
      idempotencyKey: 'settle:11',
    };
    const first = await connector.applyCredit(handle, credit);
    const again = await connector.applyCredit(handle, credit);
    expect(again).toEqual(first);
    expect(first).toHaveProperty('creditId');
    expect(qbo.emulator.company(qbo.realmId).creditMemos).toHaveLength(1);
    expect(Number(qbo.emulator.company(qbo.realmId).invoice('11')?.['Balance'])).toBe(400);

    const closed = await connector.changeDueDate(handle, {
      invoiceId: '10',
      dueDate: '2026-12-01',
      idempotencyKey: 'p2',
    });
    expect(closed).toEqual({ applied: true });
  });

  it('reads the online payment link of an invoice', async () => {
    const { connector, handle } = await open();
    expect(await connector.paymentLink(handle, '12')).toMatch(/^https?:\/\//);
  });

  it('refreshes an expired access token and keeps the rotated refresh token', async () => {
    const before = await connectionRow();
    const store = databaseTokenStore(db(), qbo.runtime.tokenCipher, connectionId);
    const oldRefreshToken = (await store.load()).refreshToken;
    qbo.advance(2 * hour);
    const { connector, handle } = await open();
    expect((await connector.fetchInvoices(handle, ['12'])).map((row) => row.externalId)).toEqual(['12']);
    const after = await connectionRow();
    expect(after?.refreshTokenSealed).not.toBe(before?.refreshTokenSealed);
    expect((await store.load()).refreshToken).not.toBe(oldRefreshToken);
    // The old refresh token was spent: using it again is refused.
    await expect(connector.refreshTokens(oldRefreshToken)).rejects.toSatisfy(
      (error) => connector.classifyFailure(error).code === 'reauth_required',
    );
  });

  it('lets 50 callers in two processes share one refresh', async () => {
    await db()
      .update(ledgerConnections)
      .set({ accessTokenExpiresAt: new Date(Date.now() - 60_000) })
      .where(eq(ledgerConnections.id, connectionId));
    const oauthBefore = qbo.emulator.counters().byKind.oauth;
    const startAt = Date.now() + 2_500;
    const workers = [1, 2].map(() =>
      runTypeScript('test/helpers/refresh-worker.ts', [], {
        ...qbo.environment,
        CONNECTION_ID: connectionId,
        CALLERS: '25',
        START_AT: String(startAt),
      }),
    );
    await Promise.all(workers.map((worker) => worker.waitForOutput('"ok"', 60_000)));
    const reports = workers.map((worker) => JSON.parse(worker.output().trim().split('\n').at(-1) ?? '{}'));
    expect(reports.map(({ ok, failures }) => ({ ok, failures }))).toEqual([
      { ok: 25, failures: [] },
      { ok: 25, failures: [] },
    ]);
    // One refresh in all, across both processes.
    expect(reports.reduce((sum, report) => sum + report.refreshes, 0)).toBe(1);
    expect(qbo.emulator.counters().byKind.oauth - oauthBefore).toBe(1);
    expect((await connectionRow())?.status).toBe('active');
  });

  it('waits out 429s at the pace the vendor asks', async () => {
    qbo.emulator.configure({ rateLimit: { perMinute: 3 } });
    const throttledBefore = qbo.emulator.counters().throttled;
    const { connector } = await open();
    const waits: number[] = [];
    const handle = openConnection({
      connector,
      connectionId: `${connectionId}-limits`,
      tenantId: qbo.realmId,
      homeCurrency: 'GBP',
      tokens: databaseTokenStore(db(), qbo.runtime.tokenCipher, connectionId),
      withRefreshLock: (work) => work(),
      // Waiting is simulated by moving the emulator's clock, so the test takes no real minute.
      sleep: async (ms) => {
        waits.push(ms);
        qbo.advance(ms);
      },
    });
    try {
      for (let read = 0; read < 6; read++) await connector.fetchInvoices(handle, ['10']);
      const throttled = qbo.emulator.counters().throttled - throttledBefore;
      expect(throttled).toBeGreaterThan(0);
      expect(handle.stats.throttled).toBe(throttled);
      expect(waits).toHaveLength(throttled);
      // Intuit sends no Retry-After and documents a one-minute wait.
      expect(new Set(waits)).toEqual(new Set([60_000]));
    } finally {
      qbo.emulator.configure({ rateLimit: { perMinute: 500 } });
    }
  });

  it('asks for a reconnect when the company revokes access, and loses nothing', async () => {
    const owedBefore = await db().select().from(invoices).where(eq(invoices.connectionId, connectionId));
    qbo.emulator.revokeRealm(qbo.realmId);
    qbo.advance(2 * hour);
    expect(await syncConnection(qbo.runtime.ledger, connectionId, 'incremental')).toMatchObject({
      outcome: 'needs_reauth',
    });
    const row = await connectionRow();
    expect(row?.status).toBe('needs_reauth');
    expect(row?.lastError).toBeTruthy();
    expect(await db().select().from(invoices).where(eq(invoices.connectionId, connectionId))).toHaveLength(
      owedBefore.length,
    );
    const listed = await fetch(`${qbo.runtime.url}/api/connections`, { headers: { cookie: sessionCookie } });
    const [shown] = (
      (await listed.json()) as { connections: Array<{ status: string; syncProgress: { error?: string } }> }
    ).connections;
    expect(shown?.status).toBe('needs_reauth');
    expect(shown?.syncProgress.error).toMatch(/Reconnect QuickBooks/);
  });

  it('reconnects the same organisation, then disconnects only for the browser that connected it', async () => {
    const before = await connectionRow();
    const again = await qbo.connect();
    expect(again.connectionId).toBe(connectionId);
    const row = await connectionRow();
    expect(row).toMatchObject({ status: 'active', orgId: before?.orgId });

    // Without a session there is no CSRF token either: refused before anything is looked up.
    const strangers = await fetch(`${qbo.runtime.url}/api/connections/${connectionId}/disconnect`, {
      method: 'POST',
    });
    expect(strangers.status).toBe(403);
    const store = databaseTokenStore(db(), qbo.runtime.tokenCipher, connectionId);
    const { refreshToken } = await store.load();
    const mine = await fetch(`${qbo.runtime.url}/api/connections/${connectionId}/disconnect`, {
      method: 'POST',
      headers: { cookie: again.cookie, 'x-csrf-token': again.csrf },
    });
    expect(mine.status).toBe(204);
    const disconnected = await connectionRow();
    expect(disconnected).toMatchObject({
      status: 'disconnected',
      refreshTokenSealed: null,
      accessTokenSealed: null,
    });
    // Revoked at Intuit too.
    const { connector } = await open();
    await expect(connector.refreshTokens(refreshToken)).rejects.toSatisfy(
      (error) => connector.classifyFailure(error).code === 'reauth_required',
    );
    expect(
      await db().select().from(invoices).where(eq(invoices.connectionId, connectionId)),
    ).not.toHaveLength(0);
  });
});
