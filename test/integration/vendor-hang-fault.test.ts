/**
 * The emulators' hang fault against the real connectors with a short VENDOR_HTTP_TIMEOUT_MS: the vendor
 * carries out the request and holds the answer past the timeout, so the connector cannot know whether
 * its write happened. The call times out, the connection layer retries it, and the retry (same
 * requestid / Idempotency-Key) gets the first answer: each write lands exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerError } from '../../connectors/errors.js';
import { createConnector } from '../../connectors/factory.js';
import type { ConnectionHandle, LedgerConnector, LedgerTokens } from '../../connectors/ledger.js';
import { openConnection } from '../../connectors/shared/connection.js';
import type { ConnectionRateLimiter } from '../../connectors/shared/rate-limit.js';
import { createQuickBooksEmulator, type QuickBooksEmulator } from '../../emulators/quickbooks/index.js';
import { createXeroEmulator, type XeroEmulator } from '../../emulators/xero/index.js';

const timeoutMs = 300;
const redirectUri = 'http://127.0.0.1:9/callback';
const app = { clientId: 'hang-client', clientSecret: 'hang-secret' };
const userEmail = 'owner@hang.example';

const unpaced = {
  block: () => undefined,
  blockedFor: () => 0,
  schedule: <Result>(_id: string, _limits: unknown, work: () => Promise<Result>) => work(),
} as unknown as ConnectionRateLimiter;

const minor = (value: unknown) => Math.round(Number(value ?? 0) * 100);

interface Subject {
  connector: LedgerConnector;
  tokens: LedgerTokens;
  tenantId: string;
  /** Turns the hang fault on (every API call) or off. */
  hang(on: boolean): void;
  hangs(): number;
  openInvoice(): { id: string; balanceMinor: number; currency: string };
  balanceOf(invoiceId: string): number;
  notesWith(invoiceId: string, text: string): number;
  creditsWith(memo: string): number;
  creditTarget(): { ref: string; description: string };
  close(): Promise<void>;
}

async function consent(connector: LedgerConnector, extra = ''): Promise<string> {
  const authorize = await fetch(`${connector.consentUrl({ state: 'hang-state', redirectUri })}${extra}`, {
    redirect: 'manual',
  });
  const location = authorize.headers.get('location');
  if (authorize.status !== 302 || !location) throw new Error(`authorize answered ${authorize.status}`);
  return location;
}

async function quickBooks(): Promise<Subject> {
  const emulator: QuickBooksEmulator = createQuickBooksEmulator({ ...app, webhookVerifierToken: 'hang' });
  await emulator.listen(0);
  const realmId = emulator.generateCompany({
    customers: 5,
    openInvoices: 10,
    paidInvoices: 2,
    seed: 5,
    homeCurrency: 'USD',
  });
  const connector = createConnector('quickbooks', {
    quickbooks: {
      ...app,
      webhookVerifierToken: 'hang',
      environment: 'sandbox',
      emulatorUrl: emulator.url,
      httpTimeoutMs: timeoutMs,
    },
  });
  if (!connector) throw new Error('no QuickBooks connector');
  const { tokens } = await connector.exchangeCallback({ callbackUrl: await consent(connector), redirectUri });
  const view = () => emulator.company(realmId);
  return {
    connector,
    tokens,
    tenantId: realmId,
    hang: (on) => emulator.configure({ faults: { hangRate: on ? 1 : 0, hangMs: timeoutMs * 20 } }),
    hangs: () => emulator.counters().hangs ?? 0,
    openInvoice() {
      const invoice = view().invoices.find((candidate) => minor(candidate['Balance']) > 500);
      if (!invoice) throw new Error('no open invoice');
      const currency = (invoice['CurrencyRef'] as { value?: string } | undefined)?.value ?? 'USD';
      return { id: invoice.Id, balanceMinor: minor(invoice['Balance']), currency };
    },
    balanceOf: (id) => minor(view().invoices.find((invoice) => invoice.Id === id)?.['Balance']),
    notesWith: (id, text) =>
      view().attachables.filter(
        (note) =>
          String(note['Note'] ?? '').includes(text) &&
          JSON.stringify(note['AttachableRef'] ?? []).includes(`"${id}"`),
      ).length,
    creditsWith: (memo) => view().creditMemos.filter((credit) => credit['PrivateNote'] === memo).length,
    creditTarget: () => ({ ref: '1', description: 'Settlement discount' }),
    close: () => emulator.close(),
  };
}

async function xero(): Promise<Subject> {
  const emulator: XeroEmulator = createXeroEmulator({ ...app, webhookKey: 'hang' });
  await emulator.listen(0);
  const tenantId = emulator.generateOrganisation({
    contacts: 5,
    openInvoices: 10,
    paidInvoices: 2,
    seed: 5,
    userEmail,
  });
  const connector = createConnector('xero', {
    xero: { ...app, webhookKey: 'hang', emulatorUrl: emulator.url, httpTimeoutMs: timeoutMs },
  });
  if (!connector) throw new Error('no Xero connector');
  const callbackUrl = await consent(connector, `&user=${encodeURIComponent(userEmail)}`);
  const { tokens } = await connector.exchangeCallback({ callbackUrl, redirectUri });
  const view = () => emulator.organisation(tenantId);
  const isOpen = (invoice: Record<string, unknown>) =>
    invoice['Status'] === 'AUTHORISED' && minor(invoice['AmountDue']) > 500;
  return {
    connector,
    tokens,
    tenantId,
    hang: (on) => emulator.configure({ faults: { hangRate: on ? 1 : 0, hangMs: timeoutMs * 20 } }),
    hangs: () => emulator.counters().hangs ?? 0,
    openInvoice() {
      const invoice = view().invoices.find(isOpen);
      if (!invoice) throw new Error('no open invoice');
      return {
        id: String(invoice['InvoiceID']),
        balanceMinor: minor(invoice['AmountDue']),
        currency: String(invoice['CurrencyCode']),
      };
    },
    balanceOf: (id) => minor(view().invoices.find((invoice) => invoice['InvoiceID'] === id)?.['AmountDue']),
    notesWith: (id, text) =>
      view()
        .history(id)
        .filter((entry) => String(entry['Details'] ?? '').includes(text)).length,
    creditsWith: (memo) =>
      view().creditNotes.filter((note) => String(note['Reference'] ?? '').startsWith(memo)).length,
    creditTarget() {
      const revenue = view().accounts.find((account) => account['Type'] === 'REVENUE');
      return { ref: String(revenue?.['Code'] ?? '400'), description: 'Settlement discount' };
    },
    close: () => emulator.close(),
  };
}

let handles = 0;

/**
 * A connection as the connection layer opens it, where the first attempt of every call hangs: the
 * hang is turned on as each call starts, and off at its first backoff, so its retry is answered.
 */
function hangingFirstAttempts(subject: Subject): { handle: ConnectionHandle; retried: () => number } {
  let retried = 0;
  handles += 1;
  const inner = openConnection({
    connector: subject.connector,
    connectionId: `hang-${handles}`,
    tenantId: subject.tenantId,
    homeCurrency: 'USD',
    tokens: {
      load: async () => subject.tokens,
      save: async () => undefined,
      markNeedsReauth: async () => undefined,
    },
    withRefreshLock: (work) => work(),
    limiter: unpaced,
    retries: { rateLimited: 0, unavailable: 3 },
    sleep: async () => {
      retried += 1;
      subject.hang(false);
    },
  });
  return {
    handle: {
      tenantId: inner.tenantId,
      homeCurrency: inner.homeCurrency,
      call(kind, request) {
        subject.hang(true);
        return inner.call(kind, request).finally(() => subject.hang(false));
      },
    },
    retried: () => retried,
  };
}

describe.each([
  ['quickbooks', quickBooks],
  ['xero', xero],
] as const)('%s: answers held past the timeout', (_vendor, start) => {
  let subject: Subject;

  beforeAll(async () => {
    subject = await start();
  });
  afterAll(() => subject.close());

  it('a read whose answer hangs is retried and answered', async () => {
    const { handle, retried } = hangingFirstAttempts(subject);
    const hangsBefore = subject.hangs();
    const page = await subject.connector.listOpenInvoices(handle, null);
    expect(page.items.length).toBeGreaterThan(0);
    expect(subject.hangs() - hangsBefore).toBe(1);
    expect(retried()).toBe(1);
  });

  it('a note whose answer hangs lands once', async () => {
    const { handle, retried } = hangingFirstAttempts(subject);
    const invoice = subject.openInvoice();
    const text = `Dunwell: hung note ${Date.now().toString(36)}`;
    await subject.connector.appendNote(handle, {
      invoiceId: invoice.id,
      text,
      idempotencyKey: `hang:note:${text}`,
    });
    expect(retried()).toBe(1);
    expect(subject.notesWith(invoice.id, text)).toBe(1);
  });

  it('a credit whose every call hangs once lands once', async () => {
    const { handle, retried } = hangingFirstAttempts(subject);
    const invoice = subject.openInvoice();
    const memo = `Dunwell hung credit ${Date.now().toString(36)}`;
    const hangsBefore = subject.hangs();
    await subject.connector.applyCredit(handle, {
      invoiceId: invoice.id,
      amount: { amountMinor: 150, currency: invoice.currency },
      target: subject.creditTarget(),
      memo,
      idempotencyKey: `hang:credit:${memo}`,
    });
    // Every call of the credit (reads and both writes) hung once and was retried.
    expect(subject.hangs() - hangsBefore).toBeGreaterThanOrEqual(3);
    expect(retried()).toBe(subject.hangs() - hangsBefore);
    expect(subject.creditsWith(memo)).toBe(1);
    expect(subject.balanceOf(invoice.id)).toBe(invoice.balanceMinor - 150);
  });

  it('a call that hangs on every attempt fails as unavailable, not unexpected', async () => {
    subject.hang(true);
    handles += 1;
    const handle = openConnection({
      connector: subject.connector,
      connectionId: `hang-${handles}`,
      tenantId: subject.tenantId,
      homeCurrency: 'USD',
      tokens: {
        load: async () => subject.tokens,
        save: async () => undefined,
        markNeedsReauth: async () => undefined,
      },
      withRefreshLock: (work) => work(),
      limiter: unpaced,
      retries: { rateLimited: 0, unavailable: 1 },
      sleep: async () => undefined,
    });
    const started = Date.now();
    const error = await subject.connector.listCustomers(handle, null).catch((caught: unknown) => caught);
    subject.hang(false);
    expect(error).toBeInstanceOf(LedgerError);
    expect((error as LedgerError).code).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(timeoutMs * 2 + 2_000);
  });
});
