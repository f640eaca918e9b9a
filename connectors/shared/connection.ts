import { LedgerError } from '../errors.js';
import type { ConnectionHandle, LedgerConnector, LedgerTokens, VendorFailure } from '../ledger.js';
import { type ConnectionRateLimiter, processRateLimiter } from './rate-limit.js';

/** Where a connection's tokens live (encrypted in the database, for Dunwell). */
export interface TokenStore {
  /** Reads the current tokens from storage, not from a cache: another process may have refreshed. */
  load(): Promise<LedgerTokens>;
  save(tokens: LedgerTokens): Promise<void>;
  /** Records that the vendor refused the grant, so a person is asked to reconnect. */
  markNeedsReauth(detail: string): Promise<void>;
}

export interface ConnectionOptions {
  connector: LedgerConnector;
  connectionId: string;
  tenantId: string;
  homeCurrency: string;
  tokens: TokenStore;
  /** Runs `work` while holding this connection's refresh lock in every process (both vendors rotate refresh tokens). */
  withRefreshLock: <Result>(work: () => Promise<Result>) => Promise<Result>;
  limiter?: ConnectionRateLimiter;
  /** Refresh this long before the access token expires. Default 5 minutes. */
  refreshMarginMs?: number;
  /** Retries after a 429 (default 5) and after a vendor outage (default 3). */
  retries?: { rateLimited?: number; unavailable?: number };
  /**
   * The longest 429 wait slept through in place (default 2 minutes). A longer one (Xero's day limit)
   * fails the call at once with the wait, so the job can come back later instead of holding a worker.
   */
  maxWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ConnectionStats {
  /** Attempts made, by kind: QuickBooks meters reads per month, so they are worth counting. */
  reads: number;
  writes: number;
  throttled: number;
  refreshes: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter: up to 1 s, 2 s, 4 s … capped at 60 s. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(60_000, 1_000 * 2 ** attempt);
}

/**
 * Opens a connection handle: every call waits for the rate limiter, gets a fresh access token
 * (refreshing under the lock when it is about to expire), and is retried on 429, on a vendor outage
 * and once on an expired token. What cannot be retried leaves as a LedgerError.
 */
export function openConnection(options: ConnectionOptions): ConnectionHandle & { stats: ConnectionStats } {
  const { connector, tokens, connectionId } = options;
  const limiter = options.limiter ?? processRateLimiter;
  const marginMs = options.refreshMarginMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const maxThrottled = options.retries?.rateLimited ?? 5;
  const maxUnavailable = options.retries?.unavailable ?? 3;
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const stats: ConnectionStats = { reads: 0, writes: 0, throttled: 0, refreshes: 0 };
  let current: LedgerTokens | null = null;
  let refreshing: Promise<LedgerTokens> | null = null;

  const fresh = (candidate: LedgerTokens | null): candidate is LedgerTokens =>
    candidate !== null && candidate.accessTokenExpiresAt.getTime() - now() > marginMs;

  const fail = async (failure: VendorFailure): Promise<never> => {
    if (failure.code === 'reauth_required') await tokens.markNeedsReauth(failure.detail);
    throw new LedgerError(
      connector.vendor,
      failure.code,
      failure.detail,
      failure.status,
      failure.retryAfterSeconds,
    );
  };

  /** Refreshes unless storage already holds newer tokens than `rejected` (another caller or process refreshed). */
  const refresh = (rejected: string | null): Promise<LedgerTokens> => {
    refreshing ??= options
      .withRefreshLock(async () => {
        const stored = await tokens.load();
        const storedIsNewer = rejected !== null && stored.accessToken !== rejected;
        if (storedIsNewer || (rejected === null && fresh(stored))) return stored;
        let renewed: LedgerTokens;
        try {
          renewed = await connector.refreshTokens(stored.refreshToken);
        } catch (error) {
          return fail(connector.classifyFailure(error));
        }
        stats.refreshes += 1;
        await tokens.save(renewed);
        return renewed;
      })
      .finally(() => {
        refreshing = null;
      });
    return refreshing.then((renewed) => {
      current = renewed;
      return renewed;
    });
  };

  const accessToken = async (): Promise<string> => {
    if (fresh(current)) return current.accessToken;
    const stored = await tokens.load();
    if (fresh(stored)) {
      current = stored;
      return stored.accessToken;
    }
    return (await refresh(null)).accessToken;
  };

  return {
    tenantId: options.tenantId,
    homeCurrency: options.homeCurrency,
    stats,
    async call(kind, request) {
      let throttledRetries = 0;
      let unavailableRetries = 0;
      let refreshedAfter401 = false;
      for (;;) {
        let token: string | null = null;
        const blockedFor = limiter.blockedFor(connectionId, now());
        if (blockedFor > 0) {
          throw new LedgerError(
            connector.vendor,
            'rate_limited',
            'waiting out the vendor limit',
            429,
            Math.ceil(blockedFor / 1000),
          );
        }
        try {
          if (kind === 'read') stats.reads += 1;
          else stats.writes += 1;
          return await limiter.schedule(connectionId, connector.limits, async () => {
            token = await accessToken();
            return request(token);
          });
        } catch (error) {
          if (error instanceof LedgerError) throw error;
          const failure = connector.classifyFailure(error);
          if (failure.status === 401 && !refreshedAfter401) {
            refreshedAfter401 = true;
            await refresh(token);
            continue;
          }
          if (failure.code === 'rate_limited' && throttledRetries < maxThrottled) {
            stats.throttled += 1;
            const waitMs =
              failure.retryAfterSeconds !== null
                ? failure.retryAfterSeconds * 1_000
                : backoffMs(throttledRetries);
            if (waitMs > maxWaitMs) {
              limiter.block(connectionId, now() + waitMs);
              return fail(failure);
            }
            throttledRetries += 1;
            await sleep(waitMs);
            continue;
          }
          // Writes carry idempotency keys, so retrying them after an outage cannot apply them twice.
          if (failure.code === 'unavailable' && unavailableRetries < maxUnavailable) {
            await sleep(backoffMs(unavailableRetries));
            unavailableRetries += 1;
            continue;
          }
          return fail(failure);
        }
      }
    },
  };
}

/** Tokens held in memory, for a grant not stored yet (e.g. describing a company before saving it). */
export function memoryTokenStore(initial: LedgerTokens): TokenStore & { current(): LedgerTokens } {
  let tokens = initial;
  return {
    current: () => tokens,
    load: async () => tokens,
    save: async (renewed) => {
      tokens = renewed;
    },
    markNeedsReauth: async () => undefined,
  };
}
