/**
 * Replays Intuit's published QuickBooks Online samples to the real client library (node-quickbooks) through the
 * project's connector: a local HTTP server answers each request with the sample a route names, and records what
 * the connector asked for.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { LedgerError } from '../../connectors/errors.js';
import { createConnector } from '../../connectors/factory.js';
import type { ConnectionHandle, LedgerConnector } from '../../connectors/ledger.js';

const samplesDir = fileURLToPath(new URL('../fixtures/vendor-samples/quickbooks/', import.meta.url));

/** A published sample, byte for byte as stored in test/fixtures/vendor-samples/quickbooks/. */
export function sample(name: string): string {
  return readFileSync(`${samplesDir}${name}`, 'utf8');
}

export function sampleJson<Value = unknown>(name: string): Value {
  return JSON.parse(sample(name)) as Value;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. /v3/company/123/query. */
  path: string;
  query: URLSearchParams;
  body: string;
}

export interface Answer {
  status?: number;
  body: string;
  contentType?: string;
}

export type Route = (request: RecordedRequest) => Answer | undefined;

export interface SampleServer {
  url: string;
  requests: RecordedRequest[];
  /** Routes tried in order; the first that answers wins. Unrouted requests get 404. */
  routes: Route[];
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startSampleServer(): Promise<SampleServer> {
  const requests: RecordedRequest[] = [];
  const routes: Route[] = [];
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: await readBody(request),
    };
    requests.push(recorded);
    const answer = routes.map((route) => route(recorded)).find((found) => found !== undefined);
    if (!answer) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`no sample for ${recorded.path}`);
      return;
    }
    response
      .writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'application/json' })
      .end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    routes,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export const SAMPLE_APP = { clientId: 'conformance-client', clientSecret: 'conformance-secret' };

/** The connector as the project builds it (connectors/factory.ts), pointed at the sample server. */
export function sampleConnector(baseUrl: string, webhookVerifierToken = 'unused-verifier'): LedgerConnector {
  const connector = createConnector('quickbooks', {
    quickbooks: { ...SAMPLE_APP, webhookVerifierToken, environment: 'production', emulatorUrl: baseUrl },
  });
  if (!connector) throw new Error('QuickBooks connector not built');
  return connector;
}

/**
 * A connection handle that does what the shared connection layer does with a failure (classify it with the
 * connector and throw a LedgerError), without token refreshes or retries, so each sample is answered once.
 */
export function sampleHandle(
  connector: LedgerConnector,
  tenantId: string,
  homeCurrency = 'USD',
): ConnectionHandle {
  return {
    tenantId,
    homeCurrency,
    async call(_kind, request) {
      try {
        return await request('conformance-access-token');
      } catch (error) {
        if (error instanceof LedgerError) throw error;
        const failure = connector.classifyFailure(error);
        throw new LedgerError(
          connector.vendor,
          failure.code,
          failure.detail,
          failure.status,
          failure.retryAfterSeconds,
        );
      }
    },
  };
}

/** What a promise rejected with (or fails the test when it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<LedgerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
  throw new Error('expected a LedgerError, the call succeeded');
}
