/**
 * Every vendor call has a timeout: the real connectors (node-quickbooks and intuit-oauth, xero-node and
 * openid-client underneath), built by the factory with a 200 ms VENDOR_HTTP_TIMEOUT_MS, pointed at a
 * server that accepts each request and does not answer (or answers long after the timeout). Each call
 * must fail within a bound as a transient LedgerError (`unavailable`), which the connection layer
 * retries with backoff, never hang, never be `unexpected`, and never ask for a reconnect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerError } from '../../connectors/errors.js';
import { createConnector } from '../../connectors/factory.js';
import type { LedgerConnector, LedgerTokens, Vendor } from '../../connectors/ledger.js';
import { openConnection, type TokenStore } from '../../connectors/shared/connection.js';
import type { ConnectionRateLimiter } from '../../connectors/shared/rate-limit.js';
import { startUnansweringServer, type UnansweringServer } from '../helpers/unanswering-server.js';

const timeoutMs = 200;
/** A call that gave up on time fails well inside this (the timeout, plus the libraries' own work). */
const boundMs = 1_500;

const unpaced = {
  block: () => undefined,
  blockedFor: () => 0,
  schedule: <Result>(_id: string, _limits: unknown, work: () => Promise<Result>) => work(),
} as unknown as ConnectionRateLimiter;

function connectorFor(vendor: Vendor, server: UnansweringServer): LedgerConnector {
  const connector = createConnector(vendor, {
    quickbooks: {
      clientId: 'timeout-client',
      clientSecret: 'timeout-secret',
      webhookVerifierToken: 'timeout-verifier',
      environment: 'production',
      emulatorUrl: server.url,
      httpTimeoutMs: timeoutMs,
    },
    xero: {
      clientId: 'timeout-client',
      clientSecret: 'timeout-secret',
      webhookKey: 'timeout-key',
      emulatorUrl: server.url,
      httpTimeoutMs: timeoutMs,
    },
  });
  if (!connector) throw new Error(`no ${vendor} connector`);
  return connector;
}

const tokens = (expiresInMs: number): LedgerTokens => ({
  accessToken: 'access-token-1',
  refreshToken: 'refresh-token-1',
  accessTokenExpiresAt: new Date(Date.now() + expiresInMs),
  refreshTokenExpiresAt: null,
});

let handles = 0;

/** A connection as the shared connection layer opens it; backoff sleeps are recorded, not waited. */
function connectionOf(connector: LedgerConnector, initial: LedgerTokens, unavailableRetries = 0) {
  const state = { tokens: initial, saves: 0, reauth: [] as string[], slept: [] as number[] };
  const store: TokenStore = {
    load: async () => state.tokens,
    save: async (renewed) => {
      state.tokens = renewed;
      state.saves += 1;
    },
    markNeedsReauth: async (detail) => {
      state.reauth.push(detail);
    },
  };
  handles += 1;
  const handle = openConnection({
    connector,
    connectionId: `timeouts-${handles}`,
    tenantId: connector.vendor === 'xero' ? 'fe79f7dd-b6d4-4a92-ba7b-538af6289c58' : '9341453050298757',
    homeCurrency: 'USD',
    tokens: store,
    withRefreshLock: (work) => work(),
    limiter: unpaced,
    retries: { rateLimited: 0, unavailable: unavailableRetries },
    sleep: async (ms) => {
      state.slept.push(ms);
    },
  });
  return { handle, state };
}

/** How the promise settled and how long it took; `settled: false` when it was still pending at `limitMs`. */
async function settleWithin(
  promise: Promise<unknown>,
  limitMs: number,
): Promise<{ settled: boolean; error: unknown; elapsedMs: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), limitMs);
  });
  const outcome = await Promise.race([
    promise.then(
      () => ({ settled: true, error: null }),
      (error: unknown) => ({ settled: true, error }),
    ),
    pending.then(() => ({ settled: false, error: null })),
  ]);
  clearTimeout(timer);
  return { ...outcome, elapsedMs: Date.now() - started };
}

function expectTimedOut(
  outcome: { settled: boolean; error: unknown; elapsedMs: number },
  vendor: Vendor,
): LedgerError {
  expect(outcome.settled, `the call was still waiting after ${boundMs} ms`).toBe(true);
  expect(outcome.error).toBeInstanceOf(LedgerError);
  const error = outcome.error as LedgerError;
  expect({ vendor: error.vendor, code: error.code, status: error.status }).toEqual({
    vendor,
    code: 'unavailable',
    status: 0,
  });
  expect(error.detail).toMatch(/no answer in time/);
  expect(outcome.elapsedMs).toBeGreaterThanOrEqual(timeoutMs - 20);
  expect(outcome.elapsedMs).toBeLessThan(boundMs);
  return error;
}

describe.each(['quickbooks', 'xero'] as const)('%s: a vendor that never answers', (vendor) => {
  let silent: UnansweringServer;
  let late: UnansweringServer;

  beforeAll(async () => {
    silent = await startUnansweringServer();
    // The token endpoint answers, with tokens, ten times later than the client waits.
    late = await startUnansweringServer({
      answerAfterMs: timeoutMs * 10,
      answer: () => ({
        access_token: 'late-access',
        refresh_token: 'late-refresh',
        token_type: 'bearer',
        expires_in: 3600,
      }),
    });
  });
  afterAll(async () => {
    await silent.close();
    await late.close();
  });

  it('fails a read as unavailable within the timeout', async () => {
    const connector = connectorFor(vendor, silent);
    const { handle, state } = connectionOf(connector, tokens(3_600_000));
    const before = silent.requests.length;
    const outcome = await settleWithin(connector.listOpenInvoices(handle, null), boundMs);
    expectTimedOut(outcome, vendor);
    expect(silent.requests.length - before).toBe(1);
    expect(state.reauth).toEqual([]);
  });

  it('retries a timed-out read with backoff before giving up', async () => {
    const connector = connectorFor(vendor, silent);
    const { handle, state } = connectionOf(connector, tokens(3_600_000), 2);
    const before = silent.requests.length;
    const outcome = await settleWithin(connector.listCustomers(handle, null), boundMs * 3);
    expect(outcome.error).toBeInstanceOf(LedgerError);
    expect((outcome.error as LedgerError).code).toBe('unavailable');
    expect(silent.requests.length - before).toBe(3);
    expect(state.slept).toHaveLength(2);
  });

  it('fails a token refresh as unavailable within the timeout, answered or not', async () => {
    for (const server of [silent, late]) {
      const connector = connectorFor(vendor, server);
      const direct = await settleWithin(connector.refreshTokens('refresh-token-1'), boundMs);
      expect(direct.settled, `the refresh was still waiting after ${boundMs} ms`).toBe(true);
      expect(connector.classifyFailure(direct.error)).toMatchObject({ code: 'unavailable', status: 0 });
      expect(direct.elapsedMs).toBeLessThan(boundMs);

      // Through the connection layer: an expired access token is refreshed first; the refresh times
      // out, the call fails as transient, the stored tokens stay, nobody is asked to reconnect.
      const { handle, state } = connectionOf(connector, tokens(-60_000));
      const refreshesBefore = server.requests.length;
      const outcome = await settleWithin(connector.listOpenInvoices(handle, null), boundMs);
      expectTimedOut(outcome, vendor);
      const asked = server.requests.slice(refreshesBefore);
      expect(asked).toHaveLength(1);
      expect(asked[0]?.path).toMatch(
        vendor === 'xero' ? /\/connect\/token$/ : /\/oauth2\/v1\/tokens\/bearer$/,
      );
      expect(state.saves).toBe(0);
      expect(state.reauth).toEqual([]);
      expect(state.tokens.refreshToken).toBe('refresh-token-1');
    }
  });

  it('fails a write as unavailable within the timeout', async () => {
    const connector = connectorFor(vendor, silent);
    const { handle } = connectionOf(connector, tokens(3_600_000));
    const outcome = await settleWithin(
      connector.appendNote(handle, {
        invoiceId: vendor === 'xero' ? '4f3a1e37-6a5c-4f6b-9f0e-1a2b3c4d5e6f' : '130',
        text: 'Dunwell: reminder sent',
        idempotencyKey: 'timeouts:note:1',
      }),
      boundMs,
    );
    expectTimedOut(outcome, vendor);
  });
});
