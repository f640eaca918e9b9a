import { describe, expect, it } from 'vitest';
import { LedgerError } from '../../connectors/errors.js';
import type { LedgerConnector, LedgerTokens, VendorFailure } from '../../connectors/ledger.js';
import { openConnection, type TokenStore } from '../../connectors/shared/connection.js';
import { ConnectionRateLimiter } from '../../connectors/shared/rate-limit.js';

const now = Date.parse('2026-11-23T12:00:00Z');
const minutes = (n: number) => new Date(now + n * 60_000);

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter: number | null = null,
  ) {
    super(`HTTP ${status}`);
  }
}

function fakeConnector(refresh: (refreshToken: string) => Promise<LedgerTokens>): LedgerConnector {
  return {
    vendor: 'quickbooks',
    limits: { perMinute: 600, concurrent: 2 },
    refreshTokens: refresh,
    classifyFailure(error: unknown): VendorFailure {
      const status = error instanceof HttpFailure ? error.status : 0;
      const retryAfterSeconds = error instanceof HttpFailure ? error.retryAfter : null;
      const code =
        status === 429
          ? 'rate_limited'
          : status === 401 || (error as Error).message === 'invalid_grant'
            ? 'reauth_required'
            : status >= 500
              ? 'unavailable'
              : 'rejected';
      return {
        status: status || ((error as Error).message === 'invalid_grant' ? 400 : 0),
        code,
        retryAfterSeconds,
        detail: 'x',
      };
    },
  } as unknown as LedgerConnector;
}

function store(initial: LedgerTokens) {
  const state = { tokens: initial, saves: 0, reauth: [] as string[] };
  const tokens: TokenStore = {
    load: async () => state.tokens,
    save: async (renewed) => {
      state.tokens = renewed;
      state.saves += 1;
    },
    markNeedsReauth: async (detail) => {
      state.reauth.push(detail);
    },
  };
  return { state, tokens };
}

const tokensExpiringIn = (minutesLeft: number, suffix = '1'): LedgerTokens => ({
  accessToken: `access-${suffix}`,
  refreshToken: `refresh-${suffix}`,
  accessTokenExpiresAt: minutes(minutesLeft),
  refreshTokenExpiresAt: minutes(60 * 24 * 100),
});

function open(options: {
  initial: LedgerTokens;
  refresh?: (refreshToken: string) => Promise<LedgerTokens>;
  sleeps?: number[];
}) {
  const { state, tokens } = store(options.initial);
  const refreshes: string[] = [];
  const handle = openConnection({
    connector: fakeConnector(async (refreshToken) => {
      refreshes.push(refreshToken);
      return options.refresh
        ? options.refresh(refreshToken)
        : tokensExpiringIn(60, String(refreshes.length + 1));
    }),
    connectionId: `c-${Math.random()}`,
    tenantId: 'realm',
    homeCurrency: 'USD',
    tokens,
    withRefreshLock: (work) => work(),
    limiter: new ConnectionRateLimiter(),
    now: () => now,
    sleep: async (ms) => {
      options.sleeps?.push(ms);
    },
  });
  return { handle, state, refreshes };
}

describe('connection layer', () => {
  it('uses a stored token that is still fresh, without refreshing', async () => {
    const { handle, refreshes } = open({ initial: tokensExpiringIn(30) });
    expect(await handle.call('read', async (token) => token)).toBe('access-1');
    expect(refreshes).toEqual([]);
  });

  it('refreshes once, for many callers at once, shortly before expiry and stores the newest tokens', async () => {
    const { handle, refreshes, state } = open({ initial: tokensExpiringIn(2) });
    const seen = await Promise.all(
      Array.from({ length: 20 }, () => handle.call('read', async (token) => token)),
    );
    expect(refreshes).toEqual(['refresh-1']);
    expect(new Set(seen)).toEqual(new Set(['access-2']));
    expect(state.tokens.refreshToken).toBe('refresh-2');
    expect(state.saves).toBe(1);
  });

  it('after a 401 refreshes and retries once, then gives up as reauth_required', async () => {
    const { handle, refreshes, state } = open({ initial: tokensExpiringIn(30) });
    const tokensTried: string[] = [];
    const ok = await handle.call('read', async (token) => {
      tokensTried.push(token);
      if (token === 'access-1') throw new HttpFailure(401);
      return 'fine';
    });
    expect(ok).toBe('fine');
    expect(tokensTried).toEqual(['access-1', 'access-2']);

    const failing = handle.call('read', async () => {
      throw new HttpFailure(401);
    });
    await expect(failing).rejects.toMatchObject({ code: 'reauth_required' });
    expect(refreshes).toHaveLength(2);
    expect(state.reauth).toHaveLength(1);
  });

  it('marks the connection for reconnection when the refresh token is refused', async () => {
    const { handle, state } = open({
      initial: tokensExpiringIn(-1),
      refresh: async () => {
        throw new Error('invalid_grant');
      },
    });
    const call = handle.call('read', async () => 'never');
    await expect(call).rejects.toBeInstanceOf(LedgerError);
    await expect(call).rejects.toMatchObject({
      code: 'reauth_required',
      message: expect.stringMatching(/Reconnect QuickBooks/),
    });
    expect(state.reauth).toHaveLength(1);
  });

  it('waits as long as Retry-After says, then succeeds', async () => {
    const sleeps: number[] = [];
    const { handle } = open({ initial: tokensExpiringIn(30), sleeps });
    let attempts = 0;
    const result = await handle.call('read', async () => {
      attempts += 1;
      if (attempts < 3) throw new HttpFailure(429, 7);
      return 'done';
    });
    expect(result).toBe('done');
    expect(sleeps).toEqual([7000, 7000]);
    expect(handle.stats.throttled).toBe(2);
  });

  it('gives up after five 429s and after three outages, and never retries a rejection', async () => {
    const sleeps: number[] = [];
    const { handle } = open({ initial: tokensExpiringIn(30), sleeps });
    await expect(
      handle.call('read', async () => {
        throw new HttpFailure(429);
      }),
    ).rejects.toMatchObject({ code: 'rate_limited' });
    expect(sleeps).toHaveLength(5);

    let outageAttempts = 0;
    await expect(
      handle.call('write', async () => {
        outageAttempts += 1;
        throw new HttpFailure(503);
      }),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(outageAttempts).toBe(4);

    let rejectedAttempts = 0;
    await expect(
      handle.call('write', async () => {
        rejectedAttempts += 1;
        throw new HttpFailure(400);
      }),
    ).rejects.toMatchObject({ code: 'rejected' });
    expect(rejectedAttempts).toBe(1);
  });

  it('does not sleep through a long wait (a day limit): fails at once, and so do later calls', async () => {
    const sleeps: number[] = [];
    const { handle } = open({ initial: tokensExpiringIn(30), sleeps });
    let calls = 0;
    const dayLimited = handle.call('read', async () => {
      calls += 1;
      throw new HttpFailure(429, 3_600);
    });
    await expect(dayLimited).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 3_600 });
    await expect(handle.call('read', async () => 'not called')).rejects.toMatchObject({
      code: 'rate_limited',
    });
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('keeps at most the vendor’s concurrent limit in flight', async () => {
    const { handle } = open({ initial: tokensExpiringIn(30) });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        handle.call('read', async () => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await new Promise((resolve) => setImmediate(resolve));
          inFlight -= 1;
        }),
      ),
    );
    expect(peak).toBe(2);
  });
});
