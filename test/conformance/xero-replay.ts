/**
 * Replays Xero's published samples (test/fixtures/vendor-samples/xero/) to the real Xero connector: a small
 * node:http server answers each request the connector makes (through xero-node) with a sample, and records
 * what was asked.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConnector } from '../../connectors/factory.js';
import type { LedgerConnector, LedgerTokens } from '../../connectors/ledger.js';
import { memoryTokenStore, openConnection } from '../../connectors/shared/connection.js';
import type { ConnectionRateLimiter } from '../../connectors/shared/rate-limit.js';

/** No pacing: the replay serves a handful of calls, and pacing is not what these tests check. */
const unpaced = {
  block: () => undefined,
  blockedFor: () => 0,
  schedule: <Result>(_id: string, _limits: unknown, work: () => Promise<Result>) => work(),
} as unknown as ConnectionRateLimiter;

const samplesDir = new URL('../fixtures/vendor-samples/xero/', import.meta.url);

/** A sample's text, as copied from its source. */
export function sampleText(name: string): string {
  return readFileSync(new URL(name, samplesDir), 'utf8');
}

// biome-ignore lint/suspicious/noExplicitAny: samples are vendor JSON.
export function sample(name: string): any {
  return JSON.parse(sampleText(name));
}

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
}

/** Answers a request (path relative to /api.xro/2.0 when under it), or null for a 404 of the test's own. */
export type Route = (request: Recorded) => Answer | null;

export interface Replay {
  url: string;
  requests: Recorded[];
  /** Requests to the Accounting API, by path under /api.xro/2.0. */
  apiRequests(pattern?: RegExp): Recorded[];
  route: Route;
  close(): Promise<void>;
}

export async function startReplay(route: Route = () => null): Promise<Replay> {
  const requests: Recorded[] = [];
  const replay: Replay = {
    url: '',
    requests,
    route,
    apiRequests: (pattern) =>
      requests.filter((request) => request.path.startsWith('/') && (!pattern || pattern.test(request.path))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://replay');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: kept as text
      }
      const request: Recorded = {
        method: incoming.method ?? 'GET',
        path: url.pathname.replace(/^\/api\.xro\/2\.0/, ''),
        query: url.searchParams,
        headers: incoming.headers,
        body,
      };
      requests.push(request);
      const answer = replay.route(request) ?? {
        status: 404,
        body: `replay: no sample for ${request.method} ${url.pathname}`,
      };
      const payload =
        typeof answer.body === 'string' || answer.body === undefined
          ? answer.body
          : JSON.stringify(answer.body);
      const contentType =
        typeof answer.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
      outgoing.writeHead(answer.status ?? 200, { 'content-type': contentType, ...answer.headers });
      outgoing.end(payload ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  replay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return replay;
}

export const WEBHOOK_KEY = 'dunwell-conformance-test-webhook-key';

/** The Xero connector as the factory builds it, its API base pointed at the replay server. */
export function xeroConnector(replay: Replay): LedgerConnector {
  const connector = createConnector('xero', {
    xero: {
      clientId: 'conformance-client',
      clientSecret: 'conformance-secret',
      webhookKey: WEBHOOK_KEY,
      emulatorUrl: replay.url,
    },
  });
  if (!connector) throw new Error('no Xero connector');
  return connector;
}

export const tokens = (accessToken = 'access-1'): LedgerTokens => ({
  accessToken,
  refreshToken: `refresh-for-${accessToken}`,
  accessTokenExpiresAt: new Date(Date.now() + 30 * 60_000),
  refreshTokenExpiresAt: null,
});

let handles = 0;

/**
 * A connection handle as the shared connection layer opens it (retries, 429 waits, a refresh after a 401),
 * with tokens in memory and sleeps recorded instead of waited.
 */
export function handleFor(
  connector: LedgerConnector,
  options: {
    tenantId?: string;
    homeCurrency?: string;
    retries?: { rateLimited?: number; unavailable?: number };
  } = {},
) {
  const slept: number[] = [];
  const store = memoryTokenStore(tokens());
  handles += 1;
  const handle = openConnection({
    connector,
    connectionId: `xero-conformance-${handles}-${Date.now()}`,
    tenantId: options.tenantId ?? 'fe79f7dd-b6d4-4a92-ba7b-538af6289c58',
    homeCurrency: options.homeCurrency ?? 'NZD',
    tokens: store,
    withRefreshLock: (work) => work(),
    limiter: unpaced,
    retries: options.retries ?? { rateLimited: 0, unavailable: 0 },
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
  return { handle, slept, store };
}

/** The values of a list parameter however xero-node serialised it (`IDs=a,b`, repeated, or `IDs[]=`). */
export function listParam(query: URLSearchParams, name: string): string[] {
  return [...query.getAll(name), ...query.getAll(`${name}[]`)].flatMap((value) => value.split(','));
}

/** `/Date(1541176648927+0000)/` as an ISO timestamp, worked out independently of the connector. */
export function msDateIso(wire: string): string {
  const ms = /\/Date\((\d+)/.exec(wire)?.[1];
  if (!ms) throw new Error(`not a Xero date: ${wire}`);
  return new Date(Number(ms)).toISOString();
}
