// bench:webhooks' floor (BENCH_FLOOR=1): what the same machine does with the least a webhook route
// can do. A bare Fastify (no logger, no hooks) checks the HMAC over the raw bytes, parses the JSON and
// stores the events through the same inbox writer before its 200, against the same database. The
// gap between it and Dunwell's route, measured in the same run, is what the path costs; the rest is
// the machine's.
import { createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import type pg from 'pg';
import type { LedgerEvent } from '../../connectors/ledger.js';
import { inboxInsert, webhookInboxWriter } from '../../src/sync/webhook-intake.js';

interface Secrets {
  quickbooks: string;
  xero: string;
}

const signatureHeaders = { quickbooks: 'intuit-signature', xero: 'x-xero-signature' } as const;

function eventsOf(vendor: 'quickbooks' | 'xero', body: unknown): LedgerEvent[] {
  const items = (vendor === 'quickbooks' ? body : (body as { events: unknown[] }).events) as Array<
    Record<string, string>
  >;
  return items.map((item) => ({
    eventId: item['id'] ?? `xero-${item['resourceId']}`,
    tenantId: item['intuitaccountid'] ?? item['tenantId'] ?? '',
    entity: 'invoice',
    entityId: item['intuitentityid'] ?? item['resourceId'] ?? '',
    operation: 'updated',
    occurredAt: null,
  }));
}

/** Starts the bare route on loopback; resolves to its base URL and a way to close it. */
export async function startBareWebhooks(pool: pg.Pool, secrets: Secrets) {
  const app = Fastify();
  const store = webhookInboxWriter(inboxInsert(pool));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post<{ Params: { vendor: 'quickbooks' | 'xero' } }>('/webhooks/:vendor', async (request, reply) => {
    const vendor = request.params.vendor;
    const body = request.body as Buffer;
    const expected = createHmac('sha256', secrets[vendor]).update(body).digest();
    const given = Buffer.from(String(request.headers[signatureHeaders[vendor]] ?? ''), 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return reply.status(401).send();
    await store(vendor, eventsOf(vendor, JSON.parse(body.toString('utf8'))));
    return reply.status(200).send();
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}
