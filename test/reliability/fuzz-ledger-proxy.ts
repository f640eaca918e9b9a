/**
 * A proxy in front of the QuickBooks emulator that adds hostile customers and invoices to what it
 * serves: copies of the company's own entities with fields changed, removed or of the wrong type,
 * beyond what the emulator itself would let anyone store (negative totals, 100 kB names, NUL, …).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyEdits, type JsonEdit } from './fuzz-arbitraries.js';

export interface HostileEntities {
  /** Edits to a copy of the company's first customer, one entry a customer (ids are set by the proxy). */
  customers: JsonEdit[][];
  /** Edits to a copy of the first open invoice, each for one of the customers above (index mod count). */
  invoices: JsonEdit[][];
}

export interface LedgerProxy {
  url: string;
  /** What the next reads are given on top of the company's own entities. */
  inject(entities: HostileEntities | null, idPrefix: string): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

export async function startLedgerProxy(target: string): Promise<LedgerProxy> {
  let current: { entities: HostileEntities; prefix: string } | null = null;

  const hostileOf = (kind: 'Customer' | 'Invoice', own: Json[]): Json[] => {
    if (!current || own.length === 0) return [];
    const { entities, prefix } = current;
    const template = own[0] as Json;
    const customerIds = entities.customers.map((_, index) => `${prefix}${index}`);
    if (kind === 'Customer')
      return entities.customers.map((edits, index) => {
        const copy = { ...structuredClone(template), Id: customerIds[index] };
        return applyEdits(copy, edits) as Json;
      });
    return entities.invoices.map((edits, index) => {
      const customerId = customerIds[index % Math.max(1, customerIds.length)] ?? String(template['Id']);
      const copy = {
        ...structuredClone(template),
        Id: `${prefix}9${index}`,
        DocNumber: `${prefix}-${index}`,
        CustomerRef: { value: customerId, name: 'fuzz' },
      };
      return applyEdits(copy, edits) as Json;
    });
  };

  /** Adds the hostile entities to a query page or a change-data-capture answer. */
  const rewrite = (body: Json, url: string): Json => {
    const query = decodeURIComponent(new URL(url, 'http://x').searchParams.get('query') ?? '').toLowerCase();
    const firstPage = !/startposition\s+(\d+)/.test(query) || /startposition\s+1\b/.test(query);
    const response = body['QueryResponse'] as Json | undefined;
    if (response && firstPage)
      for (const kind of ['Customer', 'Invoice'] as const) {
        const own = response[kind];
        if (Array.isArray(own) && own.length > 0)
          response[kind] = [...own, ...hostileOf(kind, own as Json[])];
      }
    const cdc = body['CDCResponse'];
    if (Array.isArray(cdc))
      for (const part of cdc as Json[])
        for (const page of (part['QueryResponse'] as Json[] | undefined) ?? []) {
          for (const kind of ['Customer', 'Invoice'] as const) {
            const own = page[kind];
            if (Array.isArray(own) && own.length > 0)
              page[kind] = [...own, ...hostileOf(kind, own as Json[])];
          }
        }
    return body;
  };

  const readBody = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      try {
        const body = await readBody(request);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers))
          if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
            headers[name] = value;
        headers['accept-encoding'] = 'identity';
        const upstream = await fetch(`${target}${request.url ?? '/'}`, {
          method: request.method ?? 'GET',
          headers,
          redirect: 'manual',
          ...(body.length > 0 ? { body } : {}),
        });
        let payload = Buffer.from(await upstream.arrayBuffer());
        const type = upstream.headers.get('content-type') ?? '';
        if (current && type.includes('json') && upstream.ok) {
          try {
            payload = Buffer.from(
              JSON.stringify(rewrite(JSON.parse(payload.toString('utf8')), request.url ?? '')),
            );
          } catch {
            // Not JSON after all: as it came.
          }
        }
        const out: Record<string, string> = {};
        upstream.headers.forEach((value, name) => {
          if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name))
            out[name] = value;
        });
        response.writeHead(upstream.status, { ...out, 'content-length': String(payload.length) });
        response.end(payload);
      } catch (error) {
        response.writeHead(502).end(String(error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    inject(entities, prefix) {
      current = entities ? { entities, prefix } : null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
